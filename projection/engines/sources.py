"""Where an engine's rows come from: an input file read window by window, bad rows reported where they are.

A source is a small picklable description of an input (paths, languages,
options). Reading happens in :meth:`RowSource.items`, on the driver for the
local engine and inside a worker for the Ray engine, so only the description
travels. The reading itself is the readers' (:mod:`projection.readers`):
items come in input order and are either a row (a dict of batch columns
plus ``where``, its position for messages) or a :class:`Problem`, a sentence
the reader found unusable (an empty side of a pair, a malformed CoNLL line,
bytes that are not UTF-8, a JSON line that does not parse, a record that
fails its checks). Problems concern one row only; an input that cannot be
read at all (a missing or empty file, bitext files of different lengths)
still raises at once.

Rows are grouped into windows of a fixed number of good rows; the k-th
window is the same whether the input is streamed once (:func:`iter_windows`)
or window k is read on its own (:func:`read_window`), so both engines cut the
corpus identically and the per-window cache keys agree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from projection.data import (
    BATCH_COLUMNS,
    Batch,
    ProjectionRecord,
    Sentence,
    batch_size,
    records_to_batch,
    spans_to_dicts,
)
from projection.errors import ProjectionError
from projection.readers.bitext import bitext_items
from projection.readers.conll import conll_items
from projection.readers.jsonl import jsonl_items, record_items
from projection.readers.notes import ON_ERROR as ON_ERROR  # the choices, for the export command
from projection.readers.notes import OnError, Problem, ReadNotes, check_on_error
from projection.readers.text import text_items

WHERE = "where"
"""The column that says where a row is in the input (e.g. ``train.en / train.swa, line 12``)."""

Row = dict[str, Any]
T = TypeVar("T")


@dataclass
class Window:
    """``batch`` holds the good rows ``start`` .. ``start + len - 1``; ``problems`` the bad ones among them."""

    index: int
    start: int
    batch: Batch
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return batch_size(self.batch)


@dataclass(frozen=True)
class Scan:
    """What a first pass over a source found: good rows, bad rows, the number of windows, and the readers' notes."""

    rows: int
    problems: int
    windows: int
    notes: ReadNotes = field(default_factory=ReadNotes)


class RowSource(ABC):
    """An input, read lazily; ``columns`` are the batch columns its rows carry (besides ``where``)."""

    @property
    @abstractmethod
    def columns(self) -> tuple[str, ...]: ...

    @abstractmethod
    def items(self, notes: ReadNotes | None = None) -> Iterator[Row | Problem]:
        """Rows and problems in input order; the reader's notes (e.g. on tags) go to ``notes`` when given."""

    @abstractmethod
    def describe(self) -> str:
        """The input as a user named it, for messages."""


def reported(problem: Problem, on_error: OnError) -> Problem:
    """``problem`` itself to be listed (``skip``), or raised as the error that stops the run (``fail``)."""
    check_on_error(on_error)
    if on_error == "fail":
        hint = f" {problem.hint}" if problem.hint else ""
        raise ProjectionError(
            f"{problem}.{hint} Fix the input, or skip bad sentences and have them listed with on_error='skip' "
            "(--on-error skip)."
        )
    return problem


def checked(items: Iterable[Row | Problem], on_error: OnError) -> Iterator[Row | Problem]:
    """``items`` as they are, or the first problem raised as an error when ``on_error`` is ``fail``."""
    for item in items:
        yield reported(item, on_error) if isinstance(item, Problem) else item


def to_batch(rows: Sequence[Row], columns: Sequence[str]) -> Batch:
    return {column: [row[column] for row in rows] for column in (*columns, WHERE)}


def iter_windows(source: RowSource, size: int, on_error: OnError) -> Iterator[Window]:
    """The whole input, ``size`` good rows at a time, in one pass."""
    rows: list[Row] = []
    problems: list[Problem] = []
    index = 0
    for item in checked(source.items(), on_error):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        rows.append(item)
        if len(rows) == size:
            yield Window(index, index * size, to_batch(rows, source.columns), problems)
            rows, problems, index = [], [], index + 1
    if rows or problems or index == 0:
        yield Window(index, index * size, to_batch(rows, source.columns), problems)


def read_window(source: RowSource, index: int, size: int, on_error: OnError) -> Window:
    """Window ``index`` alone, exactly as :func:`iter_windows` would give it."""
    first = index * size
    rows: list[Row] = []
    problems: list[Problem] = []
    seen = 0
    for item in source.items():
        if isinstance(item, Problem):
            if seen >= first:
                problems.append(reported(item, on_error))
            continue
        if seen >= first:
            rows.append(item)
        seen += 1
        if len(rows) == size:
            break
    return Window(index, first, to_batch(rows, source.columns), problems)


