"""Hugging Face dataset writer: ``id``, ``tokens``, ``ner_tags`` (IOB2, a ``ClassLabel`` feature) and ``review_status``.

``review_status`` is the status export merged into a record (not reviewed,
reviewed, corrected, adjudicated), empty (None) where there is none.

``write_hf_dataset`` writes a directory that ``datasets.load_from_disk`` opens
(the ``save_to_disk`` layout) and, inside it, the same rows as Parquet
(``parquet/<split>.parquet``, features kept in the schema so
``load_dataset("parquet", ...)`` restores the ClassLabel); ``write_parquet``
writes only the Parquet file.

Rows are streamed in two passes through Parquet files, a batch at a time, so
memory stays bounded: the first pass stores the tags as strings and collects
the labels seen, the second turns them into ClassLabel ids once the names are
known. The names are ``O`` then ``B-X``, ``I-X`` for each label ``X`` in the
order of ``labels`` (default: the labels seen, sorted).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import atomic_directory, atomic_write
from projection.readers import is_saved_dataset
from projection.scratch import scratch_dir
from projection.tags import parse_tag, spans_to_tags
from projection.writers.conll import SIDES, STATUS, Side, review_status, side_of

BATCH_ROWS = 1000
STRING_TAGS = pa.schema(
    [
        ("id", pa.string()),
        ("tokens", pa.list_(pa.string())),
        ("tags", pa.list_(pa.string())),
        (STATUS, pa.string()),
    ]
)


def tag_names(labels: Iterable[str]) -> list[str]:
    """ClassLabel names of IOB2 tags over ``labels``: ``O, B-X, I-X, ...``."""
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def iob2_tags(sentence_id: str, tokens: list[str], spans: list[Span]) -> list[str]:
    try:
        return spans_to_tags(spans, len(tokens))
    except ValueError as err:
        raise ProjectionError(
            f"Sentence {sentence_id!r} cannot be written as IOB2 tags: {err}. Tags hold only non-overlapping spans "
            "inside the sentence; fix or remove the offending span (e.g. in the Review page)."
        ) from None


def _batches(items: Iterable[ProjectionRecord | Sentence], which: Side) -> Iterator[pa.Table]:
    """String-tagged rows of the side ``which``, ``BATCH_ROWS`` at a time (sentences without tokens left out)."""
    rows: dict[str, list[Any]] = {name: [] for name in STRING_TAGS.names}
    for item in items:
        sentence_id, tokens, spans = side_of(item, which)
        if not tokens:
            continue
        rows["id"].append(sentence_id)
        rows["tokens"].append(list(tokens))
        rows["tags"].append(iob2_tags(sentence_id, tokens, spans))
        rows[STATUS].append(review_status(item))
        if len(rows["id"]) == BATCH_ROWS:
            yield pa.table(rows, schema=STRING_TAGS)
            rows = {name: [] for name in STRING_TAGS.names}
    if rows["id"]:
        yield pa.table(rows, schema=STRING_TAGS)


def _write_string_tags(
    items: Iterable[ProjectionRecord | Sentence], which: Side, path: Path, labels: Sequence[str] | None
) -> tuple[int, list[str]]:
    """First pass: rows with tag strings into ``path``; returns the row count and the ClassLabel names."""
    if which not in SIDES:
        raise ProjectionError(f"Unknown side {which!r} to write: use one of {', '.join(SIDES)}.")
    written = 0
    seen: set[str] = set()
    with pq.ParquetWriter(path, STRING_TAGS) as writer:
        for table in _batches(items, which):
            for tags in table.column("tags").to_pylist():
                seen.update(label for _, label in map(parse_tag, tags) if label is not None)
            writer.write_table(table)
            written += table.num_rows
    if labels is None:
        return written, tag_names(sorted(seen))
    unknown = sorted(seen - set(labels))
    if unknown:
        raise ProjectionError(
            f"The data has spans labelled {', '.join(unknown)}, which are not among the dataset's labels "
            f"({', '.join(labels)}). Add them to the labels, or leave the labels unset to take those of the data."
        )
    return written, tag_names(labels)


def _encoded(path: Path, names: list[str]) -> Iterator[pa.Table]:
    """Second pass: the rows of ``path`` with their tag strings replaced by ClassLabel ids."""
    schema = schema_of(names)
    ids = {name: index for index, name in enumerate(names)}
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        tags = [[ids[tag] for tag in row] for row in batch.column("tags").to_pylist()]
        columns = {"id": batch.column("id"), "tokens": batch.column("tokens"), "ner_tags": tags}
        yield pa.table({**columns, STATUS: batch.column(STATUS)}, schema=schema)


def schema_of(names: list[str]) -> pa.Schema:
    """The Arrow schema of the rows, with the features in its metadata (how ``datasets`` finds the ClassLabel)."""
    return datasets.Features(
        {
            "id": datasets.Value("string"),
            "tokens": datasets.List(datasets.Value("string")),
            "ner_tags": datasets.List(datasets.ClassLabel(names=names)),
            STATUS: datasets.Value("string"),
        }
    ).arrow_schema


def write_parquet(
    items: Iterable[ProjectionRecord | Sentence],
    path: str | os.PathLike[str],
    *,
    which: Side = "projected",
    labels: Sequence[str] | None = None,
) -> int:
    """Write one Parquet file of ``id``/``tokens``/``ner_tags`` rows; returns the number of rows."""
    with scratch_dir("parquet-export") as work:
        strings = work / "strings.parquet"
        written, names = _write_string_tags(items, which, strings, labels)
        with atomic_write(path, "wb") as handle, pq.ParquetWriter(handle, schema_of(names)) as writer:
            for table in _encoded(strings, names):
                writer.write_table(table)
    return written


def write_hf_dataset(
    items: Iterable[ProjectionRecord | Sentence],
    path: str | os.PathLike[str],
    *,
    which: Side = "projected",
    labels: Sequence[str] | None = None,
    split: str = "train",
    force: bool = False,
) -> int:
    """Write a ``save_to_disk`` directory with the rows also in ``parquet/<split>.parquet``; returns the row count.

    An existing saved dataset at ``path`` is replaced; any other existing file
    or non-empty folder only with ``force``.
    """
    with (
        scratch_dir("hf-export") as work,
        atomic_directory(path, replaceable=is_saved_dataset, force=force) as folder,
    ):
        strings, arrow = work / "strings.parquet", work / "data.arrow"
        written, names = _write_string_tags(items, which, strings, labels)
        schema = schema_of(names)
        (folder / "parquet").mkdir()
        with (
            pq.ParquetWriter(folder / "parquet" / f"{split}.parquet", schema) as parquet,
            pa.OSFile(str(arrow), "wb") as sink,
            pa.ipc.new_stream(sink, schema) as stream,
        ):
            for table in _encoded(strings, names):
                parquet.write_table(table)
                stream.write_table(table)
        dataset = datasets.Dataset.from_file(str(arrow), split=datasets.NamedSplit(split))
        with _quiet_progress():
            dataset.save_to_disk(str(folder))
        del dataset
    return written


@contextlib.contextmanager
def _quiet_progress() -> Iterator[None]:
    """No ``datasets`` progress bar while saving: the export draws its own."""
    enabled = not datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if enabled:
            datasets.enable_progress_bars()
