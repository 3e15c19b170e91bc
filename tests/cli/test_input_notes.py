"""What the readers note in a user's input reaches the command line's output, as plain text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from projection.readers import read_sentences

REPO = Path(__file__).resolve().parents[2]


def test_project_reads_any_line_ending_and_prints_what_it_noted(shared_data: Path, tmp_path: Path) -> None:
    blocks = (shared_data / "masakhaner2/swa/dev.txt").read_text("utf-8").split("\n\n")[:25]
    text = "\n\n".join(blocks) + "\n"
    assert text.count("Marekani B-LOC") and text.count("\nwakati O\n")
    text = text.replace("Marekani B-LOC", "Marekani b-loc", 1).replace("\nwakati O\n", "\nwakati B-[/]\n", 1)
    src = tmp_path / "sw.conll"
    src.write_bytes(text.replace("\n", "\r").encode("utf-8"))  # classic Mac line endings
    tgt = tmp_path / "sw.raw"
    tgt.write_text("\n".join(" ".join(line.split(" ")[0] for line in b.splitlines()) for b in blocks) + "\n", "utf-8")
    out = tmp_path / "silver.conll"
    done = subprocess.run(
        [sys.executable, "-m", "projection", "project", "--src", str(src), "--tgt", str(tgt), "--src-lang", "sw",
         "--tgt-lang", "sw", "--labeller", "gold", "--out", str(out), "--no-cache"],
        cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "1000"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(read_sentences(out, "sw")) == 25
    lines = done.stderr.splitlines()
    lowercase = next(line for line in lines if "not in upper case" in line)
    assert lowercase.startswith(f"{src}: 1 tag or label not in upper case was read in upper case ('b-loc' x1)")
    first_b_loc = next(n for n, line in enumerate(text.split("\n"), 1) if line == "Marekani b-loc")
    assert lowercase.endswith(f"first at {src}, line {first_b_loc}.")
    other = next(line for line in lines if "outside the label set" in line)
    assert "(PER, ORG, LOC, DATE) was read as O ('[/]' x1)" in other  # the profile's labels; markup printed as is
