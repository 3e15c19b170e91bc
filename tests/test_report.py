"""The report from hand-built run files: our numbers, and the paper's beside them, marked as the paper's."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from projection.errors import ProjectionError
from projection.report import PAPER_NOTE, write_report
from projection.training.run_record import Run, load_runs, save_run

PAPER_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "anchors" / "paper_results"


@pytest.fixture
def paper_dir() -> Path:
    if not PAPER_DIR.is_dir():
        pytest.skip(f"the paper's result tables are not at {PAPER_DIR}")
    return PAPER_DIR


def paper_best(table: str, lang: str, pipeline_type: str | None = None) -> float:
    """Read straight from the paper's CSV: the best overall F1 of a language's projection methods (or one type)."""
    with (PAPER_DIR / f"{table}_metrics.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["lang"] == lang and r["overall_f1"]]
    if pipeline_type is None:
        rows = [r for r in rows if r["pipeline_type"] != "model_transfer"]
    else:
        rows = [r for r in rows if r["pipeline_type"] == pipeline_type]
    return max(float(r["overall_f1"]) for r in rows)


def markdown_table(markdown: str, title: str) -> list[dict[str, str]]:
    """The rows of the table under the heading ``## title``, as dicts keyed by the header."""
    lines = markdown.splitlines()
    start = lines.index(f"## {title}")
    table = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    header, rows = table[0], table[2:]
    return [dict(zip(header, row, strict=True)) for row in rows]


def per_label(**f1: float) -> dict:
    return {label: {"precision": v, "recall": v, "f1": v, "support": 100} for label, v in f1.items()}


def train_run(name: str, lang: str, projector: str, f1: float, group: str = "main", **method: object) -> Run:
    return Run(
        name=name,
        kind="translate-train",
        lang=lang,
        src_lang="en",
        dataset="masakhaner2",
        method={"projector": projector, "aligner": "eflomal", "symmetrisation": "grow-diag-final-and", **method},
        metrics={
            "overall": {"precision": f1, "recall": f1, "f1": f1},
            "per_label": per_label(PER=f1 + 0.1, ORG=f1 - 0.2, LOC=f1, DATE=f1 - 0.1),
            "proj_ratio": 1.0,
        },
        metrics_by_labels={"PER,ORG,LOC": {"overall": {"precision": f1, "recall": f1, "f1": f1 + 0.01}}},
        timings={"read": 2.0, "align": 50.0, "train": 150.0, "total": 230.0},
        group=group,
        data={"n_train": 1234, "n_test_overlap": 0, "bitext_parts": ["dev", "test", "train"], "silver": {}},
        errors={"correct": 10, "missed": 3, "spurious": 2},
    )


@pytest.fixture
def runs_dir(tmp_path) -> Path:
    runs = [
        train_run("swa-heuristic", "swa", "heuristic", 0.712),
        train_run("swa-ngram-greedy", "swa", "ngram-greedy", 0.698),
        train_run("pcm-heuristic", "pcm", "heuristic", 0.655),
        train_run("swa-sym-gdfa", "swa", "heuristic", 0.712, group="symmetrisation"),
        train_run("swa-sym-<union>", "swa", "heuristic", 0.650, group="symmetrisation", symmetrisation="union"),
        Run(
            name="es-translate-test",
            kind="translate-test",
            lang="es",
            src_lang="en",
            dataset="conll2002",
            method={"translator": "apertium", "projector": "heuristic"},
            metrics={"overall": {"precision": 0.6, "recall": 0.5, "f1": 0.545}, "per_label": per_label(PER=0.6)},
            timings={"translate": 30.0, "total": 80.0},
            group="main",
        ),
    ]
    for run in runs:
        save_run(run, tmp_path / "runs" / f"{run.name}.json")
    return tmp_path / "runs"


def test_report_shows_our_numbers_and_the_papers_marked_as_such(tmp_path, runs_dir, paper_dir):
    files = write_report(load_runs(runs_dir), tmp_path / "report", paper_dir=paper_dir)
    markdown = files.markdown.read_text(encoding="utf-8")
    assert PAPER_NOTE in markdown
    assert "intrinsic" in markdown and "NLLB-3.3B" in markdown and "XLM-R-large" in markdown
    rows = {row["language"]: row for row in markdown_table(markdown, "Per-language F1 by method (translate-train)")}
    assert set(rows) == {"swa", "pcm"}
    assert rows["swa"]["ours: heuristic"] == "0.712"
    assert rows["swa"]["ours: ngram-greedy"] == "0.698"
    assert rows["swa"]["ours best, PER/ORG/LOC"] == "0.722"
    assert rows["swa"]["paper: heuristic"] == f"{paper_best('masakhaner2', 'swa', 'align_src'):.3f}"
    best_projection = max(paper_best("masakhaner2", "swa", kind) for kind in ("align_src", "align_tgt", "candidates"))
    assert rows["swa"]["paper: best projection (method)"].startswith(f"{best_projection:.3f} (")
    assert rows["swa"]["paper: model-transfer"] == f"{paper_best('masakhaner2', 'swa', 'model_transfer'):.3f}"
    assert rows["pcm"]["ours: ngram-greedy"] == "–"
    assert rows["pcm"]["paper: heuristic"] == "–"
    assert "not in the paper" in rows["pcm"]["paper: best projection (method)"]


def test_report_tables_for_variants_and_translate_test(tmp_path, runs_dir, paper_dir):
    files = write_report(load_runs(runs_dir), tmp_path / "report", paper_dir=paper_dir)
    markdown = files.markdown.read_text(encoding="utf-8")
    assert "## Variants: symmetrisation" in markdown
    variants = markdown_table(markdown, "Variants: symmetrisation")
    assert [row["run"] for row in variants] == ["swa-sym-gdfa", "swa-sym-<union>"]
    assert [row["symmetrisation"] for row in variants] == ["grow-diag-final-and", "union"]
    assert [row["Δ F1 to best"] for row in variants] == ["+0.000", "-0.062"]
    assert "projector" not in variants[0]  # the same in every variant
    (es_row,) = markdown_table(markdown, "translate-test (intrinsic)")
    assert es_row["F1"] == "0.545"
    assert es_row["paper best (table, method, aligner)"].startswith(f"{paper_best('xtreme40', 'es'):.3f} (xtreme40,")


def test_html_report_is_self_contained_and_escaped(tmp_path, runs_dir, paper_dir):
    files = write_report(load_runs(runs_dir), tmp_path / "report", paper_dir=paper_dir)
    page = files.html.read_text(encoding="utf-8")
    assert page.count('<script type="text/javascript">/**\n* plotly.js') <= 1
    assert "plotly" in page.lower()
    for chart in ("per-language", "per-label", "per-method", "runtime", "group-symmetrisation", "translate-test"):
        assert f"id='chart-{chart}'" in page
    assert "<td>swa-sym-&lt;union&gt;</td>" in page
    assert "paper: heuristic" in page


def test_report_without_runs_is_a_clear_error(tmp_path):
    (tmp_path / "runs").mkdir()
    with pytest.raises(ProjectionError, match="No run files"):
        write_report(load_runs(tmp_path / "runs"), tmp_path / "out")