def scan(source: RowSource, size: int, on_error: OnError) -> Scan:
    """Count good and bad rows and windows and gather the notes in one pass; with ``fail``, the first bad row raises."""
    notes = ReadNotes()
    rows = problems = trailing = 0
    for item in checked(source.items(notes), on_error):
        if isinstance(item, Problem):
            problems += 1
            trailing += 1
        else:
            rows += 1
            trailing = 0
    windows = -(-rows // size) + (1 if trailing and rows % size == 0 else 0)
    return Scan(rows, problems, max(windows, 1), notes)


def as_rows(items: Iterable[tuple[T, str] | Problem], row: Callable[[T, str], Row]) -> Iterator[Row | Problem]:
    """A reader's ``(item, where)`` pairs made rows by ``row``; its problems as they are."""
    for item in items:
        yield item if isinstance(item, Problem) else row(*item)


@dataclass(frozen=True)
class BitextSource(RowSource):
    """Raw sentence pairs: two line-aligned files, or one TSV (source, tab, target) when ``tgt`` is None.

    Read by :func:`projection.readers.bitext.bitext_items`, so row ids are the
    reader's pair ids, ``f"{prefix}-{line - 1}"``.
    """

    src: Path
    tgt: Path | None = None
    id_prefix: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", "src_text", "tgt_text")

    def describe(self) -> str:
        return str(self.src) if self.tgt is None else f"{self.src} / {self.tgt}"

    def items(self, notes: ReadNotes | None = None) -> Iterator[Row | Problem]:
        pairs = bitext_items(self.src, self.tgt, id_prefix=self.id_prefix)
        yield from as_rows(
            pairs, lambda pair, where: {"id": pair.id, "src_text": pair.src, "tgt_text": pair.tgt, WHERE: where}
        )


@dataclass(frozen=True)
class TextSource(RowSource):
    """Raw text, one sentence per line, as the ``<side>_text`` column (split into words by a pipeline step)."""

    path: Path
    side: str = "src"
    id_prefix: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", f"{self.side}_text")

    def describe(self) -> str:
        return str(self.path)

    def items(self, notes: ReadNotes | None = None) -> Iterator[Row | Problem]:
        lines = text_items(self.path, id_prefix=self.id_prefix)
        yield from as_rows(lines, lambda line, where: {"id": line.id, f"{self.side}_text": line.text, WHERE: where})


@dataclass(frozen=True)
class SentenceFileSource(RowSource):
    """Tokenised sentences with labels, from CoNLL (``token ... TAG``) or JSONL, into the given columns.

    ``tokens_column``/``spans_column`` say which side the sentences are:
    ``src_tokens``/``src_spans`` for labelled source sentences (translate-train),
    ``tgt_tokens``/``gold_spans`` for gold target sentences (translate-test).
    The sentences, their ids and their problems are those of
    :func:`projection.readers.conll.conll_items` and
    :func:`projection.readers.jsonl.jsonl_items`.
    """

    path: Path
    lang: str
    tokens_column: str = "src_tokens"
    spans_column: str = "src_spans"
    format: Literal["conll", "jsonl"] = "conll"
    label_set: tuple[str, ...] | None = None
    id_prefix: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", self.tokens_column, self.spans_column)

    def describe(self) -> str:
        return str(self.path)

    def items(self, notes: ReadNotes | None = None) -> Iterator[Row | Problem]:
        if self.format == "conll":
            found = conll_items(self.path, self.lang, label_set=self.label_set, id_prefix=self.id_prefix, notes=notes)
        else:
            found = jsonl_items(self.path, self.lang, label_set=self.label_set, notes=notes)
        yield from as_rows(found, self._row)

    def _row(self, sentence: Sentence, where: str) -> Row:
        return {
            "id": sentence.id,
            self.tokens_column: sentence.tokens,
            self.spans_column: spans_to_dicts(sentence.spans),
            WHERE: where,
        }


@dataclass(frozen=True)
class RecordsSource(RowSource):
    """Projection records written by the JSONL writer (already projected): nothing left to run but the export."""

    path: Path

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(BATCH_COLUMNS)

    def describe(self) -> str:
        return str(self.path)

    def items(self, notes: ReadNotes | None = None) -> Iterator[Row | Problem]:
        yield from as_rows(record_items(self.path), record_row)


def record_row(record: ProjectionRecord, where: str) -> Row:
    batch = records_to_batch([record])
    return {**{column: values[0] for column, values in batch.items()}, WHERE: where}
