"""JSONL reader: one JSON object per line, either a sentence or a projection record.

A sentence line has ``tokens`` (a non-empty list of strings), optionally
``spans`` (a list of ``{start, end, label}``, end exclusive, inside the
sentence and not overlapping; ``score`` and ``origin`` kept if present, origin
defaulting to ``gold``) or ``tags`` (one tag per token), and optionally ``id``
and ``lang``. A record line (keys ``source`` and ``target``) is what
:func:`projection.writers.jsonl.write_jsonl` writes, checked as
:meth:`projection.data.ProjectionRecord.from_dict` checks it; read as a
sentence it gives the target tokens with the projected spans, the same side
the CoNLL writer exports by default. Blank lines are skipped; a ``.gz`` file
is read decompressed. Two lines with the same sentence id are refused (for
records: the same id, target language and method), naming both lines.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import NotUtf8, numbered_lines
from projection.readers.entities import Entities, normalised_label_set
from projection.readers.notes import OnError, Problem, ReadNotes, kept
from projection.tags import is_tag

SENTENCE_LINE = (
    'A sentence line looks like {"id": "s1", "tokens": ["Ana", "vive"], "spans": [{"start": 0, "end": 1, '
    '"label": "PER"}]} (or "tags": ["B-PER", "O"] instead of "spans").'
)
RECORD_LINE = (
    "Records are the lines written by the JSONL writer, with id, source, target, alignment, projected and provenance."
)
JSONL = "A JSONL file has exactly one JSON object per line."

Parsed = tuple[int, dict[str, Any]]


def is_record(obj: Mapping[str, Any]) -> bool:
    return "source" in obj and "target" in obj


def object_items(path: Path) -> Iterator[Parsed | Problem]:
    """``(line number, object)`` for each non-blank line, or the problem with a line that is not a JSON object."""
    for number, line in numbered_lines(path):
        if isinstance(line, NotUtf8):
            yield Problem(line.message, hint=line.hint)
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield Problem(f"{path}, line {number}: not valid JSON ({err.msg} at column {err.colno})", hint=JSONL)
            continue
        except RecursionError:
            yield Problem(f"{path}, line {number}: the JSON is nested too deeply to read", hint=JSONL)
            continue
        if not isinstance(obj, dict):
            yield Problem(
                f"{path}, line {number}: expected a JSON object ({{...}}) but found {type(obj).__name__}", hint=JSONL
            )
            continue
        yield number, obj


def iter_objects(path: str | os.PathLike[str]) -> Iterator[Parsed]:
    """``(line number, object)`` for each non-blank line; the first line that is not a JSON object raises."""
    for item in object_items(Path(path)):
        if isinstance(item, Problem):
            raise item.error()
        yield item


class DuplicateIds:
    """The line each sentence id (or record key) was first seen on, to refuse a second use naming both lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[tuple[str, ...], int] = {}

    def problem(self, key: tuple[str, ...], number: int, what: str) -> Problem | None:
        """None the first time ``key`` is seen, else the problem of line ``number`` (``what`` says what repeats)."""
        first = self.seen.setdefault(key, number)
        if first == number:
            return None
        return Problem(
            f"{self.path}, line {number}: {what} occurs twice, first at line {first}",
            key[0],
            "Sentence ids must be unique; give each sentence its own id, or leave ids out to have them numbered.",
        )


def record_key(record: ProjectionRecord) -> tuple[str, str, str]:
    """What must be unique among records: one sentence of one language projected by one method."""
    return record.id, record.target.lang, str(record.provenance.get("method") or "")


def record_from_object(path: Path, number: int, obj: Mapping[str, Any]) -> ProjectionRecord | Problem:
    """The record of one line, or the problem that makes it unusable, naming the record's id."""
    given = obj.get("id")
    named = f", record {given!r}" if isinstance(given, str | int) else ""
    try:
        return ProjectionRecord.from_dict(obj)
    except (KeyError, TypeError, ValueError, IndexError) as err:
        reason = str(err) if isinstance(err, ValueError) else f"{type(err).__name__}: {err}"
        return Problem(
            f"{path}, line {number}{named}: not a valid projection record ({reason})",
            str(given) if named else None,
            RECORD_LINE,
        )


