"""Writers: sentences or projection records -> files, always from tokens.

A writer is a function ``write_x(items, path, **options) -> int``: it takes
any iterable of :class:`~projection.data.ProjectionRecord` or
:class:`~projection.data.Sentence`, consumes it one item at a time (so a
generator keeps memory bounded), writes through
:func:`projection.fileio.atomic_write` (never a partial file) and returns the
number of sentences written. Adding a format is one module plus one
``writers.register`` line; registered under its file suffix (``conll`` for
``.conll``), :func:`write_records` also finds it from the output path.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from projection.data import ProjectionRecord, Sentence
from projection.errors import ProjectionError
from projection.registry import Registry

writers = Registry("writer")
writers.register("conll", "projection.writers.conll:write_conll")
writers.register("jsonl", "projection.writers.jsonl:write_jsonl")
writers.register("spacy", "projection.writers.spacy_docbin:write_spacy_docbin")
writers.register("hf", "projection.writers.hf_dataset:write_hf_dataset")
writers.register("parquet", "projection.writers.hf_dataset:write_parquet")
writers.register("label-studio", "projection.writers.label_studio:write_label_studio")

SUFFIX_ALIASES = {"txt": "conll", "iob": "conll", "iob2": "conll", "bio": "conll", "ndjson": "jsonl"}


def format_for(path: str | os.PathLike[str]) -> str:
    """The writer a path's suffix names (``out.conll`` -> ``conll``)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    name = SUFFIX_ALIASES.get(suffix, suffix)
    if name not in writers.names:
        raise ProjectionError(
            f"Cannot tell the output format of {path} from its extension: name one of {', '.join(writers.names)}, "
            "or give the file one of these extensions."
        )
    return name


def write_records(
    items: Iterable[ProjectionRecord | Sentence],
    path: str | os.PathLike[str],
    format: str | None = None,
    **options: Any,
) -> int:
    """Write ``items`` with the writer ``format`` names (None or ``auto``: from the path's extension).

    Returns the number of sentences written.
    """
    name = format_for(path) if format in (None, "auto") else format
    return writers.get(name)(items, path, **options)
