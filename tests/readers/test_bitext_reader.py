"""Bitext reader: two line-aligned files or a TSV, empty pairs, unequal lengths, streaming."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.readers.bitext import iter_bitext, read_bitext


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_mafand_en_swa_dev(shared_data: Path) -> None:
    src, tgt = shared_data / "mafand/en-swa/dev.en", shared_data / "mafand/en-swa/dev.swa"
    bitext = read_bitext(src, tgt, "en", "sw")
    src_lines = src.read_text(encoding="utf-8").splitlines()
    tgt_lines = tgt.read_text(encoding="utf-8").splitlines()
    assert len(bitext) == len(src_lines) == 1791
    assert bitext.src_lang == "en" and bitext.tgt_lang == "sw" and bitext.skipped_lines == []
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


def test_empty_pairs_are_skipped_and_recorded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    src = write(tmp_path / "d.en", "one\n\nthree\nfour\n")
    tgt = write(tmp_path / "d.sw", "moja\nmbili\ntatu\n   \n")
    with caplog.at_level(logging.WARNING):
        bitext = read_bitext(src, tgt, "en", "sw")
    assert [(p.id, p.src, p.tgt, p.line) for p in bitext.pairs] == [
        ("d-0", "one", "moja", 1),
        ("d-2", "three", "tatu", 3),
    ]
    assert bitext.skipped_lines == [2, 4]
    assert "2 sentence pair(s) with an empty side, at line(s) 2, 4" in caplog.text


def test_empty_pairs_can_be_refused(tmp_path: Path) -> None:
    src = write(tmp_path / "d.en", "one\n\nthree\nfour\n")
    tgt = write(tmp_path / "d.sw", "moja\nmbili\ntatu\n\n")
    with pytest.raises(ProjectionError, match=r"2 sentence pair\(s\) with an empty side, at line\(s\) 2, 4"):
        read_bitext(src, tgt, "en", "sw", on_empty="error")
    stream = iter_bitext(src, tgt, on_empty="error")
    assert next(stream).src == "one"
    with pytest.raises(ProjectionError, match="at line"):
        next(stream)


def test_streaming_records_skipped_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "p.tsv", "a\tb\n\t\nc\t\nd\te\n")
    skipped: list[int] = []
    assert [p.src for p in iter_bitext(path, skipped_lines=skipped)] == ["a", "d"]
    assert skipped == [2, 3]


def test_bad_on_empty_value(tmp_path: Path) -> None:
    path = write(tmp_path / "p.tsv", "a\tb\n")
    with pytest.raises(ProjectionError, match="on_empty"):
        read_bitext(path, None, "en", "sw", on_empty="ignore")  # type: ignore[arg-type]


def test_only_empty_pairs_is_an_error(tmp_path: Path) -> None:
    src = write(tmp_path / "e.en", "")
    tgt = write(tmp_path / "e.sw", "")
    with pytest.raises(ProjectionError, match="no sentence pairs"):
        read_bitext(src, tgt, "en", "sw")


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
