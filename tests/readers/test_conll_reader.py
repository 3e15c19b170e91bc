"""CoNLL reader: real corpora, the three schemes, layout variants and every bad-input case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from projection.data import Span
from projection.errors import ProjectionError
from projection.readers.conll import iter_conll, read_conll

# Sentence and entity counts measured with awk over the files (entities = B- tags plus the
# few entities that start with a stray I- tag), independently of the reader.
MASAKHANER_TEST = {
    "swa": (1883, 4330),
    "hau": (1633, 4109),
    "yor": (1964, 2009),
    "ibo": (2181, 3241),
    "zul": (1670, 1919),
    "luo": (1474, 2566),
    "pcm": (1613, 2347),
    "bam": (1274, 1315),
    "ewe": (1001, 2344),
}


def write(tmp_path: Path, text: str, name: str = "data.conll") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_conll2002_spanish_dev_set(shared_data: Path) -> None:
    sentences = read_conll(shared_data / "conll2002/esp.testa", "es")
    # 1,914 blank lines, and the last sentence has no blank line after it: 1,915 sentences.
    assert len(sentences) == 1915
    assert sum(len(s.spans) for s in sentences) == 4352  # the B- tags of this strict IOB2 file
    first = sentences[0]
    assert first.id == "esp-0" and first.lang == "es"
    assert first.tokens[:5] == ["Sao", "Paulo", "(", "Brasil", ")"]
    assert [span.key for span in first.spans] == [(0, 2, "LOC"), (3, 4, "LOC"), (9, 10, "ORG")]
    assert all(span.origin == "gold" for span in first.spans)
    assert sentences[1].tokens == ["-"] and sentences[1].spans == []
    assert sentences[-1].tokens[-2:] == ["Dycasa", "-"]
    assert {span.label for s in sentences for span in s.spans} == {"PER", "ORG", "LOC", "MISC"}


def test_reads_conll2003_english_test_set(shared_data: Path) -> None:
    sentences = read_conll(shared_data / "conll2003_en/test.txt", "en")
    assert len(sentences) == 3453
    assert sum(len(s.spans) for s in sentences) == 4946
    assert sentences[0].tokens[:4] == ["SOCCER", "-", "JAPAN", "GET"]
    assert sentences[0].spans[0].key == (2, 3, "LOC")


@pytest.mark.parametrize("lang", sorted(MASAKHANER_TEST))
def test_reads_masakhaner_test_sets(shared_data: Path, lang: str) -> None:
    n_sentences, n_entities = MASAKHANER_TEST[lang]
    sentences = read_conll(shared_data / "masakhaner2" / lang / "test.txt", lang)
    assert len(sentences) == n_sentences
    assert sum(len(s.spans) for s in sentences) == n_entities
    assert {span.label for s in sentences for span in s.spans} <= {"PER", "ORG", "LOC", "DATE"}
    assert len({s.id for s in sentences}) == n_sentences


def test_label_set_drops_other_labels(shared_data: Path) -> None:
    sentences = read_conll(shared_data / "conll2002/esp.testa", "es", label_set={"PER", "ORG", "LOC"})
    labels = {span.label for s in sentences for span in s.spans}
    assert labels == {"PER", "ORG", "LOC"}
    all_spans = read_conll(shared_data / "conll2002/esp.testa", "es")
    n_misc = sum(span.label == "MISC" for s in all_spans for span in s.spans)
    assert n_misc > 0
    assert sum(len(s.spans) for s in sentences) == 4352 - n_misc


def test_iob1_is_detected_over_the_whole_file(tmp_path: Path) -> None:
    # Only the second sentence shows that this is IOB1 (an entity that starts with I-).
    path = write(tmp_path, "Juan I-PER\nvive O\n\nen O\nLa I-LOC\nPaz I-LOC\nBolivia B-LOC\n")
    sentences = read_conll(path, "es")
    assert [span.key for span in sentences[0].spans] == [(0, 1, "PER")]
    assert [span.key for span in sentences[1].spans] == [(1, 3, "LOC"), (3, 4, "LOC")]


def test_bioes_is_detected_and_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "Ana S-PER\nworks O\nat O\nBanco B-ORG\nde I-ORG\nEspaña E-ORG\n.\tO\n")
    (sentence,) = read_conll(path, "en")
    assert sentence.tokens == ["Ana", "works", "at", "Banco", "de", "España", "."]
    assert [span.key for span in sentence.spans] == [(0, 1, "PER"), (3, 6, "ORG")]


def test_explicit_scheme_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "a B-PER\nb E-PER\n")
    assert [s.key for s in read_conll(path, "xx", scheme="bioes")[0].spans] == [(0, 2, "PER")]
    with pytest.raises(ProjectionError, match="Unknown tagging scheme 'IOB3'"):
        read_conll(path, "xx", scheme="IOB3")


def test_layout_variants(tmp_path: Path) -> None:
    text = (
        "-DOCSTART- -X- -X- O\n\n\n"
        "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n\n\n"  # CoNLL-2003 columns, several blank lines
        "New York\tB-LOC\ncity\tO\n"  # tab-separated: the token may hold a space
        "   \n"  # a whitespace-only line separates sentences too
        "10\u00a0000   O\r\n"  # CRLF, a no-break space inside the token, runs of spaces
        "-DOCSTART- O\n"
        "end O\n"
    )
    sentences = read_conll(write(tmp_path, text), "en")
    assert [s.tokens for s in sentences] == [["EU", "rejects"], ["New York", "city"], ["10\u00a0000"], ["end"]]
    assert [span.key for span in sentences[0].spans] == [(0, 1, "ORG")]
    assert [span.key for span in sentences[1].spans] == [(0, 1, "LOC")]
    assert [s.id for s in sentences] == ["data-0", "data-1", "data-2", "data-3"]


def test_id_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, "a O\n\nb O\n")
    assert [s.id for s in read_conll(path, "xx", id_prefix="swa-test")] == ["swa-test-0", "swa-test-1"]


def test_iter_conll_streams_the_same_sentences(shared_data: Path) -> None:
    path = shared_data / "masakhaner2/swa/test.txt"
    stream = iter_conll(path, "sw", scheme="IOB2")
    assert isinstance(stream, Iterator)
    first = next(stream)
    assert first.tokens[:3] == ["Shujaa", "Mwakilishi", "wa"]
    streamed = [first, *stream]
    assert [(s.id, s.tokens, s.spans) for s in streamed] == [(s.id, s.tokens, s.spans) for s in read_conll(path, "sw")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a O\nb O\n\nlonely\nc O\n", 4, "one column"),
        ("a O\nb B-\n", 2, "unknown tag 'B-'"),
        ("a O\n\n\nb X-PER\n", 4, "unknown tag 'X-PER'"),
        ("a O\nb -\n", 2, "unknown tag '-'"),
        ("a O\nb PER\n", 2, "unknown tag 'PER'"),
    ],
)
def test_malformed_line_reports_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProjectionError, match=message) as caught:
        read_conll(path, "xx")
    assert f"{path}, line {line}:" in str(caught.value)


def test_malformed_line_raises_before_the_stream_yields(tmp_path: Path) -> None:
    path = write(tmp_path, "a O\n\n" * 50 + "b I-\n")
    with pytest.raises(ProjectionError, match="line 101"):
        next(iter_conll(path, "xx"))


def test_non_utf8_bytes_report_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.conll"
    path.write_bytes("Juan B-PER\n\nEspaña B-LOC\n".encode("latin-1"))
    with pytest.raises(ProjectionError, match="line 3: the file is not valid UTF-8") as caught:
        read_conll(path, "es")
    assert str(path) in str(caught.value)


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.conll"
    path.write_bytes("\ufeffAna B-PER\n".encode())
    assert read_conll(path, "es")[0].tokens == ["Ana"]


@pytest.mark.parametrize("text", ["", "\n\n  \n", "-DOCSTART- -X- O O\n\n"])
def test_file_without_sentences_is_an_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ProjectionError, match="contains no sentences"):
        read_conll(write(tmp_path, text), "xx")


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="File not found"):
        read_conll(tmp_path / "nope.conll", "xx")


def test_spans_are_gold_spans(tmp_path: Path) -> None:
    (sentence,) = read_conll(write(tmp_path, "Ana B-PER\nLópez I-PER\n"), "es")
    assert sentence.spans == [Span(0, 2, "PER", origin="gold")]