def tokens_of(path: Path, number: int, obj: Mapping[str, Any]) -> list[str] | Problem:
    tokens = obj.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
        return Problem(f"{path}, line {number}: 'tokens' must be a list of strings", hint=SENTENCE_LINE)
    if not tokens:
        return Problem(f"{path}, line {number}: the sentence has no tokens", hint=SENTENCE_LINE)
    return tokens


def tags_of(path: Path, number: int, obj: Mapping[str, Any], n_tokens: int) -> list[str] | Problem:
    tags = obj["tags"]
    if not isinstance(tags, list) or len(tags) != n_tokens or not all(isinstance(tag, str) for tag in tags):
        return Problem(
            f"{path}, line {number}: 'tags' must be a list of strings with one tag per token ({n_tokens})",
            hint=SENTENCE_LINE,
        )
    bad = next((tag for tag in tags if not is_tag(tag)), None)
    if bad is not None:
        return Problem(
            f"{path}, line {number}: unknown tag {bad!r}; tags are O or B-/I-/E-/S- and a label", hint=SENTENCE_LINE
        )
    return tags


def spans_of(path: Path, number: int, items: Any, n_tokens: int) -> list[Span] | Problem:
    """The line's spans: each well formed, inside the sentence, none overlapping another."""
    if not isinstance(items, list):
        return Problem(
            f"{path}, line {number}: 'spans' must be a list of {{start, end, label}} objects", hint=SENTENCE_LINE
        )
    spans = []
    for item in items:
        try:
            span = Span.from_dict({"origin": "gold", **item})
        except (TypeError, ValueError) as err:
            return Problem(f"{path}, line {number}: bad span {item!r} ({err})", hint=SENTENCE_LINE)
        if span.end > n_tokens:
            return Problem(
                f"{path}, line {number}: span {item!r} ends after the last token ({n_tokens} tokens)",
                hint=SENTENCE_LINE,
            )
        clash = next((other for other in spans if other.overlaps(span)), None)
        if clash is not None:
            return Problem(
                f"{path}, line {number}: spans {clash.key} and {span.key} overlap",
                hint="Labelled sentences hold flat entities, one label per token, as their tags would.",
            )
        spans.append(span)
    return spans


def sentence_from_object(
    path: Path, number: int, obj: Mapping[str, Any], default_id: str, lang: str, entities: Entities
) -> Sentence | Problem:
    """The sentence of one line (a sentence line, or a record's target with its projected spans)."""
    where = f"{path}, line {number}"
    if is_record(obj):
        record = record_from_object(path, number, obj)
        if isinstance(record, Problem):
            return record
        spans = entities.from_spans(record.projected, lambda _: where)
        return Sentence(record.id, record.target.lang or lang, list(record.target.tokens), spans)
    given = obj.get("id")
    if given is not None and (isinstance(given, bool) or not isinstance(given, str | int)):
        return Problem(f"{where}: 'id' must be a string or an integer, not {given!r}", hint=SENTENCE_LINE)
    sentence_id = default_id if given is None else str(given)
    sentence_lang = obj.get("lang")
    if sentence_lang is not None and not isinstance(sentence_lang, str):
        return Problem(f"{where}: 'lang' must be a string, not {sentence_lang!r}", sentence_id, SENTENCE_LINE)
    tokens = tokens_of(path, number, obj)
    if isinstance(tokens, Problem):
        return Problem(tokens.message, sentence_id, tokens.hint)
    if obj.get("tags") is not None and obj.get("spans") is not None:
        return Problem(f"{where}: give either 'tags' or 'spans', not both", sentence_id, SENTENCE_LINE)
    if obj.get("tags") is not None:
        tags = tags_of(path, number, obj, len(tokens))
        if isinstance(tags, Problem):
            return Problem(tags.message, sentence_id, tags.hint)
        spans = entities.from_tags(tags, lambda _: where)
    else:
        found = spans_of(path, number, obj.get("spans") or [], len(tokens))
        if isinstance(found, Problem):
            return Problem(found.message, sentence_id, found.hint)
        spans = entities.from_spans(found, lambda _: where)
    return Sentence(sentence_id, sentence_lang or lang, list(tokens), spans)


