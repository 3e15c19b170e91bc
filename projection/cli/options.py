"""Options shared by several commands, declared once, and what they mean."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from projection.cache import Cache
from projection.cli.app import console, print_notes
from projection.errors import ProjectionError
from projection.export import ExportReport
from projection.pipeline.config import Direction, PipelineConfig
from projection.pipeline.setup import NamedInput, RunInput, load_input, named_input
from projection.readers.notes import ReadNotes

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
