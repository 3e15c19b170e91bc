"""Where an engine's rows come from: an input file read window by window, bad rows reported where they are.

A source is a small picklable description of an input (paths, languages,
options). Reading happens in :meth:`RowSource.items`, on the driver for the
local engine and inside a worker for the Ray engine, so only the description
travels. Items come in input order and are either a row (a dict of batch
columns plus ``where``, its position for messages) or a :class:`Problem`: a
sentence that cannot be used (an empty side of a pair, a malformed CoNLL
line, bytes that are not UTF-8, a JSON line that does not parse). Problems
concern one row only; an input that cannot be read at all (a missing file,
bitext files of different lengths) still raises at once.

Rows are grouped into windows of a fixed number of good rows; the k-th
window is the same whether the input is streamed once (:func:`iter_windows`)
or window k is read on its own (:func:`read_window`), so both engines cut the
corpus identically and the per-window cache keys agree.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from projection.data import BATCH_COLUMNS, Batch, batch_size, records_to_batch, spans_to_dicts
from projection.errors import ProjectionError
from projection.readers.bitext import count_lines
from projection.readers.conll import DOCSTART, check_scheme, split_columns
from projection.readers.jsonl import checked_spans, checked_tags, checked_tokens, is_record, record_from_object
from projection.tags import detect_scheme, keep_labels, parse_tag, tags_to_spans

OnError = Literal["skip", "fail"]
ON_ERROR: tuple[OnError, ...] = ("skip", "fail")
WHERE = "where"
"""The column that says where a row is in the input (e.g. ``train.en / train.swa, line 12``)."""

Row = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """A sentence that cannot be used; ``message`` names the file and line (or sentence) and what is wrong."""

    message: str
    sentence_id: str | None = None

    def __str__(self) -> str:
        return self.message


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
    """What a first pass over a source found: good rows, bad rows and the number of windows."""

    rows: int
    problems: int
    windows: int


class RowSource(ABC):
    """An input, read lazily; ``columns`` are the batch columns its rows carry (besides ``where``)."""

    @property
    @abstractmethod
    def columns(self) -> tuple[str, ...]: ...

    @abstractmethod
    def items(self) -> Iterator[Row | Problem]:
        """Rows and problems in input order."""

    @abstractmethod
    def describe(self) -> str:
        """The input as a user named it, for messages."""

    def prepared(self) -> RowSource:
        """This source with whatever needs a pass over the whole input (e.g. a tag scheme) settled."""
        return self


def reported(problem: Problem, on_error: OnError) -> Problem:
    """``problem`` itself to be listed (``skip``), or raised as the error that stops the run (``fail``)."""
    if on_error not in ON_ERROR:
        raise ProjectionError(f"Unknown on_error value {on_error!r}: use 'skip' or 'fail'.")
    if on_error == "fail":
        raise ProjectionError(
            f"{problem}. Fix the input, or skip bad sentences and have them listed with on_error='skip' "
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
    """Count good and bad rows and windows in one pass; with ``fail``, the first bad row raises here."""
    rows = problems = trailing = 0
    for item in checked(source.items(), on_error):
        if isinstance(item, Problem):
            problems += 1
            trailing += 1
        else:
            rows += 1
            trailing = 0
    windows = -(-rows // size) + (1 if trailing and rows % size == 0 else 0)
    return Scan(rows, problems, max(windows, 1))


# -- reading lines without letting one bad line stop the file ---------------------------------------------


def numbered_lines(path: Path) -> Iterator[tuple[int, str | Problem]]:
    """``(line number, text)`` for each line, or a problem for a line that is not UTF-8."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise ProjectionError(f"File not found: {path}.") from None
    except IsADirectoryError:
        raise ProjectionError(f"Expected a file but {path} is a directory.") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                yield (
                    number,
                    Problem(
                        f"{path}, line {number}: not valid UTF-8 (byte {raw[err.start]:#04x} at column {err.start + 1})"
                    ),
                )
                continue
            yield number, text.rstrip("\r\n")


