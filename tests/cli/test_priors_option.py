"""``--priors`` on the command line: eflomal priors from a bitext directory, refused for another pair."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "projection", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "1000"},
    )


def write_pair(folder: Path, name: str, suffixes: tuple[str, str], lines: tuple[list[str], list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, side in zip(suffixes, lines, strict=True):
        (folder / f"{name}.{suffix}").write_text("\n".join(side) + "\n", encoding="utf-8")


ENGLISH = ["Juma lives in Nairobi .", "Amina works in Mombasa .", "Juma met Amina in Nairobi ."]
SWAHILI = ["Juma anaishi Nairobi .", "Amina anafanya kazi Mombasa .", "Juma alikutana na Amina Nairobi ."]


@pytest.mark.slow
def test_project_learns_priors_from_a_bitext_directory_and_says_so_in_the_records(tmp_path: Path) -> None:
    write_pair(tmp_path / "priors", "train", ("en", "swa"), (ENGLISH * 20, SWAHILI * 20))
    write_pair(tmp_path, "input", ("en", "sw"), (ENGLISH, SWAHILI))
    out = tmp_path / "out.jsonl"
    done = run_cli(
        "project", "--src", str(tmp_path / "input.en"), "--tgt", str(tmp_path / "input.sw"), "--src-lang", "en",
        "--tgt-lang", "sw", "--out", str(out), "--priors", str(tmp_path / "priors"),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    priors = record["provenance"]["stages"]["align"]["params"]["priors"]
    assert priors["bitext"].endswith("priors, read as en-sw") and len(priors["sha256"]) == 64
    assert len(list((tmp_path / "cache" / "eflomal-priors").glob("*.priors.gz"))) == 1


def test_priors_of_another_pair_or_for_another_aligner_are_refused(tmp_path: Path) -> None:
    write_pair(tmp_path / "en-es", "train", ("en", "es"), (ENGLISH, ENGLISH))
    write_pair(tmp_path, "input", ("en", "sw"), (ENGLISH, SWAHILI))
    common = [
        "project", "--src", str(tmp_path / "input.en"), "--tgt", str(tmp_path / "input.sw"), "--src-lang", "en",
        "--tgt-lang", "sw", "--out", str(tmp_path / "out.conll"), "--priors", str(tmp_path / "en-es"),
    ]  # fmt: skip
    done = run_cli(*common, "--cache-dir", str(tmp_path / "cache"))
    assert done.returncode != 0
    assert "not a bitext of en-sw: it holds en-es (train)" in done.stderr and "Traceback" not in done.stderr
    other = run_cli(*common, "--aligner", "simalign")
    assert other.returncode != 0 and "priors are eflomal's statistics" in other.stderr
