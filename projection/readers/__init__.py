"""Readers: files and datasets -> sentences (or raw sentence pairs, for a bitext).

Each reader is a function registered by name; its module is imported only
when asked for, so reading CoNLL never imports ``datasets``.
:func:`read_sentences` picks the reader of a labelled file by its extension
or shape. Every reader reads lines the same way (:mod:`projection.fileio`:
strict UTF-8, any line ending), labels the same way
(:mod:`projection.readers.entities`), and treats bad input the same way
(:mod:`projection.readers.notes`): a sentence that cannot be used is a
problem naming the file and line, which stops the reading with a
:class:`~projection.errors.ProjectionError` (``on_error="fail"``, the
default) or is skipped and listed (``"skip"``); oddities that still read
are counted in the notes for the user to see.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.fileio import iter_lines
from projection.registry import Registry

readers = Registry("reader")
readers.register("conll", "projection.readers.conll:read_conll")
readers.register("bitext", "projection.readers.bitext:read_bitext")
readers.register("jsonl", "projection.readers.jsonl:read_jsonl")
readers.register("hf", "projection.readers.huggingface:read_hf_dataset")
readers.register("label-studio", "projection.readers.label_studio:read_label_studio")

SENTENCE_FORMATS = ("conll", "jsonl", "hf")
CONLL_SUFFIXES = frozenset(
    {".conll", ".conllu", ".txt", ".testa", ".testb", ".train", ".iob", ".iob2", ".bio", ".bioes"}
)
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SAVED_DATASET_FILES = ("dataset_info.json", "state.json", "dataset_dict.json")


def is_saved_dataset(path: Path) -> bool:
    """Whether ``path`` is a directory written by ``Dataset.save_to_disk`` or ``DatasetDict.save_to_disk``."""
    return path.is_dir() and any((path / name).is_file() for name in SAVED_DATASET_FILES)


def first_content_line(path: Path) -> str:
    return next((line.strip() for line in iter_lines(path) if line.strip()), "")


def detect_format(path: str | os.PathLike[str]) -> str:
    """``conll``, ``jsonl`` or ``hf`` for a path: by extension, else by the first non-blank line."""
    path = Path(path)
    if is_saved_dataset(path):
        return "hf"
    if path.is_dir():
        raise ProjectionError(
            f"{path} is a directory but not a saved Hugging Face dataset (no {' / '.join(SAVED_DATASET_FILES)}). "
            "Pass a CoNLL or JSONL file, or a directory written by `dataset.save_to_disk`."
        )
    if not path.exists():
        raise ProjectionError(
            f"File not found: {path}. (For a Hugging Face hub dataset id, choose the reader explicitly: format='hf'.)"
        )
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CONLL_SUFFIXES:
        return "conll"
    return "jsonl" if first_content_line(path).startswith("{") else "conll"


def read_sentences(path: str | os.PathLike[str], lang: str, format: str = "auto", **options: Any) -> list[Sentence]:
    """Labelled sentences from a CoNLL file, a JSONL file or a Hugging Face dataset.

    ``format="auto"`` goes by :func:`detect_format`. ``options`` go to the
    reader (``label_set``, ``on_error``, ``notes``; for ``hf`` also ``split``,
    ``tokens_column``, ``tags_column``).
    """
    chosen = detect_format(path) if format == "auto" else format
    if chosen not in SENTENCE_FORMATS:
        hint = " A bitext holds raw text: read it with read_bitext." if chosen == "bitext" else ""
        raise ProjectionError(
            f"Cannot read labelled sentences as {chosen!r}: use one of auto, {', '.join(SENTENCE_FORMATS)}.{hint}"
        )
    reader = readers.get(chosen)
    if chosen == "hf":
        return reader(path, options.pop("split", None), lang, **options)
    return reader(path, lang, **options)
