"""``projection compare``: several projection methods on the same inputs in one run, with the paper's numbers beside.

The paper's results for the language are printed as reference only: they
come from another data set (XTREME-40) and other models (NLLB, XLM-R,
neural aligners).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from projection.cache import DEFAULT_CACHE_DIR
from projection.cli import options
from projection.cli.app import app, console, print_table
from projection.cli.progress import step_progress
from projection.errors import ProjectionError
from projection.evaluation.paper import PaperResult, load_paper_results
from projection.fileio import atomic_write, output_file
from projection.pipeline.compare import Comparison, compare_projectors
from projection.pipeline.config import Direction
from projection.pipeline.setup import run_config

DEFAULT_PROJECTORS = "heuristic,ngram-greedy,ngram-exact,backtranslation"


@app.command()
def compare(
    data: Annotated[Path, typer.Option(help="Gold-labelled target sentences (CoNLL or JSONL).")],
    lang: Annotated[str, typer.Option(help="Language of --data, e.g. es.")],
    projector_list: Annotated[
        str, typer.Option("--projectors", help="Comma-separated projector specs to compare.")
    ] = DEFAULT_PROJECTORS,
    direction: Annotated[Direction, typer.Option(help="translate-test, or translate-train with --source.")] = (
        "translate-test"
    ),
    source: Annotated[
        Path | None, typer.Option(help="translate-train only: the labelled side, line-aligned with --data.")
    ] = None,
    source_lang: Annotated[str, typer.Option(help="Language of the labelled side.")] = "en",
    profile: options.Profile = "offline",
    translator: options.Translator = None,
    labeller: options.Labeller = None,
    aligner: options.Aligner = None,
    labels: options.Labels = None,
    propagate: options.Propagate = None,
    paper_table: Annotated[
        str, typer.Option("--paper", help="Paper table for reference rows: xtreme40, masakhaner2, europarlner.")
    ] = "xtreme40",
    json_out: Annotated[Path | None, typer.Option("--json", help="Write all results as JSON here.")] = None,
    cache_dir: options.CacheDir = DEFAULT_CACHE_DIR,
    no_cache: options.NoCache = False,
) -> None:
    """Compare projection methods on the same inputs: F1 per method and label, with the paper's numbers as reference."""
    if json_out is not None:
        output_file(json_out)
    named = options.scored_input(direction=direction, data=data, lang=lang, source=source, source_lang=source_lang)
    config = run_config(
        named,
        profile=profile,
        translator=translator,
        labeller=labeller,
        aligner=aligner,
        labels=options.parse_labels(labels),
        propagate=propagate,
    )
    specs = [spec.strip() for spec in projector_list.split(",") if spec.strip()]
    run = options.read_input(named, config)
    with step_progress() as progress:
        comparison = compare_projectors(
            run.sentences,
            config,
            specs,
            targets=run.targets,
            cache=options.cache_of(cache_dir, no_cache),
            progress=progress,
        )
    print_comparison(comparison)
    paper = _paper_rows(paper_table, lang)
    if paper:
        print_paper(paper, paper_table, lang)
    if json_out:
        summary = {
            **comparison.to_dict(),
            "data": str(data),
            "paper_reference": {
                "note": f"{paper_table} results of the paper: different data set and models; reference only",
                "rows": [row.to_dict() for row in paper],
            },
        }
        with atomic_write(json_out) as handle:
            json.dump(summary, handle, indent=2, ensure_ascii=False)
        console.print(f"Results written to {json_out}")


def _paper_rows(table: str, lang: str) -> list[PaperResult]:
    try:
        return load_paper_results(table, lang)
    except ProjectionError as err:
        console.print(f"No paper reference: {err}", style="yellow")
        return []


def _label_names(comparison: Comparison) -> list[str]:
    names: set[str] = set()
    for method in comparison.methods:
        names.update(method.scores.metrics.per_label)
    return sorted(names)


def print_comparison(comparison: Comparison) -> None:
    """One row per method: overall P/R/F1, F1 per label, proj_ratio and seconds."""
    labels = _label_names(comparison)
    config = comparison.config
    title = (
        f"{config.direction} {config.target_lang}: translator {config.translator}, labeller {config.labeller_spec}, "
        f"aligner {config.aligner}"
    )
    if config.propagate:
        title += f", label propagation (min count {config.propagate})"
    table = Table(title=title)
    for column in ("method", "P", "R", "F1", *[f"{label} F1" for label in labels], "proj_ratio", "seconds"):
        table.add_column(column, justify="left" if column == "method" else "right")
    best = comparison.best()
    for method in comparison.methods:
        metrics = method.scores.metrics
        ratio = "-" if metrics.proj_ratio is None else f"{metrics.proj_ratio:.3f}"
        table.add_row(
            method.spec,
            f"{100 * metrics.precision:.1f}",
            f"{100 * metrics.recall:.1f}",
            f"{100 * metrics.f1:.1f}",
            *[f"{100 * metrics.per_label.get(label, {}).get('f1', 0.0):.1f}" for label in labels],
            ratio,
            f"{method.seconds:.1f}",
            style="bold" if method is best else None,
        )
    print_table(table)
    baseline = next((m for m in comparison.methods if m.spec == "heuristic"), None)
    if baseline is not None and best is not baseline:
        gain = 100 * (best.scores.metrics.f1 - baseline.scores.metrics.f1)
        console.print(f"Best: {best.spec}, {gain:+.1f} F1 points over the heuristic.", highlight=False)
    shared = ", ".join(f"{t.step} {t.seconds:.1f}s{' (cached)' if t.cached else ''}" for t in comparison.shared_timings)
    console.print(f"Shared stages, run once: {shared}")
    for method in comparison.methods:
        report = method.marker_report
        if report:
            shown = ", ".join(report["lost_sentence_ids"][:10])
            more = " ..." if len(report["lost_sentence_ids"]) > 10 else ""
            console.print(
                f"{method.spec}: markers kept in {100 * report['kept_ratio']:.1f}% of sentences with entities; "
                f"{report['matched']} entities matched, {report['matched_by_order']} by order, "
                f"{report['recovered']} recovered, {report['lost']} lost"
                + (f" (sentences {shown}{more})" if report["lost"] else ""),
                highlight=False,
            )


def print_paper(rows: Sequence[PaperResult], table_name: str, lang: str) -> None:
    """The paper's rows for the language, clearly marked as reference."""
    labels = sorted({label for row in rows for label in row.per_label_f1})
    table = Table(
        title=f"Paper reference only ({table_name}, lang {lang}): different data set and models (NLLB, XLM-R)",
        title_style="italic",
    )
    for column in ("paper method", "aligner", "F1", *[f"{label} F1" for label in labels]):
        table.add_column(column, justify="left" if column in ("paper method", "aligner") else "right")
    for row in rows:
        table.add_row(
            row.method,
            row.aligner,
            f"{100 * row.f1:.1f}",
            *[f"{100 * row.per_label_f1[label]:.1f}" if label in row.per_label_f1 else "-" for label in labels],
            style="dim",
        )
    print_table(table)
