"""``projection export``: a profile run over a data set (or projected records), corrections merged, any format."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from projection.cache import DEFAULT_CACHE_DIR
from projection.cli import options
from projection.cli.app import app, console, print_notes
from projection.engines import Engine
from projection.engines.local import LocalEngine
from projection.engines.ray_engine import ADDRESS_ENV, RayEngine
from projection.engines.sources import ON_ERROR
from projection.export import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_WINDOW,
    ExportProgress,
    ExportReport,
    export,
    row_source,
    stored_corrections,
)
from projection.pipeline.setup import named_input, run_config
from projection.store import REVIEW_STATUSES, MergeCounts
from projection.writers import check_output, writers
from projection.writers.conll import SIDES

SHOWN_PROBLEMS = 20


class RateColumn(ProgressColumn):
    """Sentences per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s", style="progress.data.speed")


@contextlib.contextmanager
def export_progress() -> Iterator[ExportProgress]:
    """One bar for the sentences exported (rate and time left) and one for the step running in the current window."""
    columns = (
        TextColumn("{task.description:<10}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        overall = progress.add_task("export", total=None)
        step_task = progress.add_task("", total=None, visible=False)

        def update(what: str, done: int, total: int) -> None:
            if what == "sentences":
                progress.update(overall, completed=done, total=total)
            else:
                if progress.tasks[step_task].description != what:
                    progress.reset(step_task, description=what, visible=True)
                progress.update(step_task, completed=done, total=total)

        yield update


def choose_engine(
    engine: str, ray_address: str | None, ray_cpus: int | None, ray_actors: int | None, gpu_steps: list[str]
) -> Engine:
    if engine == "local":
        return LocalEngine()
    return RayEngine(ray_address, num_cpus=ray_cpus, actors=ray_actors, gpu_steps=gpu_steps)


def review_summary(merge: MergeCounts) -> list[str]:
    """What the sentences written were, by review status, and the stored versions that were not applied."""
    lines = ["By review status: " + ", ".join(f"{merge.statuses[status]:,} {status}" for status in REVIEW_STATUSES)]
    if merge.disagreed:
        lines.append(
            f"{merge.disagreed:,} sentence(s) have reviews that disagree and no adjudication yet: the newest review "
            "was written (settle them on the app's Team page)."
        )
    if merge.orphans:
        lines.append(
            f"{merge.orphans:,} stored review(s) were made on another text of their sentence and were not applied."
        )
    if merge.relinked:
        lines.append(
            f"{merge.relinked:,} sentence(s) were projected again through their corrected links (a span correction "
            "of the same sentence wins)."
        )
    if merge.link_orphans:
        lines.append(
            f"{merge.link_orphans:,} stored link correction(s) were made on another text of their sentence pair and "
            "were not applied."
        )
    return lines


def print_report(report: ExportReport) -> None:
    console.print(
        f"{report.n_written:,} sentences written to {report.path} ({report.format}) in {report.seconds:.1f} s "
        f"({report.rate:,.0f} sentences/s, {report.engine} engine)."
    )
    if report.merge is None:
        console.print("Corrections: none merged (no --dataset given).")
    else:
        for line in review_summary(report.merge):
            console.print(line, markup=False)
    print_notes(report.notes)
    if report.problems:
        console.print(f"{len(report.problems):,} sentence(s) skipped:", style="yellow")
        for problem in report.problems[:SHOWN_PROBLEMS]:
            console.print(f"  {problem}", soft_wrap=True)
        if len(report.problems) > SHOWN_PROBLEMS:
            console.print(f"  ... and {len(report.problems) - SHOWN_PROBLEMS:,} more")


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option(help="Output file or directory (hf, spaCy shards).")],
    src: Annotated[
        Path | None,
        typer.Option(help="Source side: raw text (one sentence per line; with --tgt a bitext), CoNLL or JSONL."),
    ] = None,
    tgt: Annotated[Path | None, typer.Option(help="Target side of a bitext, line-aligned with --src.")] = None,
    gold: Annotated[
        Path | None, typer.Option(help="translate-test: gold-labelled target sentences (CoNLL or JSONL).")
    ] = None,
    records: Annotated[
        Path | None, typer.Option(help="Already projected records (JSONL from `project` or `export`).")
    ] = None,
    src_lang: Annotated[str, typer.Option(help="Language of the labelled side.")] = "en",
    tgt_lang: Annotated[str | None, typer.Option(help="Language of the side receiving the spans, e.g. sw.")] = None,
    out_format: Annotated[
        str | None, typer.Option("--format", help=f"Output format ({', '.join(writers.names)}); default: extension.")
    ] = None,
    which: Annotated[str, typer.Option(help=f"Side to write: {', '.join(SIDES)}.")] = "projected",
    profile: options.Profile = None,
    translator: options.Translator = None,
    labeller: options.Labeller = None,
    aligner: options.Aligner = None,
    projector: options.Projector = None,
    labels: options.Labels = None,
    priors: options.Priors = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            help="Data set name (or key, as the app's Export page shows it) in the corrections store; its "
            "corrections are merged, each only into a sentence with the text it was made on, and sentences with "
            "corrected links are projected again through them."
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            help="Corrections database URL (default: $PROJECTION_CORRECTIONS_URL or cache/corrections.sqlite)."
        ),
    ] = None,
    on_error: Annotated[str, typer.Option(help="A bad sentence: skip it (and list it) or fail the run.")] = "fail",
    engine: Annotated[str, typer.Option(help="local, or ray (Ray Data on a local or remote cluster).")] = "local",
    ray_address: Annotated[
        str | None, typer.Option(help=f"Ray cluster address (default: ${ADDRESS_ENV}, else a local Ray).")
    ] = None,
    ray_cpus: Annotated[int | None, typer.Option(help="CPUs of a local Ray started here.")] = None,
    ray_actors: Annotated[
        int | None, typer.Option(help="Actors per group of CPU steps (default: the CPUs, shared among the groups).")
    ] = None,
    gpu_step: Annotated[
        list[str] | None, typer.Option(help="A step to run on GPU actors (repeatable), e.g. translate.")
    ] = None,
    window: Annotated[
        int, typer.Option(help="Sentences per window (the unit eflomal aligns together).")
    ] = DEFAULT_WINDOW,
    chunk_size: Annotated[
        int, typer.Option(help="Sentences per cached chunk of per-sentence steps.")
    ] = DEFAULT_CHUNK_SIZE,
    cache_dir: options.CacheDir = DEFAULT_CACHE_DIR,
    no_cache: options.NoCache = False,
    force: options.Force = False,
    no_comments: Annotated[
        bool, typer.Option("--no-comments", help="CoNLL without the `# id = ...` comment line before each sentence.")
    ] = False,
) -> None:
    """Export projected data in any format, with the corrections of the Review page merged."""
    if on_error not in ON_ERROR:
        raise typer.BadParameter(f"use one of {', '.join(ON_ERROR)}", param_hint="--on-error")
    if engine not in ("local", "ray"):
        raise typer.BadParameter("use local or ray", param_hint="--engine")
    check_output(out, out_format, force=force)
    named = named_input(src=src, tgt=tgt, gold=gold, records=records, src_lang=src_lang, tgt_lang=tgt_lang or "")
    config = None
    if priors is not None and named.kind == "records":
        raise typer.BadParameter("records are aligned already; priors apply when aligning", param_hint="--priors")
    if named.kind != "records":
        if tgt_lang is None:
            raise typer.BadParameter(
                "name the language receiving the spans, e.g. --tgt-lang sw", param_hint="--tgt-lang"
            )
        config = run_config(
            named,
            profile=profile,
            translator=translator,
            labeller=labeller,
            aligner=aligner,
            projector=projector,
            labels=options.parse_labels(labels),
        )
        config = options.with_priors(config, priors, cache_dir)
    source = row_source(named, label_set=None if config is None else config.labels)
    corrections = None
    if dataset is not None:
        corrections = stored_corrections(dataset, None if config is None else config.target_lang, store)
    chosen = choose_engine(engine, ray_address, ray_cpus, ray_actors, gpu_step or [])
    with export_progress() as progress:
        report = export(
            source,
            out,
            config=config,
            format=out_format,
            which=which,  # type: ignore[arg-type]
            corrections=corrections,
            engine=chosen,
            on_error=on_error,  # type: ignore[arg-type]
            window=window,
            chunk_size=chunk_size,
            cache=options.cache_of(cache_dir, no_cache),
            labels=options.parse_labels(labels),
            progress=progress,
            force=force,
            comments=not no_comments,
        )
    print_report(report)
    options.print_companions(report)
