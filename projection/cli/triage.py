"""``projection triage``: the projected spans and sentences most likely wrong first, with reasons, no gold used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from projection.cache import DEFAULT_CACHE_DIR
from projection.cli import options
from projection.cli.app import app, console, print_table
from projection.cli.progress import step_progress
from projection.errors import ProjectionError
from projection.fileio import atomic_write, output_file
from projection.pipeline.compare import run_projectors, runnable_methods
from projection.pipeline.config import Direction, PipelineConfig
from projection.pipeline.setup import NamedInput, named_input, run_config
from projection.readers.jsonl import read_records
from projection.triage import CrossValidation, Triage, ranking_quality, records_by_method, triage


@app.command("triage")
def triage_command(
    out: Annotated[
        Path, typer.Option(help="Where to write the ranking: one JSON line per sentence, most suspicious first.")
    ],
    data: Annotated[
        Path | None, typer.Option(help="translate-test: gold-labelled target sentences (CoNLL or JSONL).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language of --data, e.g. es.")] = None,
    src: Annotated[
        Path | None, typer.Option(help="translate-train: the source side (raw text, CoNLL or JSONL).")
    ] = None,
    tgt: Annotated[Path | None, typer.Option(help="translate-train: the target side of a bitext.")] = None,
    src_lang: Annotated[str, typer.Option(help="Language of the labelled side.")] = "en",
    tgt_lang: Annotated[str | None, typer.Option(help="translate-train: language of the target side.")] = None,
    records: Annotated[
        list[Path] | None, typer.Option(help="Already projected records (JSONL), one file per method; repeatable.")
    ] = None,
    direction: Annotated[
        Direction | None, typer.Option(help="translate-test (with --data) or translate-train.")
    ] = None,
    methods: Annotated[
        str | None, typer.Option(help="Comma-separated committee (default: every method the profile can run).")
    ] = None,
    method: Annotated[
        str | None, typer.Option(help="The method whose spans are ranked (default: the profile's).")
    ] = None,
    profile: options.Profile = None,
    translator: options.Translator = None,
    labeller: options.Labeller = None,
    aligner: options.Aligner = None,
    labels: options.Labels = None,
    propagate: options.Propagate = None,
    model: Annotated[bool, typer.Option(help="Train the cross-validated corpus model (the slowest signal).")] = True,
    folds: Annotated[int, typer.Option(help="Folds of the cross-validated model.")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the folds and the model.")] = 0,
    cache_dir: options.CacheDir = DEFAULT_CACHE_DIR,
    no_cache: options.NoCache = False,
) -> None:
    """Rank projected sentences and spans by how likely they are wrong, and flag entities the projection missed."""
    output_file(out)
    cache = options.cache_of(cache_dir, no_cache)
    cross_validation = CrossValidation(folds=folds, seed=seed) if model else None
    if records:
        runs = records_by_method([record for path in records for record in read_records(path)])
        default = method or next(iter(runs))
        with step_progress() as progress:
            result = triage(runs, default=default, model=cross_validation, cache=cache, progress=progress)
    else:
        named = triage_input(data=data, lang=lang, src=src, tgt=tgt, src_lang=src_lang, tgt_lang=tgt_lang)
        if direction is not None and direction != named.direction:
            raise ProjectionError(
                f"The input is for {named.direction}: --data holds gold target sentences (translate-test), "
                "--src a source side (translate-train)."
            )
        config = run_config(
            named, profile=profile, translator=translator, labeller=labeller, aligner=aligner,
            labels=options.parse_labels(labels), propagate=propagate,
        )  # fmt: skip
        committee = committee_of(methods, config)
        default = method or config.projector
        if default not in committee:
            committee.insert(0, default)
        run = options.read_input(named, config)
        with step_progress() as progress:
            runs = run_projectors(
                run.sentences, config, committee, targets=run.targets, cache=cache, progress=progress
            ).records()
            result = triage(runs, default=default, model=cross_validation, cache=cache, progress=progress)
    with atomic_write(out) as handle:
        for sentence in result.sentences:
            handle.write(json.dumps(sentence.to_dict(), ensure_ascii=False) + "\n")
    print_summary(result)
    console.print(f"{len(result.sentences)} sentences ranked -> {out}")
    default_records = runs[default]
    if all(record.gold is not None for record in default_records):
        print_quality(result, default_records, options.parse_labels(labels))


def triage_input(
    *, data: Path | None, lang: str | None, src: Path | None, tgt: Path | None, src_lang: str, tgt_lang: str | None
) -> NamedInput:
    """What ``--data`` (gold target sentences, translate-test) or ``--src``/``--tgt`` (translate-train) name."""
    if (data is None) == (src is None):
        raise ProjectionError("Name one input: --data (gold target sentences), --src (with --tgt), or --records.")
    if data is not None:
        if lang is None:
            raise typer.BadParameter("name the language of --data, e.g. --lang es", param_hint="--lang")
        return named_input(gold=data, src_lang=src_lang, tgt_lang=lang)
    if tgt_lang is None:
        raise typer.BadParameter("name the target language, e.g. --tgt-lang swa", param_hint="--tgt-lang")
    return named_input(src=src, tgt=tgt, src_lang=src_lang, tgt_lang=tgt_lang)


def committee_of(methods: str | None, config: PipelineConfig) -> list[str]:
    """The named committee, or every method the profile can run (those it cannot are listed)."""
    if methods:
        return [spec.strip() for spec in methods.split(",") if spec.strip()]
    runnable, skipped = runnable_methods(config)
    for name, why in skipped.items():
        console.print(f"Committee: {name} left out: {why}", style="dim")
    return runnable


def print_summary(result: Triage) -> None:
    console.print(f"Ranked the spans of {result.method}; committee: {', '.join(result.committee) or 'none'}.")
    for group, why in result.missing.items():
        console.print(f"Signal not computed: {group}: {why}.", style="yellow")


def print_quality(result: Triage, records: list, labels: tuple[str, ...] | None) -> None:
    """The span-level measures of the ranking against the gold spans (which the ranking never read)."""
    quality = ranking_quality(result, records, labels=labels)
    table = Table(title="Ranking against gold (spans)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("projected spans", f"{quality.spans}"),
        ("wrong (not exactly a gold span)", f"{quality.wrong} ({quality.base_rate:.1%})"),
        ("ROC AUC of span suspicion", "–" if quality.roc_auc is None else f"{quality.roc_auc:.3f}"),
        (
            "wrong among the 10% most suspicious",
            "–" if quality.top_error_rate is None else f"{quality.top_error_rate:.1%}",
        ),
        ("missed gold entities", f"{quality.missed}"),
        ("  covered by a flag", "–" if quality.coverage is None else f"{quality.covered} ({quality.coverage:.1%})"),
        ("false flags per true flag", "–" if quality.false_per_true is None else f"{quality.false_per_true:.2f}"),
    ]
    for row in rows:
        table.add_row(*row)
    print_table(table)
