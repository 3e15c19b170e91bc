"""JSONL reader: one JSON object per line, either a sentence or a projection record.

A sentence line has ``tokens`` (list of strings), optionally ``spans`` (list
of ``{start, end, label}``, end exclusive; ``score`` and ``origin`` kept if
present, origin defaulting to ``gold``) or ``tags`` (one tag per token, the
scheme detected over the whole file), and optionally ``id`` and ``lang``.
A record line (keys ``source`` and ``target``) is what
:func:`projection.writers.jsonl.write_jsonl` writes; read as a sentence it
gives the target tokens with the projected spans, the same side the CoNLL
writer exports by default. Blank lines are skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import iter_lines
from projection.readers.conll import check_scheme
from projection.tags import detect_scheme, keep_labels, parse_tag, tags_to_spans


def is_record(obj: Mapping[str, Any]) -> bool:
    return "source" in obj and "target" in obj


def iter_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line."""
    for number, line in enumerate(iter_lines(path), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise ProjectionError(
                f"{path}, line {number}: not valid JSON ({err.msg} at column {err.colno}). A JSONL file has "
                "exactly one JSON object per line."
            ) from None
        if not isinstance(obj, dict):
            raise ProjectionError(
                f"{path}, line {number}: expected a JSON object ({{...}}) but found {type(obj).__name__}."
            )
        yield number, obj


def line_error(path: Path, number: int, problem: str) -> ProjectionError:
    return ProjectionError(
        f"{path}, line {number}: {problem}. A sentence line looks like "
        '{"id": "s1", "tokens": ["Ana", "vive"], "spans": [{"start": 0, "end": 1, "label": "PER"}]} '
        '(or "tags": ["B-PER", "O"] instead of "spans").'
    )


def checked_tokens(path: Path, number: int, obj: Mapping[str, Any]) -> list[str]:
    tokens = obj.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
        raise line_error(path, number, "'tokens' must be a list of strings")
    return tokens


def checked_tags(path: Path, number: int, obj: Mapping[str, Any], n_tokens: int) -> list[str] | None:
    """The line's ``tags`` if it has them (and no ``spans``), validated."""
    if "spans" in obj or obj.get("tags") is None:
        return None
    tags = obj["tags"]
    if not isinstance(tags, list) or len(tags) != n_tokens:
        raise line_error(path, number, f"'tags' must be a list with one tag per token ({n_tokens})")
    for tag in tags:
        try:
            parse_tag(str(tag))
        except ValueError:
            raise line_error(path, number, f"unknown tag {tag!r}; tags are O or B-/I-/E-/S- and a label") from None
    return [str(tag) for tag in tags]


def sentence_tags(path: Path, number: int, obj: Mapping[str, Any]) -> list[str] | None:
    """The tags of a sentence line; None for a record or a line with spans."""
    if is_record(obj):
        return None
    return checked_tags(path, number, obj, len(checked_tokens(path, number, obj)))


def checked_spans(path: Path, number: int, items: Any, n_tokens: int) -> list[Span]:
    if not isinstance(items, list):
        raise line_error(path, number, "'spans' must be a list of {start, end, label} objects")
    spans = []
    for item in items:
        try:
            span = Span.from_dict({"origin": "gold", **item})
        except (KeyError, TypeError, ValueError) as err:
            raise line_error(path, number, f"bad span {item!r} ({err})") from None
        if span.end > n_tokens:
            raise line_error(path, number, f"span {item!r} ends after the last token ({n_tokens} tokens)")
        spans.append(span)
    return spans


def record_from_object(path: Path, number: int, obj: Mapping[str, Any]) -> ProjectionRecord:
    try:
        return ProjectionRecord.from_dict(obj)
    except (KeyError, TypeError, ValueError) as err:
        raise ProjectionError(
            f"{path}, line {number}: not a valid projection record ({type(err).__name__}: {err}). Records are "
            "the lines written by the JSONL writer, with id, source, target, alignment, projected and provenance."
        ) from None


def iter_jsonl(
    path: str | os.PathLike[str],
    lang: str = "",
    *,
    scheme: str = "auto",
    label_set: Iterable[str] | None = None,
) -> Iterator[Sentence]:
    """Sentences of a JSONL file, one at a time.

    A line's own ``lang`` wins over ``lang``; lines without ``id`` get
    ``f"{file stem}-{index}"``. With ``scheme="auto"`` and lines carrying
    ``tags``, the file is read twice (detect, then decode).
    """
    path = Path(path)
    scheme = check_scheme(scheme)
    if scheme == "auto":
        scheme = detect_scheme(sentence_tags(path, number, obj) or [] for number, obj in iter_objects(path))
    labels = None if label_set is None else set(label_set)
    index = -1
    for index, (number, obj) in enumerate(iter_objects(path)):
        if is_record(obj):
            record = record_from_object(path, number, obj)
            tokens, spans = record.target.tokens, record.projected
            sid, sentence_lang = record.id, record.target.lang or lang
        else:
            tokens = checked_tokens(path, number, obj)
            tags = checked_tags(path, number, obj, len(tokens))
            if tags is not None:
                spans = tags_to_spans(tags, scheme, origin="gold")
            else:
                spans = checked_spans(path, number, obj.get("spans") or [], len(tokens))
            sid = str(obj["id"]) if obj.get("id") is not None else f"{path.stem}-{index}"
            sentence_lang = str(obj.get("lang") or lang)
        yield Sentence(id=sid, lang=sentence_lang, tokens=list(tokens), spans=keep_labels(spans, labels))
    if index < 0:
        raise ProjectionError(f"{path} contains no JSON lines: expected one JSON object per line.")


def read_jsonl(
    path: str | os.PathLike[str],
    lang: str = "",
    *,
    scheme: str = "auto",
    label_set: Iterable[str] | None = None,
) -> list[Sentence]:
    """All sentences of a JSONL file; see :func:`iter_jsonl`."""
    return list(iter_jsonl(path, lang, scheme=scheme, label_set=label_set))


def iter_records(path: str | os.PathLike[str]) -> Iterator[ProjectionRecord]:
    """Projection records of a JSONL file written by the JSONL writer, one at a time."""
    path = Path(path)
    empty = True
    for number, obj in iter_objects(path):
        empty = False
        if not is_record(obj):
            raise ProjectionError(
                f"{path}, line {number}: a sentence, not a projection record (no 'source' and 'target' keys). "
                "Read plain sentences with the jsonl sentence reader instead."
            )
        yield record_from_object(path, number, obj)
    if empty:
        raise ProjectionError(f"{path} contains no JSON lines: expected one projection record per line.")


def read_records(path: str | os.PathLike[str]) -> list[ProjectionRecord]:
    """All projection records of a JSONL file; see :func:`iter_records`."""
    return list(iter_records(path))
