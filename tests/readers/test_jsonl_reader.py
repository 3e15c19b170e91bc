"""JSONL reader: sentence lines (spans or tags), record lines, and bad lines with their numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.readers.jsonl import iter_jsonl, read_jsonl, read_records


def write_lines(path: Path, objects: list[Any]) -> Path:
    path.write_text("".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in objects), encoding="utf-8")
    return path


def test_sentence_lines_with_spans_tags_ids_and_langs(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "gold.jsonl",
        [
            {"id": "s1", "tokens": ["Ana", "vive", "en", "Lima"], "spans": [{"start": 3, "end": 4, "label": "LOC"}]},
            {"tokens": ["Rais", "Ivan", "Duque"], "tags": ["O", "B-PER", "I-PER"], "lang": "sw"},
            {"id": 7, "tokens": ["Hola"]},
            {
                "tokens": ["Banco", "Central"],
                "spans": [{"start": 0, "end": 2, "label": "ORG", "score": 0.75, "origin": "spacy"}],
            },
        ],
    )
    sentences = read_jsonl(path, "es")
    assert [(s.id, s.lang) for s in sentences] == [("s1", "es"), ("gold-1", "sw"), ("7", "es"), ("gold-3", "es")]
    assert sentences[0].spans == [Span(3, 4, "LOC", origin="gold")]
    assert sentences[1].spans == [Span(1, 3, "PER", origin="gold")]
    assert sentences[2].spans == []
    assert sentences[3].spans == [Span(0, 2, "ORG", score=0.75, origin="spacy")]


def test_tag_scheme_is_detected_over_the_file(tmp_path: Path) -> None:
    # IOB1: only the first line shows it; the second line's B- then separates two adjacent entities.
    path = write_lines(
        tmp_path / "iob1.jsonl",
        [
            {"tokens": ["x", "Ana"], "tags": ["O", "I-PER"]},
            {"tokens": ["Lima", "Callao"], "tags": ["I-LOC", "B-LOC"]},
        ],
    )
    sentences = read_jsonl(path)
    assert [span.key for span in sentences[1].spans] == [(0, 1, "LOC"), (1, 2, "LOC")]
    with pytest.raises(ProjectionError, match="Unknown tagging scheme"):
        read_jsonl(path, scheme="bilou")


def test_label_set_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text('\n{"tokens": ["Ana", "en", "enero"], "tags": ["B-PER", "O", "B-DATE"]}\n\n  \n', encoding="utf-8")
    (sentence,) = read_jsonl(path, "es", label_set=["PER"])
    assert [span.key for span in sentence.spans] == [(0, 1, "PER")]


def sample_record() -> ProjectionRecord:
    return ProjectionRecord(
        id="dev-3",
        source=Sentence("dev-3", "en", ["President", "Ivan", "Duque"], [Span(1, 3, "PER", 0.9, "spacy")]),
        target=Sentence("dev-3", "sw", ["Rais", "Ivan", "Duque"]),
        alignment=Alignment([(0, 0), (1, 1), (2, 2)]),
        projected=[Span(1, 3, "PER", 1.0, "projected:heuristic")],
        gold=[Span(1, 3, "PER", origin="gold")],
        provenance={"projector": {"name": "heuristic"}},
    )


def test_record_lines_read_as_target_with_projected_spans(tmp_path: Path) -> None:
    record = sample_record()
    path = write_lines(tmp_path / "out.jsonl", [record.to_dict(), {"tokens": ["Habari"], "id": "plain"}])
    sentences = read_jsonl(path, "xx")
    assert sentences[0] == Sentence("dev-3", "sw", ["Rais", "Ivan", "Duque"], record.projected)
    assert sentences[1].id == "plain"


def test_read_records(tmp_path: Path) -> None:
    record = sample_record()
    path = write_lines(tmp_path / "out.jsonl", [record.to_dict()])
    (back,) = read_records(path)
    assert back.to_dict() == record.to_dict()


def test_read_records_refuses_sentence_lines(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "out.jsonl", [sample_record().to_dict(), {"tokens": ["a"]}])
    with pytest.raises(ProjectionError, match=r"out\.jsonl, line 2: a sentence, not a projection record"):
        read_records(path)


def test_broken_record_reports_its_line(tmp_path: Path) -> None:
    broken = sample_record().to_dict()
    del broken["source"]["tokens"]
    path = write_lines(tmp_path / "out.jsonl", [sample_record().to_dict(), broken])
    with pytest.raises(ProjectionError, match="line 2: not a valid projection record"):
        read_records(path)


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (['{"tokens": ["a"]}', '{"tokens": ["b"]'], 2, "not valid JSON"),
        (['{"tokens": ["a"]}', "", '["a", "b"]'], 3, "expected a JSON object"),
        (['{"tokens": "a b"}'], 1, "'tokens' must be a list of strings"),
        (['{"tokens": ["a", 3]}'], 1, "'tokens' must be a list of strings"),
        (['{"tokens": ["a", "b"], "tags": ["O"]}'], 1, "one tag per token"),
        (['{"tokens": ["a"], "tags": ["X-PER"]}'], 1, "unknown tag 'X-PER'"),
        (
            ['{"tokens": ["a"]}', '{"tokens": ["a"], "spans": [{"start": 0, "end": 2, "label": "PER"}]}'],
            2,
            "ends after",
        ),
        (['{"tokens": ["a"], "spans": [{"start": 0, "end": 1}]}'], 1, "bad span"),
        (['{"tokens": ["a"], "spans": [{"start": 1, "end": 1, "label": "PER"}]}'], 1, "bad span"),
        (['{"tokens": ["a"], "spans": {"start": 0}}'], 1, "'spans' must be a list"),
    ],
)
def test_bad_lines_report_file_and_line(tmp_path: Path, lines: list[str], line: int, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match=message) as caught:
        read_jsonl(path, "xx")
    assert f"{path}, line {line}:" in str(caught.value)


def test_non_utf8_and_empty_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"tokens": ["a"]}\n{"tokens": ["España"]}\n'.encode("latin-1"))
    with pytest.raises(ProjectionError, match="line 2: the file is not valid UTF-8"):
        read_jsonl(path)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match="no JSON lines"):
        read_jsonl(empty)
    with pytest.raises(ProjectionError, match="no JSON lines"):
        read_records(empty)


def test_iter_jsonl_is_lazy(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.jsonl", [{"tokens": ["a"]}, {"tokens": ["b"]}])
    stream = iter_jsonl(path, "xx", scheme="IOB2")
    assert next(stream).tokens == ["a"]
    assert next(stream).tokens == ["b"]
