"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
