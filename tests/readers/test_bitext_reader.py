"""Bitext reader: two line-aligned files or a TSV, any line ending, bad pairs, unequal lengths, streaming."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.readers.bitext import iter_bitext, read_bitext
from projection.readers.notes import ReadNotes


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_mafand_en_swa_dev(shared_data: Path) -> None:
    src, tgt = shared_data / "mafand/en-swa/dev.en", shared_data / "mafand/en-swa/dev.swa"
    bitext = read_bitext(src, tgt, "en", "sw")
    src_lines = src.read_text(encoding="utf-8").splitlines()
    tgt_lines = tgt.read_text(encoding="utf-8").splitlines()
    assert len(bitext) == len(src_lines) == 1791
    assert bitext.src_lang == "en" and bitext.tgt_lang == "sw"
    assert [(p.src, p.tgt) for p in bitext.pairs] == [
        (s.strip(), t.strip()) for s, t in zip(src_lines, tgt_lines, strict=True)
    ]
    assert bitext.pairs[0].src.startswith("Screenshot of the video")
    assert bitext.pairs[0].tgt.startswith("Picha ya video")
    assert (bitext.pairs[0].id, bitext.pairs[-1].id, bitext.pairs[-1].line) == ("dev-0", "dev-1790", 1791)


def test_reads_a_tsv(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "Ana lives in Paris.\tAna anaishi Paris.\r\nHello !\t Habari !\n")
    bitext = read_bitext(path, None, "en", "sw")
    assert [(p.src, p.tgt) for p in bitext.pairs] == [
        ("Ana lives in Paris.", "Ana anaishi Paris."),
        ("Hello !", "Habari !"),
    ]
    assert [p.id for p in bitext.pairs] == ["pairs-0", "pairs-1"]


def test_tsv_line_with_wrong_column_count(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "a\tb\nno tab here\n")
    with pytest.raises(ProjectionError, match=r"pairs.tsv, line 2: expected two tab-separated columns .* found 1"):
        read_bitext(path, None, "en", "sw")
    write(path, "a\tb\nc\td\te\n")
    with pytest.raises(ProjectionError, match=r"line 2: .* found 3"):
        read_bitext(path, None, "en", "sw")


def test_unequal_line_counts_name_both_files_and_counts(tmp_path: Path) -> None:
    src = write(tmp_path / "train.en", "one\ntwo\nthree\n")
    tgt = write(tmp_path / "train.sw", "moja\nmbili\n")
    with pytest.raises(ProjectionError) as caught:
        read_bitext(src, tgt, "en", "sw")
    message = str(caught.value)
    assert f"{src} has 3 lines" in message and f"{tgt} has 2" in message


def test_unequal_counts_raise_before_the_stream_yields(tmp_path: Path) -> None:
    src = write(tmp_path / "a.en", "x\n" * 10)
    tgt = write(tmp_path / "a.sw", "y\n" * 11)
    with pytest.raises(ProjectionError, match=r"10 lines .* 11"):
        next(iter_bitext(src, tgt))


def test_missing_final_newline_does_not_count_as_a_line(tmp_path: Path) -> None:
    src = write(tmp_path / "a.en", "one\ntwo\n")
    tgt = write(tmp_path / "a.sw", "moja\nmbili")
    assert [p.tgt for p in read_bitext(src, tgt, "en", "sw").pairs] == ["moja", "mbili"]


def test_a_pair_with_an_empty_side_stops_the_reading_or_is_skipped_and_listed(tmp_path: Path) -> None:
    src = write(tmp_path / "d.en", "one\n\nthree\nfour\n")
    tgt = write(tmp_path / "d.sw", "moja\nmbili\ntatu\n   \n")
    with pytest.raises(ProjectionError, match=r"d\.en / .*d\.sw, line 2: the source side is empty\. Each line"):
        read_bitext(src, tgt, "en", "sw")
    stream = iter_bitext(src, tgt)
    assert next(stream).src == "one"  # streamed: the pairs before the bad one come first
    with pytest.raises(ProjectionError, match="line 2"):
        next(stream)
    notes = ReadNotes()
    bitext = read_bitext(src, tgt, "en", "sw", on_error="skip", notes=notes)
    assert [(p.id, p.src, p.tgt, p.line) for p in bitext.pairs] == [
        ("d-0", "one", "moja", 1),
        ("d-2", "three", "tatu", 3),
    ]
    assert [(p.sentence_id, p.message.rsplit(", ", 1)[1]) for p in notes.skipped] == [
        ("d-1", "line 2: the source side is empty"),
        ("d-3", "line 4: the target side is empty"),
    ]


def test_tsv_blank_and_half_empty_lines_are_skipped_with_skip(tmp_path: Path) -> None:
    path = write(tmp_path / "p.tsv", "a\tb\n\t\nc\t\nd\te\n")
    notes = ReadNotes()
    assert [p.src for p in iter_bitext(path, on_error="skip", notes=notes)] == ["a", "d"]
    assert [p.message.rsplit(": ", 1)[1] for p in notes.skipped] == [
        "the source and target sides are empty",
        "the target side is empty",
    ]


def test_bad_on_error_value(tmp_path: Path) -> None:
    path = write(tmp_path / "p.tsv", "a\tb\n")
    with pytest.raises(ProjectionError, match="Unknown on_error value 'ignore'"):
        read_bitext(path, None, "en", "sw", on_error="ignore")  # type: ignore[arg-type]


def test_an_empty_bitext_is_one_clear_error(tmp_path: Path) -> None:
    src = write(tmp_path / "e.en", "")
    tgt = write(tmp_path / "e.sw", "")
    with pytest.raises(ProjectionError, match=r"e\.en and .*e\.sw: no sentence pairs to read \(the input is empty\)"):
        read_bitext(src, tgt, "en", "sw")
    with pytest.raises(ProjectionError, match="no sentence pairs"):
        read_bitext(write(tmp_path / "e.tsv", ""), None, "en", "sw")
    write(src, "\n\n")
    write(tgt, "\n\n")
    with pytest.raises(ProjectionError, match="line 1: the source and target sides are empty"):
        read_bitext(src, tgt, "en", "sw")
    with pytest.raises(ProjectionError, match="no usable sentence, all 2 were skipped"):
        read_bitext(src, tgt, "en", "sw", on_error="skip", notes=ReadNotes())


@pytest.mark.parametrize(("src_ending", "tgt_ending"), [("\r", "\r"), ("\r\n", "\n"), ("\r", "\r\n")])
def test_any_line_ending_reads_like_lf(shared_data: Path, tmp_path: Path, src_ending: str, tgt_ending: str) -> None:
    pair = shared_data / "mafand/en-swa"
    expected = read_bitext(pair / "dev.en", pair / "dev.swa", "en", "sw")
    src = tmp_path / "dev.en"
    tgt = tmp_path / "dev.swa"
    src.write_bytes(src_ending.join((pair / "dev.en").read_text("utf-8").split("\n")).encode())
    tgt.write_bytes(tgt_ending.join((pair / "dev.swa").read_text("utf-8").split("\n")).encode())
    assert read_bitext(src, tgt, "en", "sw").pairs == expected.pairs


def test_non_utf8_target_reports_file_and_line(tmp_path: Path) -> None:
    src = write(tmp_path / "a.fr", "un\ndeux\n")
    tgt = tmp_path / "a.ewe"
    tgt.write_bytes(b"deka\neve \xff\n")
    with pytest.raises(ProjectionError, match=r"a\.ewe, line 2: the file is not valid UTF-8"):
        read_bitext(src, tgt, "fr", "ee")


def test_missing_file(tmp_path: Path) -> None:
    src = write(tmp_path / "a.en", "x\n")
    with pytest.raises(ProjectionError, match="File not found"):
        read_bitext(src, tmp_path / "a.sw", "en", "sw")
