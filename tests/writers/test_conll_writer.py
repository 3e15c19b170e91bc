"""CoNLL writer: round trips through the reader, record sides, and refusals that leave no file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.readers.conll import iter_conll, read_conll
from projection.writers.conll import write_conll


def record(projected: list[Span], gold: list[Span] | None = None, target: list[str] | None = None) -> ProjectionRecord:
    return ProjectionRecord(
        id="dev-1",
        source=Sentence("dev-1", "en", ["President", "Ivan", "Duque", "visited", "Bogotá"], [Span(1, 3, "PER")]),
        target=Sentence("dev-1", "sw", target or ["Rais", "Ivan", "Duque", "alitembelea", "Bogotá"]),
        alignment=Alignment([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]),
        projected=projected,
        gold=gold,
    )


def test_round_trip_of_the_spanish_dev_set(tmp_path: Path, shared_data: Path) -> None:
    original = read_conll(shared_data / "conll2002/esp.testa", "es")
    renamed = [Sentence(f"news/{k} #{k}", s.lang, s.tokens, s.spans) for k, s in enumerate(original)]
    out = tmp_path / "esp.conll"
    assert write_conll(renamed, out) == 1915
    again = read_conll(out, "es")
    assert [s.id for s in again] == [s.id for s in renamed]  # from the `# id = ...` comment lines
    assert [s.tokens for s in again] == [s.tokens for s in original]
    assert [s.spans for s in again] == [s.spans for s in original]

    assert write_conll(original, out, comments=False) == 1915
    source_lines = [line for line in (shared_data / "conll2002/esp.testa").read_text("utf-8").splitlines() if line]
    written_lines = [line for line in out.read_text("utf-8").splitlines() if line]
    assert written_lines == source_lines  # the file is IOB2 already, so the text is the same
    assert [s.id for s in read_conll(out, "es")] == [f"esp-{k}" for k in range(1915)]


def test_comment_lines_head_each_sentence_with_its_id_and_review_status(tmp_path: Path) -> None:
    item = record(projected=[Span(1, 3, "PER")])
    item.provenance["review_status"] = "corrected"
    out = tmp_path / "out.conll"
    write_conll([item, Sentence("s 2", "sw", ["Habari"])], out)
    assert out.read_text("utf-8").split("\n")[:3] == ["# id = dev-1", "# review_status = corrected", "Rais O"]
    assert "# id = s 2\nHabari O\n" in out.read_text("utf-8")
    with pytest.raises(ProjectionError, match="contains a line break"):
        write_conll([Sentence("a\nb", "sw", ["Habari"])], out)


def test_streams_from_a_generator_and_normalises_to_iob2(tmp_path: Path) -> None:
    source = tmp_path / "in.bioes"
    source.write_text("Ana S-PER\nvive O\n\nLa B-LOC\nPaz E-LOC\n", encoding="utf-8")
    stream = iter_conll(source, "es")
    assert isinstance(stream, Iterator)
    assert write_conll(stream, tmp_path / "out.conll", comments=False) == 2
    assert (tmp_path / "out.conll").read_text("utf-8") == "Ana B-PER\nvive O\n\nLa B-LOC\nPaz I-LOC\n\n"


def test_record_sides(tmp_path: Path) -> None:
    item = record(projected=[Span(1, 3, "PER", 0.8, "projected:heuristic")], gold=[Span(4, 5, "LOC")])
    out = tmp_path / "out.conll"
    write_conll([item], out, comments=False)
    assert out.read_text("utf-8").split("\n")[:5] == [
        "Rais O",
        "Ivan B-PER",
        "Duque I-PER",
        "alitembelea O",
        "Bogotá O",
    ]
    write_conll([item], out, which="gold")
    assert [s.key for s in read_conll(out, "sw")[0].spans] == [(4, 5, "LOC")]
    write_conll([item], out, which="source")
    (source,) = read_conll(out, "en")
    assert source.tokens[0] == "President" and [s.key for s in source.spans] == [(1, 3, "PER")]


def test_gold_side_without_gold_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="'dev-1' has no gold spans"):
        write_conll([record(projected=[])], tmp_path / "out.conll", which="gold")
    with pytest.raises(ProjectionError, match="Unknown side 'target'"):
        write_conll([record(projected=[])], tmp_path / "out.conll", which="target")  # type: ignore[arg-type]
    assert not (tmp_path / "out.conll").exists()


def test_refusals_leave_the_previous_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    out.write_text("previous\n", encoding="utf-8")
    good = record(projected=[Span(1, 3, "PER")])
    overlapping = record(projected=[Span(1, 3, "PER"), Span(2, 4, "ORG")])
    with pytest.raises(ProjectionError, match=r"Sentence 'dev-1' cannot be written as CoNLL: span .* overlaps"):
        write_conll([good, overlapping], out)
    spaced = record(projected=[], target=["Rais", "Ivan Duque"])
    with pytest.raises(ProjectionError, match=r"token 1 \('Ivan Duque'\) is empty or contains a space"):
        write_conll([good, spaced], out)
    beyond = record(projected=[Span(4, 6, "LOC")])
    with pytest.raises(ProjectionError, match="beyond the sentence end"):
        write_conll([beyond], out)
    assert out.read_text("utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.conll"]


def test_sentences_without_tokens_are_left_out(tmp_path: Path) -> None:
    sentences = [Sentence("a", "sw", ["Habari"]), Sentence("b", "sw", []), Sentence("c", "sw", ["Asante"])]
    assert write_conll(sentences, tmp_path / "out.conll") == 2
    assert [s.tokens for s in read_conll(tmp_path / "out.conll", "sw")] == [["Habari"], ["Asante"]]
