"""JSONL writer: records and sentences read back equal, NumPy values, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.readers.conll import read_conll
from projection.readers.jsonl import read_jsonl, read_records
from projection.writers.jsonl import write_jsonl


def records_from(sentences: list[Sentence]) -> list[ProjectionRecord]:
    """Realistic records: each gold sentence projected onto itself, with a similarity matrix."""
    records = []
    for sentence in sentences:
        n = len(sentence.tokens)
        records.append(
            ProjectionRecord(
                id=sentence.id,
                source=Sentence(
                    sentence.id,
                    "en",
                    list(sentence.tokens),
                    [Span(s.start, s.end, s.label, np.float32(0.5), "spacy") for s in sentence.spans],
                ),
                target=Sentence(sentence.id, "sw", list(sentence.tokens)),
                alignment=Alignment(
                    [(i, i) for i in range(n)], [0.25] * n, np.eye(n, dtype=np.float32) * np.float32(0.3)
                ),
                projected=[Span(s.start, s.end, s.label, 1.0, "projected:heuristic") for s in sentence.spans],
                gold=list(sentence.spans),
                provenance={"aligner": {"name": "eflomal", "params": {"symmetrisation": "intersection"}}},
            )
        )
    return records


def test_records_round_trip_to_equal_dicts(tmp_path: Path, shared_data: Path) -> None:
    records = records_from(read_conll(shared_data / "masakhaner2/swa/test.txt", "sw")[:200])
    out = tmp_path / "records.jsonl"
    assert write_jsonl(iter(records), out) == 200
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 200
    first = json.loads(lines[0])
    assert first["source"]["spans"][0]["score"] == 0.5 and first["projected"][0]["origin"] == "projected:heuristic"
    back = read_records(out)
    assert [r.to_dict() for r in back] == [r.to_dict() for r in records]
    assert [r.projected for r in back] == [r.projected for r in records]


def test_sentences_round_trip(tmp_path: Path) -> None:
    sentences = [
        Sentence("s1", "yo", ["Ọmọ", "Èkó"], [Span(1, 2, "LOC", origin="gold")]),
        Sentence("s2", "yo", ["Ẹ", "kú", "àárọ̀"]),
    ]
    write_jsonl(sentences, tmp_path / "s.jsonl")
    assert "Èkó" in (tmp_path / "s.jsonl").read_text("utf-8")  # written as text, not \u escapes
    assert read_jsonl(tmp_path / "s.jsonl") == sentences


def test_failure_leaves_no_output(tmp_path: Path) -> None:
    class Unwritable(Sentence):
        def to_dict(self) -> dict:
            return {"id": self.id, "tokens": self.tokens, "spans": object()}

    out = tmp_path / "s.jsonl"
    with pytest.raises(TypeError):
        write_jsonl([Sentence("a", "sw", ["x"]), Unwritable("b", "sw", ["y"])], out)
    assert list(tmp_path.iterdir()) == []
