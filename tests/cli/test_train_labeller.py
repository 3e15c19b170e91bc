from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "projection", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_missing_data_and_unknown_start_are_clear_errors(tmp_path):
    train = tmp_path / "train.txt"
    train.write_text("Paris B-LOC\n\n", encoding="utf-8")
    missing = run_cli("train-labeller", "--train", str(train), "--dev", str(tmp_path / "dev.txt"))
    assert missing.returncode == 1 and "Data file not found" in missing.stderr and "dev.txt" in missing.stderr
    start = run_cli("train-labeller", "--train", str(train), "--dev", str(train), "--start", "large")
    assert start.returncode == 1 and "Unknown start 'large'" in start.stderr
    for result in (missing, start):
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "models").exists()
