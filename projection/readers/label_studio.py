"""Label Studio reader: tasks (ours, or a Label Studio JSON export) back to token-indexed sentences.

Tokens come from ``data.tokens`` when the task has them (our writer stores
them) and they join into ``data.text`` by single spaces, else from the text's
whitespace-separated words. Character regions are turned back into token
spans here, covering every token a region touches, so a selection made by
hand in Label Studio that stops mid-word still lands on whole tokens. The
spans of a task are those of its latest annotation that was not cancelled
(origin ``gold``: a person made or checked them), else those of its first
prediction (origin: the prediction's model version).
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from projection.data import Sentence, Span
from projection.errors import ProjectionError

_WORDS = re.compile(r"\S+")


def load_tasks(path: Path) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProjectionError(f"File not found: {path}.") from None
    except UnicodeDecodeError as err:
        raise ProjectionError(f"{path} is not valid UTF-8 (byte offset {err.start}).") from None
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as err:
        raise ProjectionError(
            f"{path}, line {err.lineno}: not valid JSON ({err.msg}). A Label Studio file is a JSON array of tasks."
        ) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise ProjectionError(f"{path}: expected a JSON array of Label Studio tasks, found {type(tasks).__name__}.")
    return tasks


def words(data: Mapping[str, Any]) -> tuple[list[str], list[int]]:
    """The task's tokens and the character offset of each in ``data.text``."""
    text = str(data.get("text") or "")
    tokens = data.get("tokens")
    if isinstance(tokens, list) and " ".join(map(str, tokens)) == text:
        offsets, position = [], 0
        for token in tokens:
            offsets.append(position)
            position += len(str(token)) + 1
        return [str(token) for token in tokens], offsets
    found = list(_WORDS.finditer(text))
    return [match.group() for match in found], [match.start() for match in found]


def chosen_results(task: Mapping[str, Any]) -> tuple[list[Any], str]:
    """The regions of the latest live annotation, else of the first prediction; and their origin."""
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if annotations:
        return list(annotations[-1].get("result") or []), "gold"
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    if predictions:
        return list(predictions[0].get("result") or []), str(predictions[0].get("model_version") or "prediction")
    return [], ""


def to_span(result: Mapping[str, Any], tokens: Sequence[str], offsets: Sequence[int], origin: str) -> Span | None:
    """The token span a ``labels`` region covers; None for other region types or a region between tokens."""
    value = result.get("value") or {}
    labels = value.get("labels") or []
    if result.get("type", "labels") != "labels" or not labels or "start" not in value or "end" not in value:
        return None
    start, end = int(value["start"]), int(value["end"])
    ends = [offset + len(token) for offset, token in zip(offsets, tokens, strict=True)]
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(offsets, end)
    if first >= last:
        return None
    score = result.get("score")
    return Span(first, last, str(labels[0]), None if score is None else float(score), origin)


def iter_label_studio(path: str | os.PathLike[str], lang: str = "") -> Iterator[Sentence]:
    """Sentences of a Label Studio task file, with the spans of its annotations or predictions."""
    path = Path(path)
    for index, task in enumerate(load_tasks(path)):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ProjectionError(
                f"{path}, task {index}: expected an object with data.text (the sentence); a Label Studio task "
                'looks like {"data": {"text": "..."}, "predictions": [...]}.'
            )
        tokens, offsets = words(data)
        results, origin = chosen_results(task)
        spans = [span for r in results if isinstance(r, dict) and (span := to_span(r, tokens, offsets, origin))]
        sentence_id = str(data.get("id") if data.get("id") is not None else task.get("id", f"{path.stem}-{index}"))
        yield Sentence(sentence_id, str(data.get("lang") or lang), tokens, sorted(spans, key=lambda s: s.start))


def read_label_studio(path: str | os.PathLike[str], lang: str = "") -> list[Sentence]:
    """All sentences of a Label Studio task file; see :func:`iter_label_studio`."""
    return list(iter_label_studio(path, lang))
