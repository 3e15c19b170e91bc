"""``projection evaluate``: run a pipeline on gold-labelled data and score the projections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from projection.cache import DEFAULT_CACHE_DIR
from projection.cli import options
from projection.cli.app import app, console, print_table
from projection.fileio import atomic_write, output_file
from projection.pipeline.config import Direction
from projection.pipeline.scoring import ProjectionScores, score_records
from projection.pipeline.setup import run_config
from projection.writers.jsonl import write_jsonl


@app.command()
def evaluate(
    data: Annotated[Path, typer.Option(help="Gold-labelled target sentences (CoNLL or JSONL).")],
    lang: Annotated[str, typer.Option(help="Language of --data, e.g. es.")],
    direction: Annotated[Direction, typer.Option(help="translate-test, or translate-train with --source.")] = (
        "translate-test"
    ),
    source: Annotated[
        Path | None, typer.Option(help="translate-train only: the labelled side, line-aligned with --data.")
    ] = None,
    source_lang: Annotated[str, typer.Option(help="Language of the labelled side.")] = "en",
    profile: options.Profile = None,
    translator: options.Translator = None,
    labeller: options.Labeller = None,
    aligner: options.Aligner = None,
    projector: options.Projector = None,
    labels: options.Labels = None,
    propagate: options.Propagate = None,
    priors: options.Priors = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the metrics as JSON here.")] = None,
    records_out: Annotated[Path | None, typer.Option("--records", help="Write the projected records (JSONL).")] = None,
    examples: Annotated[int, typer.Option(help="Examples to print per error type.")] = 1,
    cache_dir: options.CacheDir = DEFAULT_CACHE_DIR,
    no_cache: options.NoCache = False,
) -> None:
    """Score projected spans against gold target labels (seqeval P/R/F1, proj_ratio, error types)."""
    for output in (json_out, records_out):
        if output is not None:
            output_file(output)
    named = options.scored_input(direction=direction, data=data, lang=lang, source=source, source_lang=source_lang)
    config = run_config(
        named,
        profile=profile,
        translator=translator,
        labeller=labeller,
        aligner=aligner,
        projector=projector,
        labels=options.parse_labels(labels),
        propagate=propagate,
    )
    result, config = options.run_named(named, config, priors=priors, cache_dir=cache_dir, no_cache=no_cache)
    scores = score_records(result.records, labels=config.labels)
    print_scores(scores, examples=examples)
    summary = {
        **scores.to_dict(),
        "seconds": round(result.seconds, 3),
        "steps": {t.step: {"seconds": round(t.seconds, 3), "cached": t.cached} for t in result.timings},
        "config": config.to_dict(),
    }
    console.print(f"{len(result.records)} sentences in {result.seconds:.1f} s")
    if json_out:
        with atomic_write(json_out) as handle:
            json.dump(summary, handle, indent=2, ensure_ascii=False)
        console.print(f"Metrics written to {json_out}")
    if records_out:
        write_jsonl(result.records, records_out)
        console.print(f"Records written to {records_out}")


def print_scores(scores: ProjectionScores, *, examples: int = 1) -> None:
    """The metrics table, error counts and a few examples of each error type."""
    table = Table(title="Projection vs gold")
    for column in ("label", "precision", "recall", "f1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, row in sorted(scores.metrics.per_label.items()):
        table.add_row(label, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}", str(row["support"]))
    overall = scores.metrics
    table.add_row("overall", f"{overall.precision:.3f}", f"{overall.recall:.3f}", f"{overall.f1:.3f}", "", style="bold")
    print_table(table)
    if scores.metrics.proj_ratio is not None:
        console.print(f"proj_ratio {scores.metrics.proj_ratio:.3f}")
    errors = Table(title="Error types")
    errors.add_column("type")
    errors.add_column("count", justify="right")
    errors.add_column("example")
    for kind, count in scores.error_counts.most_common():
        shown = scores.examples.get(kind, [])[:examples]
        errors.add_row(kind, str(count), "\n".join(shown))
    print_table(errors)
