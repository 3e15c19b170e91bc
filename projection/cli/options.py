"""Options shared by several commands, declared once, and what they mean."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from projection.cache import Cache
from projection.cli.app import console, print_notes
from projection.cli.progress import step_progress
from projection.errors import ProjectionError
from projection.export import ExportReport
from projection.pipeline.config import Direction, PipelineConfig
from projection.pipeline.setup import NamedInput, PipelineResult, RunInput, load_input, named_input, run_pipeline
from projection.readers.notes import ReadNotes
from projection.registry import split_spec

Profile = Annotated[
    str | None,
    typer.Option("--profile", help="Named profile (offline, paper, paper-small) or a YAML file; default: offline."),
]
Translator = Annotated[str | None, typer.Option(help="Translator spec: apertium, file:PATH, parallel, hf:MODEL.")]
Labeller = Annotated[str | None, typer.Option(help="Source labeller spec: spacy:MODEL, hf:MODEL, gold.")]
Aligner = Annotated[str | None, typer.Option(help="Aligner spec: eflomal, simalign, awesome.")]
Projector = Annotated[str | None, typer.Option(help="Projector name: heuristic, garcia-ferrero, ngram-greedy, ...")]
Labels = Annotated[
    str | None, typer.Option(help="Comma-separated labels that count (others become O), e.g. PER,ORG,LOC.")
]
Propagate = Annotated[
    int | None,
    typer.Option(help="Label propagation: tag other occurrences of names projected at least N times (0: off)."),
]
CacheDir = Annotated[Path, typer.Option("--cache-dir", help="Where stage results are cached.")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Recompute every stage and store nothing.")]
Priors = Annotated[
    Path | None,
    typer.Option(
        help="eflomal priors learnt from a larger bitext of the same pair: a directory of NAME.<src>/NAME.<tgt> "
        "files or a TSV (as train-eval --bitext); learnt once and kept under --cache-dir."
    ),
]
Force = Annotated[
    bool, typer.Option("--force", help="Overwrite an existing file or folder that the output would replace.")
]


def parse_labels(labels: str | None) -> tuple[str, ...] | None:
    """``"PER, ORG"`` -> ``("PER", "ORG")``; None or empty -> None (all labels)."""
    if not labels:
        return None
    return tuple(label.strip() for label in labels.split(",") if label.strip())


def cache_of(cache_dir: Path, no_cache: bool) -> Cache:
    """The cache ``--cache-dir`` names, or none with ``--no-cache``."""
    return Cache(None if no_cache else cache_dir)


def read_input(named: NamedInput, config: PipelineConfig) -> RunInput:
    """The named files read with the run's label set, with what the readers noticed printed first."""
    notes = ReadNotes()
    run = load_input(named, label_set=config.labels, notes=notes)
    print_notes(notes)
    return run


def scored_input(*, direction: Direction, data: Path, lang: str, source: Path | None, source_lang: str) -> NamedInput:
    """What ``--data`` (gold target sentences) and ``--source`` make for a run scored against gold.

    translate-test translates ``--data`` itself, so a ``--source`` would go
    unused; translate-train projects ``--source`` onto ``--data``, its
    line-aligned gold side.
    """
    if direction == "translate-test":
        if source is not None:
            raise ProjectionError(
                "--source is the labelled side of a translate-train run; translate-test translates --data itself. "
                "Leave out --source, or add --direction translate-train."
            )
        return named_input(gold=data, src_lang=source_lang, tgt_lang=lang)
    if source is None:
        raise ProjectionError("translate-train needs --source, the labelled side, line-aligned with --data.")
    return named_input(src=source, tgt=data, src_lang=source_lang, tgt_lang=lang)


def print_companions(report: ExportReport) -> None:
    """Name the files written beside an output (a Label Studio labelling config)."""
    for companion in report.companions:
        console.print(f"Label Studio labelling config (set it on the project before importing): {companion}")


def priors_options(
    priors: Path | None, aligner: str | None, src_lang: str, tgt_lang: str, cache_dir: Path
) -> dict[str, dict]:
    """The aligner options ``--priors`` stands for (none without it); only eflomal takes priors."""
    if priors is None:
        return {}
    if aligner is None or split_spec(aligner)[0] != "eflomal":
        raise typer.BadParameter(
            f"priors are eflomal's statistics, and the aligner is {aligner}", param_hint="--priors"
        )
    bitext = {"bitext": str(priors), "src_lang": src_lang, "tgt_lang": tgt_lang}
    return {"aligner": {"priors": bitext, "priors_cache": str(cache_dir)}}


def with_priors(config: PipelineConfig, priors: Path | None, cache_dir: Path) -> PipelineConfig:
    """``config`` with eflomal priors from ``priors`` (unchanged without)."""
    extra = priors_options(priors, config.aligner, config.source_lang, config.target_lang, cache_dir)
    if not extra:
        return config
    options = {stage: dict(values) for stage, values in config.options.items()}
    options["aligner"] = {**options.get("aligner", {}), **extra["aligner"]}
    return config.with_overrides(options=options)


def run_named(
    named: NamedInput, config: PipelineConfig, *, priors: Path | None, cache_dir: Path, no_cache: bool
) -> tuple[PipelineResult, PipelineConfig]:
    """Read the named files, run the pipeline on them with progress, and give the result and the config it ran."""
    run = read_input(named, config)
    config = with_priors(config, priors, cache_dir)
    with step_progress() as progress:
        result = run_pipeline(run, config, cache=cache_of(cache_dir, no_cache), progress=progress)
    return result, config
