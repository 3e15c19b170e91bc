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

import inspect
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


def writer_name(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The registered writer for ``path``: ``format`` if given (None or ``auto``: from the extension)."""
    name = format_for(path) if format in (None, "auto") else format
    writers.get(name)  # an unknown name fails here, with the list of formats
    return name


def check_output(path: str | os.PathLike[str], format: str | None = None, *, force: bool = False) -> str:
    """Check, before any work, that ``path`` can take the output of ``format``; returns the writer's name.

    Catches at once what would otherwise fail after a whole run: an unknown
    format or extension, a folder that is not writable, a device or FIFO, a
    file a folder output would replace (without ``force``).
    """
    from projection.fileio import output_directory, output_file
    from projection.readers import is_saved_dataset
    from projection.writers.spacy_docbin import holds_shards, writes_folder

    name = writer_name(path, format)
    if name == "hf":
        output_directory(path, replaceable=is_saved_dataset, force=force)
    elif name == "spacy" and writes_folder(path):
        output_directory(path, replaceable=holds_shards, force=force)
    else:
        output_file(path)
    return name


def writer_options(name: str, **wanted: Any) -> dict[str, Any]:
    """The options of ``wanted`` (None: not given) that the writer ``name`` takes."""
    accepted = inspect.signature(writers.get(name)).parameters
    return {key: value for key, value in wanted.items() if value is not None and key in accepted}


def write_records(
    items: Iterable[ProjectionRecord | Sentence],
    path: str | os.PathLike[str],
    format: str | None = None,
    **options: Any,
) -> int:
    """Write ``items`` with the writer ``format`` names (None or ``auto``: from the path's extension).

    Returns the number of sentences written.
    """
    return writers.get(writer_name(path, format))(items, path, **options)