def jsonl_items(
    path: str | os.PathLike[str],
    lang: str = "",
    *,
    label_set: Iterable[str] | None = None,
    notes: ReadNotes | None = None,
) -> Iterator[tuple[Sentence, str] | Problem]:
    """Each line's sentence with where it is (``file, line n``), or the problem that makes it unusable.

    A line's own ``lang`` wins over ``lang``; lines without ``id`` get
    ``f"{file stem}-{index}"``, the index counting non-blank lines. A file
    without a single non-blank line raises.
    """
    path = Path(path)
    entities = Entities(str(path), normalised_label_set(label_set), notes)
    ids = DuplicateIds(path)
    index = -1
    for index, item in enumerate(object_items(path)):
        if isinstance(item, Problem):
            yield item
            continue
        number, obj = item
        sentence = sentence_from_object(path, number, obj, f"{path.stem}-{index}", lang, entities)
        if isinstance(sentence, Problem):
            yield sentence
            continue
        duplicate = ids.problem((sentence.id,), number, f"sentence id {sentence.id!r}")
        yield duplicate if duplicate is not None else (sentence, f"{path}, line {number}")
    if index < 0:
        raise ProjectionError(f"{path} contains no JSON lines: expected one JSON object per line.")


def iter_jsonl(
    path: str | os.PathLike[str],
    lang: str = "",
    *,
    label_set: Iterable[str] | None = None,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
) -> Iterator[Sentence]:
    """Sentences of a JSONL file, one at a time; a bad line raises or is skipped (see :func:`jsonl_items`)."""
    yield from kept(jsonl_items(path, lang, label_set=label_set, notes=notes), on_error, notes, str(path))


def read_jsonl(
    path: str | os.PathLike[str],
    lang: str = "",
    *,
    label_set: Iterable[str] | None = None,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
) -> list[Sentence]:
    """All sentences of a JSONL file; see :func:`iter_jsonl`."""
    return list(iter_jsonl(path, lang, label_set=label_set, on_error=on_error, notes=notes))


def record_items(path: str | os.PathLike[str]) -> Iterator[tuple[ProjectionRecord, str] | Problem]:
    """Each line's projection record with where it is, or the problem that makes it unusable."""
    path = Path(path)
    keys = DuplicateIds(path)
    empty = True
    for item in object_items(path):
        empty = False
        if isinstance(item, Problem):
            yield item
            continue
        number, obj = item
        if not is_record(obj):
            yield Problem(
                f"{path}, line {number}: not a projection record (no 'source' and 'target' keys)",
                hint="Read plain sentences with the JSONL sentence reader instead.",
            )
            continue
        record = record_from_object(path, number, obj)
        if isinstance(record, Problem):
            yield record
            continue
        key = record_key(record)
        described = f"the record of sentence {key[0]!r} (language {key[1]!r}, method {key[2]!r})"
        duplicate = keys.problem(key, number, described)
        yield duplicate if duplicate is not None else (record, f"{path}, line {number}")
    if empty:
        raise ProjectionError(f"{path} contains no JSON lines: expected one projection record per line.")


def iter_records(
    path: str | os.PathLike[str], *, on_error: OnError = "fail", notes: ReadNotes | None = None
) -> Iterator[ProjectionRecord]:
    """Projection records of a JSONL file written by the JSONL writer, one at a time."""
    yield from kept(record_items(path), on_error, notes, str(path))


def read_records(
    path: str | os.PathLike[str], *, on_error: OnError = "fail", notes: ReadNotes | None = None
) -> list[ProjectionRecord]:
    """All projection records of a JSONL file; see :func:`iter_records`."""
    return list(iter_records(path, on_error=on_error, notes=notes))
