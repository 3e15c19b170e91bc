"""Label Studio writer and reader: character offsets at the edge, token spans everywhere else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.readers.conll import read_conll
from projection.readers.label_studio import read_label_studio
from projection.writers.label_studio import label_config, write_label_studio


def record(corrected: bool) -> ProjectionRecord:
    return ProjectionRecord(
        id="train-7",
        source=Sentence("train-7", "en", ["Mr", "Kenyatta", "flew", "to", "New", "York"], [Span(1, 2, "PER")]),
        target=Sentence("train-7", "sw", ["Bw", "Kenyatta", "alisafiri", "hadi", "New", "York"]),
        alignment=Alignment([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]),
        projected=[Span(1, 2, "PER", 0.5, "projected:heuristic"), Span(4, 6, "LOC", 1.0, "projected:heuristic")],
        provenance={"method": "heuristic", "corrected": corrected},
    )


def test_offsets_point_at_the_span_text(tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    assert write_label_studio([record(corrected=False)], out) == 1
    [task] = json.loads(out.read_text("utf-8"))
    text = task["data"]["text"]
    assert text == "Bw Kenyatta alisafiri hadi New York"
    [prediction] = task["predictions"]
    assert "annotations" not in task
    assert prediction["model_version"] == "projection:heuristic"
    assert prediction["score"] == pytest.approx(0.75)
    regions = [(text[r["value"]["start"] : r["value"]["end"]], r["value"]["labels"]) for r in prediction["result"]]
    assert regions == [("Kenyatta", ["PER"]), ("New York", ["LOC"])]
    names = {(r["from_name"], r["to_name"], r["type"]) for r in prediction["result"]}
    assert names == {("label", "text", "labels")}


def test_corrected_records_become_annotations(tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    write_label_studio([record(corrected=True), record(corrected=False)], out)
    first, second = json.loads(out.read_text("utf-8"))
    assert "predictions" not in first and len(first["annotations"][0]["result"]) == 2
    assert "annotations" not in second
    assert [s.origin for s in read_label_studio(out)[0].spans] == ["gold", "gold"]


def test_round_trip_of_a_gold_file(tmp_path: Path, shared_data: Path) -> None:
    original = read_conll(shared_data / "masakhaner2/swa/dev.txt", "sw")
    out = tmp_path / "swa.json"
    assert write_label_studio(original, out) == len(original)
    again = read_label_studio(out)
    assert [s.id for s in again] == [s.id for s in original]
    assert [s.tokens for s in again] == [s.tokens for s in original]
    assert [s.spans for s in again] == [s.spans for s in original]
    assert {s.lang for s in again} == {"sw"}


def test_reader_snaps_hand_made_regions_to_tokens(tmp_path: Path) -> None:
    # A task as Label Studio exports it after a person annotated it: no tokens, a region ending mid-word,
    # a cancelled annotation that must be ignored, and an earlier prediction.
    region = {"type": "labels", "value": {"start": 6, "end": 15, "labels": ["PER"]}}
    task = {
        "id": 12,
        "data": {"text": "Rais  Samia Suluhu alizuru Dodoma."},
        "annotations": [
            {"was_cancelled": False, "result": [region]},
            {"was_cancelled": True, "result": []},
        ],
        "predictions": [{"model_version": "m", "result": []}],
    }
    (tmp_path / "export.json").write_text(json.dumps([task]), encoding="utf-8")
    [sentence] = read_label_studio(tmp_path / "export.json", "sw")
    assert sentence.id == "12"
    assert sentence.tokens == ["Rais", "Samia", "Suluhu", "alizuru", "Dodoma."]
    assert [s.key for s in sentence.spans] == [(1, 3, "PER")]


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="whitespace"):
        write_label_studio([Sentence("s", "sw", ["New York", "ni"])], tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()
    (tmp_path / "bad.json").write_text('[{"data": {"text": "a"}}', encoding="utf-8")
    with pytest.raises(ProjectionError, match="line 1"):
        read_label_studio(tmp_path / "bad.json")


def test_label_config_names_match_the_tasks() -> None:
    config = label_config(["PER", "LOC"])
    assert '<Labels name="label" toName="text">' in config
    assert '<Label value="PER"/>' in config and '<Text name="text" value="$text"/>' in config
