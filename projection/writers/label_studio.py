"""Label Studio writer: tasks with pre-annotations, importable into a named-entity project.

Each sentence becomes a task whose ``data.text`` is its tokens joined by
single spaces (``data.tokens`` keeps the tokens, so reading back never
re-tokenises). Spans become ``labels`` regions with character offsets into
that text, computed here: this is the edge where token indices turn into
characters. Spans a person made (a record whose projection was corrected in
the Review page, or gold spans) go in ``annotations``; spans a model made go
in ``predictions``, which Label Studio shows as pre-annotations to accept or
fix. The project needs a labelling config whose names match ours:
:func:`label_config` writes one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import atomic_write
from projection.writers.conll import NOT_REVIEWED, SIDES, STATUS, Side, review_status, side_of

FROM_NAME = "label"
TO_NAME = "text"
HUMAN_ORIGINS = frozenset({"gold", "corrected"})


def token_offsets(tokens: Sequence[str]) -> list[int]:
    """Character offset of each token in ``" ".join(tokens)``."""
    offsets, position = [], 0
    for token in tokens:
        offsets.append(position)
        position += len(token) + 1
    return offsets


def region(sentence_id: str, index: int, tokens: Sequence[str], offsets: Sequence[int], span: Span) -> dict[str, Any]:
    """One ``labels`` result: the span's character range in the joined text."""
    start = offsets[span.start]
    end = offsets[span.end - 1] + len(tokens[span.end - 1])
    result: dict[str, Any] = {
        "id": f"{sentence_id}-{index}",
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {"start": start, "end": end, "text": " ".join(tokens[span.start : span.end]), "labels": [span.label]},
    }
    if span.score is not None:
        result["score"] = float(span.score)
    return result


def is_human(item: ProjectionRecord | Sentence, which: Side, spans: Sequence[Span]) -> bool:
    """Whether ``spans`` were made or checked by a person (they go in ``annotations``)."""
    if isinstance(item, ProjectionRecord):
        reviewed = review_status(item) not in (None, NOT_REVIEWED) or bool(item.provenance.get("corrected"))
        return which == "gold" or (which == "projected" and reviewed)
    return bool(spans) and all(span.origin in HUMAN_ORIGINS for span in spans)


def task(item: ProjectionRecord | Sentence, which: Side) -> dict[str, Any]:
    sentence_id, tokens, spans = side_of(item, which)
    for index, token in enumerate(tokens):
        if not token or any(char.isspace() for char in token):
            raise ProjectionError(
                f"Sentence {sentence_id!r}, token {index} ({token!r}) is empty or contains whitespace, so the "
                "tokens cannot be joined by single spaces into a text with unambiguous offsets. Fix the "
                "tokenisation of that sentence."
            )
    outside = [span for span in spans if span.end > len(tokens)]
    if outside:
        raise ProjectionError(
            f"Sentence {sentence_id!r} has a span {outside[0].key} that ends after its last token ({len(tokens)} "
            "tokens); fix or remove it (e.g. in the Review page)."
        )
    offsets = token_offsets(tokens)
    results = [region(sentence_id, k, tokens, offsets, span) for k, span in enumerate(spans)]
    lang = item.lang if isinstance(item, Sentence) else (item.source if which == "source" else item.target).lang
    out: dict[str, Any] = {"data": {"text": " ".join(tokens), "id": sentence_id, "lang": lang, "tokens": list(tokens)}}
    status = review_status(item)
    if status is not None:
        out["data"][STATUS] = status
    if is_human(item, which, spans):
        out["annotations"] = [{"result": results, "ground_truth": False}]
    else:
        prediction: dict[str, Any] = {"model_version": model_version(item, which), "result": results}
        scores = [span.score for span in spans if span.score is not None]
        if scores:
            prediction["score"] = sum(scores) / len(scores)
        out["predictions"] = [prediction]
    return out


def model_version(item: ProjectionRecord | Sentence, which: Side) -> str:
    """What made the predicted spans, as Label Studio shows it."""
    if isinstance(item, ProjectionRecord):
        stages = item.provenance.get("stages") or {}
        if which == "source" and "label" in stages:
            return f"labeller:{stages['label'].get('name', '')}"
        if which == "projected" and item.provenance.get("method"):
            return f"projection:{item.provenance['method']}"
    origins = sorted({span.origin for span in side_of(item, which)[2] if span.origin})
    return ",".join(origins) or "projection"


def write_label_studio(
    items: Iterable[ProjectionRecord | Sentence], path: str | os.PathLike[str], *, which: Side = "projected"
) -> int:
    """Write a JSON array of Label Studio tasks, one task at a time; returns the number written.

    Sentences without tokens are left out (there is nothing to label).
    """
    if which not in SIDES:
        raise ProjectionError(f"Unknown side {which!r} to write: use one of {', '.join(SIDES)}.")
    written = 0
    with atomic_write(path) as handle:
        handle.write("[")
        for item in items:
            if not side_of(item, which)[1]:
                continue
            handle.write(",\n" if written else "\n")
            handle.write(json.dumps(task(item, which), ensure_ascii=False))
            written += 1
        handle.write("\n]\n")
    return written


def label_config(labels: Iterable[str]) -> str:
    """A Label Studio labelling config for these labels, matching the names the tasks use."""
    choices = "\n".join(f"    <Label value={quoteattr(label)}/>" for label in labels)
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{choices}\n  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="${TO_NAME}"/>\n'
        "</View>\n"
    )


def config_path(path: str | os.PathLike[str]) -> Path:
    """Where the labelling config of the tasks in ``path`` goes: beside them, ``<stem>.label_config.xml``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.label_config.xml")


def write_label_config(path: str | os.PathLike[str], labels: Iterable[str]) -> Path:
    """Write the labelling config for the tasks in ``path`` beside them; returns the config's path."""
    target = config_path(path)
    with atomic_write(target) as handle:
        handle.write(label_config(labels))
    return target
