"""CoNLL reader: real corpora, any tag scheme and line ending, notes on odd tags, and every bad-input case."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from projection.data import Span
from projection.errors import ProjectionError
from projection.readers.conll import iter_conll, read_conll
from projection.readers.notes import LOWERCASE, OTHER_LABEL, STRAY_INSIDE, ReadNotes

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


# Entities that start with a stray I- tag in the MasakhaNER test files, and the line of the first one, found with
# awk (an I-X tag after O, after another label, or first in a sentence), independently of the reader.
MASAKHANER_STRAY = {"swa": (1, 12873), "hau": (1, 12293), "yor": (1, 18597), "zul": (3, 1959)}


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


def test_label_set_drops_other_labels_and_says_so(shared_data: Path) -> None:
    path = shared_data / "conll2002/esp.testa"
    notes = ReadNotes()
    sentences = read_conll(path, "es", label_set=["per", "ORG", "Loc"], notes=notes)  # any case
    labels = {span.label for s in sentences for span in s.spans}
    assert labels == {"PER", "ORG", "LOC"}
    all_spans = read_conll(path, "es")
    n_misc = sum(span.label == "MISC" for s in all_spans for span in s.spans)
    assert n_misc > 0
    assert sum(len(s.spans) for s in sentences) == 4352 - n_misc
    (note,) = notes.notes.values()
    assert (note.kind, note.count, dict(note.seen)) == (OTHER_LABEL, n_misc, {"MISC": n_misc})
    first_misc = next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line.endswith("B-MISC"))
    assert note.first == f"{path}, line {first_misc}"
    (message,) = notes.messages()
    assert f"{n_misc:,} entities with a label outside the label set in use (PER, ORG, LOC) were read as O" in message
    assert f"first at {path}, line {first_misc}" in message and "--labels" in message


def test_a_label_outside_the_label_set_in_use_is_read_as_o_and_noted(tmp_path: Path) -> None:
    path = write(tmp_path, "Ana B-PER\nvive O\n\nen O\nFoo B-FOO\nBar I-FOO\n\nFoo B-FOO\n")
    notes = ReadNotes()
    sentences = read_conll(path, "es", label_set=("PER", "ORG", "LOC", "DATE"), notes=notes)
    assert [[span.key for span in s.spans] for s in sentences] == [[(0, 1, "PER")], [], []]
    assert notes.count(OTHER_LABEL) == 2
    assert notes.notes[(str(path), OTHER_LABEL)].first == f"{path}, line 5"
    assert [span.label for span in read_conll(path, "es")[1].spans] == ["FOO"]  # no label set: every label is kept


def test_iob1_decodes_without_detection_and_its_inside_starts_are_noted(tmp_path: Path) -> None:
    path = write(tmp_path, "Juan I-PER\nvive O\n\nen O\nLa I-LOC\nPaz I-LOC\nBolivia B-LOC\n")
    notes = ReadNotes()
    sentences = read_conll(path, "es", notes=notes)
    assert [span.key for span in sentences[0].spans] == [(0, 1, "PER")]
    assert [span.key for span in sentences[1].spans] == [(1, 3, "LOC"), (3, 4, "LOC")]
    note = notes.notes[(str(path), STRAY_INSIDE)]
    assert (note.count, note.first, dict(note.seen)) == (2, f"{path}, line 1", {"I-PER": 1, "I-LOC": 1})


@pytest.mark.parametrize("lang", sorted(MASAKHANER_TEST))
def test_stray_inside_tags_of_masakhaner_are_counted_with_their_first_line(shared_data: Path, lang: str) -> None:
    path = shared_data / "masakhaner2" / lang / "test.txt"
    notes = ReadNotes()
    read_conll(path, lang, label_set=("PER", "ORG", "LOC", "DATE"), notes=notes)
    if lang not in MASAKHANER_STRAY:
        assert not notes
        return
    count, line = MASAKHANER_STRAY[lang]
    assert list(notes.notes) == [(str(path), STRAY_INSIDE)]
    assert notes.count(STRAY_INSIDE) == count
    assert notes.notes[(str(path), STRAY_INSIDE)].first == f"{path}, line {line}"
    (message,) = notes.messages()
    start = f"{path}: {count} {'entity starts' if count == 1 else 'entities start'} with I- or E- without a B- or I-"
    assert message.startswith(start)


def test_lowercase_tags_are_read_in_upper_case_and_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "Ana B-PER\n\nen o\nLa b-loc\nPaz I-LOC\nhoy B-Date\n")
    notes = ReadNotes()
    sentences = read_conll(path, "es", notes=notes)
    assert [span.key for span in sentences[1].spans] == [(1, 3, "LOC"), (3, 4, "DATE")]
    note = notes.notes[(str(path), LOWERCASE)]
    assert (note.count, note.first, dict(note.seen)) == (3, f"{path}, line 3", {"o": 1, "b-loc": 1, "B-Date": 1})
    assert list(notes.notes) == [(str(path), LOWERCASE)]  # b-loc then I-LOC is one entity, not a stray start


@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_any_line_ending_reads_like_lf(shared_data: Path, tmp_path: Path, ending: str) -> None:
    original = shared_data / "masakhaner2/swa/dev.txt"
    lines = original.read_text("utf-8").split("\n")
    if ending == "mixed":  # blank lines end in CRLF, so that a CR before one is not read as half of a CRLF
        data = "".join(line + ("\r\n" if not line else "\n\r"[i % 2]) for i, line in enumerate(lines[:-1]))
        data += lines[-1]
    else:
        data = ending.join(lines)
    path = tmp_path / "dev.txt"
    path.write_bytes(data.encode("utf-8"))
    expected = read_conll(original, "sw")
    assert len(expected) > 400
    got = read_conll(path, "sw")
    assert [(s.id, s.tokens, s.spans) for s in got] == [(s.id, s.tokens, s.spans) for s in expected]


def test_bioes_is_detected_and_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "Ana S-PER\nworks O\nat O\nBanco B-ORG\nde I-ORG\nEspaña E-ORG\n.\tO\n")
    (sentence,) = read_conll(path, "en")
    assert sentence.tokens == ["Ana", "works", "at", "Banco", "de", "España", "."]
    assert [span.key for span in sentence.spans] == [(0, 1, "PER"), (3, 6, "ORG")]


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


def test_comment_lines_heading_a_sentence_give_its_id_and_other_hash_lines_are_tokens(tmp_path: Path) -> None:
    text = (
        "# id = news-7\n# review_status = corrected\nAna B-PER\n\n"  # comments: id, and one that is ignored
        "# O\nvisitó O\n\n"  # the token '#' tagged O
        "Lima B-LOC\n# O\n\n"  # '#' inside a sentence is a token too
        "#hashtag B-MISC\n\n"  # no space after '#': a token
        "# id = only a comment\n\n"  # comment lines with no sentence under them are no sentence
        "# text = Hoy llueve\nHoy O\nllueve O\n"
    )
    sentences = read_conll(write(tmp_path, text), "es")
    assert [s.id for s in sentences] == ["news-7", "data-1", "data-2", "data-3", "data-4"]
    assert [s.tokens for s in sentences] == [["Ana"], ["#", "visitó"], ["Lima", "#"], ["#hashtag"], ["Hoy", "llueve"]]
    assert [span.key for span in sentences[3].spans] == [(0, 1, "MISC")]


def test_a_comment_id_used_twice_is_refused_or_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "# id = a\nAna B-PER\n\n# id = a\nLima B-LOC\n")
    with pytest.raises(ProjectionError, match=r"line 4: sentence id 'a' occurs twice, first at line 1"):
        read_conll(path, "es")
    notes = ReadNotes()
    assert [s.tokens for s in read_conll(path, "es", on_error="skip", notes=notes)] == [["Ana"]]
    assert len(notes.skipped) == 1


def test_iter_conll_streams_the_same_sentences(shared_data: Path) -> None:
    path = shared_data / "masakhaner2/swa/test.txt"
    stream = iter_conll(path, "sw")
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


def test_the_stream_reads_once_and_stops_at_the_malformed_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a O\n\n" * 50 + "b I-\n")
    stream = iter_conll(path, "xx")
    assert [s.tokens for s in itertools.islice(stream, 50)] == [["a"]] * 50
    with pytest.raises(ProjectionError, match="line 101"):
        next(stream)


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


def test_skip_lists_each_bad_sentence_and_keeps_the_ids_of_the_others(shared_data: Path, tmp_path: Path) -> None:
    blocks = (shared_data / "masakhaner2/swa/dev.txt").read_text("utf-8").split("\n\n")[:20]
    blocks[3] = blocks[3].replace(" O\n", " X-PER\n", 1)
    blocks[7] = "lonely\n" + blocks[7]
    path = write(tmp_path, "\n\n".join(blocks) + "\n", "dev.conll")
    with pytest.raises(ProjectionError, match=r"dev\.conll, line \d+: unknown tag 'X-PER'\. Tags are O"):
        read_conll(path, "sw")
    notes = ReadNotes()
    sentences = read_conll(path, "sw", on_error="skip", notes=notes)
    assert len(sentences) == 18 and "dev-3" not in {s.id for s in sentences} and sentences[3].id == "dev-4"
    assert [problem.sentence_id for problem in notes.skipped] == ["dev-3", "dev-7"]
    assert "unknown tag 'X-PER'" in notes.skipped[0].message and "one column" in notes.skipped[1].message
    assert notes.messages()[0] == "2 sentence(s) could not be used and were skipped:"
    assert notes.messages()[1].startswith(f"  {path}, line ")


def test_skip_with_nothing_usable_is_an_error_and_needs_somewhere_to_list(tmp_path: Path) -> None:
    path = write(tmp_path, "a X-PER\n\nb\n")
    with pytest.raises(ProjectionError, match=r"no usable sentence, all 2 were skipped; the first: .*line 1"):
        read_conll(path, "xx", on_error="skip", notes=ReadNotes())
    with pytest.raises(ValueError, match="needs notes"):
        read_conll(path, "xx", on_error="skip")
    with pytest.raises(ProjectionError, match="Unknown on_error value 'ignore'"):
        read_conll(path, "xx", on_error="ignore")  # type: ignore[arg-type]
