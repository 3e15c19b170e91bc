from __future__ import annotations

import hashlib
import json

import pytest

from projection.errors import ProjectionError
from projection.training.run_record import RUN_FORMAT, Run, file_fingerprint, load_run, load_runs, save_run


def make_run(name: str = "swa-heuristic", f1: float = 0.7) -> Run:
    return Run(
        name=name,
        kind="translate-train",
        lang="swa",
        src_lang="en",
        dataset="masakhaner2",
        method={"projector": "heuristic", "aligner": "eflomal"},
        metrics={"overall": {"precision": 0.8, "recall": 0.6, "f1": f1}, "per_label": {}},
        timings={"train": 12.5, "total": 60.0},
    )


def test_a_saved_run_loads_back_equal(tmp_path):
    run = make_run()
    save_run(run, tmp_path / "runs" / "swa.json")
    assert load_run(tmp_path / "runs" / "swa.json") == run
    assert json.loads((tmp_path / "runs" / "swa.json").read_text())["format"] == RUN_FORMAT


def test_load_runs_reads_every_json_below_a_directory(tmp_path):
    save_run(make_run("b", 0.5), tmp_path / "b.json")
    save_run(make_run("a", 0.6), tmp_path / "nested" / "a.json")
    assert sorted(run.name for run in load_runs(tmp_path)) == ["a", "b"]


def test_bad_run_files_are_clear_errors(tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ProjectionError, match="not valid JSON"):
        load_run(tmp_path / "broken.json")
    (tmp_path / "other.json").write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(ProjectionError, match="not a run file"):
        load_run(tmp_path / "other.json")
    data = make_run().to_dict()
    del data["metrics"]
    (tmp_path / "partial.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProjectionError, match="metrics"):
        load_run(tmp_path / "partial.json")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ProjectionError, match="No run files"):
        load_runs(tmp_path / "empty")
    with pytest.raises(ProjectionError, match="not found"):
        load_runs(tmp_path / "absent")


def test_file_fingerprint_names_the_content(tmp_path):
    (tmp_path / "a.txt").write_text("Habari\n", encoding="utf-8")
    fingerprint = file_fingerprint(tmp_path / "a.txt")
    assert fingerprint["bytes"] == 7
    assert fingerprint["sha256"] == hashlib.sha256(b"Habari\n").hexdigest()
