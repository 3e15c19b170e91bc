"""``projection quality``: the corpus's span precision and recall estimated from its reviewed random sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from projection.app_support.datasets import load_records_folder
from projection.cli.app import app, console, print_table
from projection.errors import ProjectionError
from projection.evaluation.estimate import DEFAULT_RESAMPLES, Estimate
from projection.fileio import atomic_write, output_file
from projection.quality import SampleQuality, find_sample, sample_quality
from projection.store import CorrectionsStore


def pick(given: str | None, choices: list[str], what: str, option: str) -> str:
    """``given`` if the records have it; without it, the records' only choice."""
    if given is None:
        if len(choices) == 1:
            return choices[0]
        raise ProjectionError(f"The records hold several {what}s ({', '.join(choices)}): choose one with {option}.")
    if given not in choices:
        raise ProjectionError(f"The records have no {what} {given!r}; they have {', '.join(choices)}.")
    return given


def cells(found: Estimate) -> tuple[str, str]:
    if found.value is None or found.low is None or found.high is None:
        return "–", "–"
    return f"{found.value:.1%}", f"{found.low:.1%} – {found.high:.1%}"


def quality_table(results: list[SampleQuality]) -> Table:
    table = Table(title="Estimated span quality of the corpus (95% intervals, bootstrap over sentences)")
    for column in ("method", "reviewed", "precision", "interval", "recall", "interval "):
        table.add_column(column, justify="left" if column == "method" else "right")
    for result in results:
        assert result.estimate is not None
        table.add_row(
            result.method,
            f"{result.reviewed:,} of {result.sample.size:,}",
            *cells(result.estimate.precision),
            *cells(result.estimate.recall),
        )
    return table


@app.command("quality")
def quality_command(
    records: Annotated[
        Path,
        typer.Option(
            help="Projected records: a JSONL file, or a folder of them, one per method (as `project` and `export` "
            "write them, or as they were opened on the app's Data page)."
        ),
    ],
    dataset: Annotated[
        str,
        typer.Option(
            help="The data set in the corrections store: its name as the app's Data page named it (the built-in "
            "example's is `example`), or its key as the Export page shows it. Its random sample is the one drawn "
            "on the sentences of --records (same ids and words)."
        ),
    ],
    lang: Annotated[str | None, typer.Option(help="Target language (default: the records' only one).")] = None,
    method: Annotated[
        list[str] | None, typer.Option(help="A method to score (repeatable; default: every method of the records).")
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            help="Corrections database URL (default: $PROJECTION_CORRECTIONS_URL or cache/corrections.sqlite)."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the estimate as JSON to this file.")] = None,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.")] = DEFAULT_RESAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
) -> None:
    """Estimate the corpus's span precision and recall from the Review page's random sample.

    The sample's reviewed sentences (adjudicated, else marked reviewed) are
    gold; each method's projected spans are scored against them, with 95%
    intervals from a bootstrap over sentences.
    """
    if out is not None:
        output_file(out)
    if resamples < 100:
        raise typer.BadParameter("use at least 100 resamples", param_hint="--resamples")
    data = load_records_folder(records, name=dataset)
    lang = pick(lang, data.langs, "language", "--lang")
    methods = [pick(name, data.methods(lang), "method", "--method") for name in method or data.methods(lang)]
    hashes = {sentence_id: data.text_hash(lang, sentence_id) for sentence_id in data.sentence_ids(lang)}
    opened = CorrectionsStore(store)
    try:
        sample = find_sample(opened, dataset, lang, hashes)
        reviews = opened.reviews(sample.dataset, lang=lang)
    finally:
        opened.close()
    labels = data.labels(lang) or None
    results = []
    for name in methods:
        chosen = {sentence_id: data.record(lang, name, sentence_id) for sentence_id in sample.sentence_ids}
        present = {sentence_id: record for sentence_id, record in chosen.items() if record is not None}
        results.append(
            sample_quality(sample, present, reviews, method=name, labels=labels, resamples=resamples, seed=seed)
        )
    if results[0].reviewed == 0:
        raise ProjectionError(
            f"None of the {sample.size:,} sentences of the random sample of {dataset!r} in {lang!r} is reviewed yet: "
            "review them on the app's Review page (Go through: Random sample), then ask again."
        )
    console.print(
        f"Random sample of {dataset}: {sample.size:,} of {sample.population:,} sentences in {lang} (seed "
        f"{sample.seed}, drawn by {sample.drawn_by} on {sample.drawn_at:%Y-%m-%d}); counted: "
        f"{', '.join(labels) if labels else 'every label'}.",
        soft_wrap=True,
    )
    print_table(quality_table(results))
    if out is not None:
        report = {
            "dataset": dataset,
            "lang": lang,
            "labels": labels,
            "sample": sample.to_dict(),
            "methods": [result.to_dict() for result in results],
        }
        with atomic_write(out) as handle:
            json.dump(report, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        console.print(f"Estimate written to {out}.")
