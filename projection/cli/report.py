"""``projection report``: saved runs -> report.md and report.html (plotly charts), with the paper's numbers beside."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from projection.cli.app import app, console
from projection.report import write_report
from projection.training.run_record import load_runs


@app.command()
def report(
    runs: Annotated[Path, typer.Option(help="Directory of run JSON files from train-eval (searched recursively).")],
    out: Annotated[Path, typer.Option(help="Directory to write report.md and report.html into.")],
    paper_dir: Annotated[
        Path | None, typer.Option(help="Folder of the paper's result CSVs (default: ../shared/anchors/paper_results).")
    ] = None,
) -> None:
    """Per-language, per-label and per-method results of saved runs, with the paper's numbers marked as such."""
    loaded = load_runs(runs)
    files = write_report(loaded, out, paper_dir=paper_dir)
    console.print(f"{len(loaded)} runs -> {files.markdown} and {files.html}")