@dataclass(frozen=True)
class BitextSource(RowSource):
    """Raw sentence pairs: two line-aligned files, or one TSV (source, tab, target) when ``tgt`` is None.

    Row ids are ``f"{prefix}-{line - 1}"`` (default prefix: the source file's
    stem), as :func:`projection.readers.bitext.iter_bitext` names them.
    """

    src: Path
    tgt: Path | None = None
    id_prefix: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", "src_text", "tgt_text")

    def describe(self) -> str:
        return str(self.src) if self.tgt is None else f"{self.src} / {self.tgt}"

    def items(self) -> Iterator[Row | Problem]:
        prefix = self.src.stem if self.id_prefix is None else self.id_prefix
        for number, src, tgt in self._pairs():
            where = f"{self.describe()}, line {number}"
            sentence_id = f"{prefix}-{number - 1}"
            bad = next((side for side in (src, tgt) if isinstance(side, Problem)), None)
            empty = [name for name, text in (("source", src), ("target", tgt)) if not text]
            if bad is not None:
                yield replace(bad, sentence_id=sentence_id)
            elif empty:
                yield Problem(
                    f"{where}: the {' and '.join(empty)} side{'s are' if len(empty) == 2 else ' is'} empty", sentence_id
                )
            else:
                yield {"id": sentence_id, "src_text": src, "tgt_text": tgt, WHERE: where}

    def _pairs(self) -> Iterator[tuple[int, str | Problem, str | Problem]]:
        if self.tgt is None:
            for number, line in numbered_lines(self.src):
                if isinstance(line, Problem) or not line.strip():
                    yield number, line if isinstance(line, Problem) else "", ""
                    continue
                columns = line.split("\t")
                if len(columns) != 2:
                    problem = Problem(
                        f"{self.src}, line {number}: expected two tab-separated columns (source, target) but found "
                        f"{len(columns)}"
                    )
                    yield number, problem, problem
                    continue
                yield number, columns[0].strip(), columns[1].strip()
            return
        src_count, tgt_count = count_lines(self.src), count_lines(self.tgt)
        if src_count != tgt_count:
            raise ProjectionError(
                f"The bitext files are not line-aligned: {self.src} has {src_count} lines but {self.tgt} has "
                f"{tgt_count}. Each line of one file must be the translation of the same line of the other."
            )
        for (number, src), (_, tgt) in zip(numbered_lines(self.src), numbered_lines(self.tgt), strict=True):
            yield (
                number,
                src if isinstance(src, Problem) else src.strip(),
                tgt if isinstance(tgt, Problem) else tgt.strip(),
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

    def items(self) -> Iterator[Row | Problem]:
        prefix = self.path.stem if self.id_prefix is None else self.id_prefix
        for number, line in numbered_lines(self.path):
            sentence_id = f"{prefix}-{number - 1}"
            if isinstance(line, Problem):
                yield replace(line, sentence_id=sentence_id)
            elif not line.strip():
                yield Problem(f"{self.path}, line {number}: the line is empty", sentence_id)
            else:
                yield {"id": sentence_id, f"{self.side}_text": line.strip(), WHERE: f"{self.path}, line {number}"}


@dataclass(frozen=True)
class SentenceFileSource(RowSource):
    """Tokenised sentences with labels, from CoNLL (``token ... TAG``) or JSONL, into the given columns.

    ``tokens_column``/``spans_column`` say which side the sentences are:
    ``src_tokens``/``src_spans`` for labelled source sentences (translate-train),
    ``tgt_tokens``/``gold_spans`` for gold target sentences (translate-test).
    Sentence ids are those :func:`projection.readers.conll.read_conll` and
    :func:`projection.readers.jsonl.read_jsonl` give, bad sentences counted.
    """

    path: Path
    lang: str
    tokens_column: str = "src_tokens"
    spans_column: str = "src_spans"
    format: Literal["conll", "jsonl"] = "conll"
    scheme: str = "auto"
    label_set: tuple[str, ...] | None = None
    id_prefix: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", self.tokens_column, self.spans_column)

    def describe(self) -> str:
        return str(self.path)

    def prepared(self) -> SentenceFileSource:
        scheme = check_scheme(self.scheme)
        if scheme != "auto":
            return replace(self, scheme=scheme)
        tags = (item for item in self._tagged() if not isinstance(item, Problem))
        return replace(self, scheme=detect_scheme(tagged[3] for tagged in tags if tagged[3] is not None))

    def items(self) -> Iterator[Row | Problem]:
        if self.scheme == "auto":
            yield from self.prepared().items()
            return
        labels = None if self.label_set is None else set(self.label_set)
        for item in self._tagged():
            if isinstance(item, Problem):
                yield item
                continue
            sentence_id, where, tokens, tags, spans = item
            if tags is not None:
                try:
                    spans = tags_to_spans(tags, self.scheme, origin="gold")
                except ValueError as err:
                    yield Problem(f"{where}: the tags do not decode as {self.scheme} ({err})", sentence_id)
                    continue
            yield {
                "id": sentence_id,
                self.tokens_column: tokens,
                self.spans_column: spans_to_dicts(keep_labels(spans or [], labels)),
                WHERE: where,
            }

    def _tagged(self) -> Iterator[tuple[str, str, list[str], list[str] | None, list[Any] | None] | Problem]:
        """``(id, where, tokens, tags, spans)`` per sentence (tags for CoNLL and tagged JSONL, else spans)."""
        prefix = self.path.stem if self.id_prefix is None else self.id_prefix
        yield from self._conll(prefix) if self.format == "conll" else self._jsonl(prefix)

    def _conll(self, prefix: str) -> Iterator[Any]:
        blocks = self._conll_blocks()
        for index, (first, lines) in enumerate(blocks):
            sentence_id, where = f"{prefix}-{index}", f"{self.path}, sentence {index + 1} (line {first})"
            tokens: list[str] = []
            tags: list[str] = []
            problem = None
            for number, line in lines:
                if isinstance(line, Problem):
                    problem = problem or replace(line, sentence_id=sentence_id)
                    continue
                columns = split_columns(line)
                if len(columns) < 2:
                    problem = problem or Problem(
                        f"{self.path}, line {number}: expected a token and a tag but the line has one column "
                        f"({line.strip()!r})",
                        sentence_id,
                    )
                    continue
                try:
                    parse_tag(columns[-1])
                except ValueError:
                    problem = problem or Problem(
                        f"{self.path}, line {number}: unknown tag {columns[-1]!r}", sentence_id
                    )
                    continue
                tokens.append(columns[0])
                tags.append(columns[-1])
            yield problem if problem is not None else (sentence_id, where, tokens, tags, None)

    def _conll_blocks(self) -> Iterator[tuple[int, list[tuple[int, str | Problem]]]]:
        """Sentences as ``(first line number, lines)``; blank lines and ``-DOCSTART-`` end a sentence."""
        lines: list[tuple[int, str | Problem]] = []
        for number, line in numbered_lines(self.path):
            if isinstance(line, str) and (not line.strip() or split_columns(line)[0] == DOCSTART):
                if lines:
                    yield lines[0][0], lines
                    lines = []
                continue
            lines.append((number, line))
        if lines:
            yield lines[0][0], lines

    def _jsonl(self, prefix: str) -> Iterator[Any]:
        count = 0
        for number, line in numbered_lines(self.path):
            if isinstance(line, str) and not line.strip():
                continue
            count += 1
            if isinstance(line, Problem):
                yield line
                continue
            try:
                yield self._jsonl_sentence(number, line, f"{prefix}-{count - 1}")
            except ProjectionError as err:
                yield Problem(str(err))

    def _jsonl_sentence(self, number: int, line: str, default_id: str) -> Any:
        """One JSONL line as ``(id, where, tokens, tags, spans)``, read as the JSONL reader reads it."""
        where = f"{self.path}, line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise ProjectionError(f"{where}: not valid JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(obj, dict):
            raise ProjectionError(f"{where}: expected a JSON object, found {type(obj).__name__}")
        if is_record(obj):
            record = record_from_object(self.path, number, obj)
            sentence_id, tokens, tags, spans = record.id, record.target.tokens, None, record.projected
        else:
            tokens = checked_tokens(self.path, number, obj)
            tags = checked_tags(self.path, number, obj, len(tokens))
            spans = None if tags is not None else checked_spans(self.path, number, obj.get("spans") or [], len(tokens))
            sentence_id = default_id if obj.get("id") is None else str(obj["id"])
        if not tokens:
            raise ProjectionError(f"{where}: the sentence has no tokens")
        return sentence_id, where, list(tokens), tags, spans


@dataclass(frozen=True)
class RecordsSource(RowSource):
    """Projection records written by the JSONL writer (already projected): nothing left to run but the export."""

    path: Path

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(BATCH_COLUMNS)

    def describe(self) -> str:
        return str(self.path)

    def items(self) -> Iterator[Row | Problem]:
        for number, line in numbered_lines(self.path):
            if isinstance(line, Problem):
                yield line
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield Problem(f"{self.path}, line {number}: not valid JSON ({err.msg} at column {err.colno})")
                continue
            if not isinstance(obj, dict) or not is_record(obj):
                yield Problem(f"{self.path}, line {number}: not a projection record (no 'source' and 'target')")
                continue
            try:
                record = record_from_object(self.path, number, obj)
            except ProjectionError as err:
                yield Problem(str(err).split(" Records are")[0].rstrip("."), str(obj.get("id")))
                continue
            batch = records_to_batch([record])
            yield {**{column: values[0] for column, values in batch.items()}, WHERE: f"{self.path}, line {number}"}
