"""The files a user names, as sentences: raw text told from CoNLL, bad lines refused or skipped, notes kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.pipeline.inputs import is_raw_text, load_bitext, load_sentences
from projection.readers.notes import OTHER_LABEL, ReadNotes


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_raw_text_whose_first_line_ends_like_a_tag_is_still_raw_text(tmp_path: Path) -> None:
    raw = write(tmp_path / "news.sw", "Ndege aina ya B-52\nIlitua jana .\n")
    assert is_raw_text(raw)
    labelled = write(tmp_path / "gold.sw", "-DOCSTART- O\n\nAna b-per\nvive O\n\nen O\n")
    assert not is_raw_text(labelled)


def test_a_raw_text_line_that_is_empty_is_refused_or_skipped(shared_data: Path, tmp_path: Path) -> None:
    lines = (shared_data / "mafand/en-swa/dev.en").read_text("utf-8").splitlines()[:6]
    path = write(tmp_path / "dev.en", "\n".join([*lines[:3], "  ", *lines[3:]]) + "\n")
    with pytest.raises(ProjectionError, match=r"dev\.en, line 4: the line is empty"):
        load_sentences(path, "en")
    notes = ReadNotes()
    sentences = load_sentences(path, "en", on_error="skip", notes=notes)
    assert [s.id for s in sentences] == ["dev-0", "dev-1", "dev-2", "dev-4", "dev-5", "dev-6"]
    assert sentences[0].tokens[:3] == ["Screenshot", "of", "the"]
    assert [p.sentence_id for p in notes.skipped] == ["dev-3"]


def test_a_bitext_pair_is_skipped_as_a_whole(shared_data: Path, tmp_path: Path) -> None:
    pair = shared_data / "mafand/en-swa"
    src_lines = (pair / "dev.en").read_text("utf-8").splitlines()[:5]
    tgt_lines = (pair / "dev.swa").read_text("utf-8").splitlines()[:5]
    tgt_lines[2] = ""
    src = write(tmp_path / "d.en", "\n".join(src_lines) + "\n")
    tgt = write(tmp_path / "d.sw", "\n".join(tgt_lines) + "\n")
    with pytest.raises(ProjectionError, match="line 3: the target side is empty"):
        load_bitext(src, tgt, "en", "sw")
    notes = ReadNotes()
    sources, targets = load_bitext(src, tgt, "en", "sw", on_error="skip", notes=notes)
    assert [s.id for s in sources] == [t.id for t in targets] == ["d-0", "d-1", "d-3", "d-4"]


def test_labelled_sides_keep_the_label_set_and_note_the_rest(tmp_path: Path) -> None:
    src = write(tmp_path / "s.conll", "Ana B-PER\nen O\nLima B-LOC\n\nhoy B-DATE\n")
    tgt = write(tmp_path / "t.conll", "Ana B-PER\nkatika O\nLima B-LOC\n\nleo B-DATE\n")
    notes = ReadNotes()
    sources, targets = load_bitext(src, tgt, "es", "sw", label_set=("PER", "LOC"), notes=notes)
    assert [[span.label for span in s.spans] for s in (*sources, *targets)] == [["PER", "LOC"], [], ["PER", "LOC"], []]
    assert notes.count(OTHER_LABEL) == 2 and len(notes.notes) == 2  # one note per file
