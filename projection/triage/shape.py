"""Span shape: whether the projected target words look like a name, from the target sentence alone.

In a cased script a name starts with capitals, so a projection that took in
a neighbouring common word (``ciclista Marcos``, ``Banco Andino cayeron``)
betrays itself by a lower-case first or last word, whatever corpus it comes
from. Other shapes were measured and left out because their direction did
not hold from one corpus to another (span length, digits, punctuation, a
span opening the sentence). Needs nothing but the target tokens, so it is
always computed; a span with no cased letter gets no value.
"""

from __future__ import annotations

from collections.abc import Sequence

from projection.data import ProjectionRecord, Span
from projection.triage.signals import GroupSignals, quoted


def is_lower(token: str) -> bool:
    """Whether the token starts with a lower-case letter of a cased script."""
    first = token[:1]
    return first.lower() != first.upper() and first.islower()


def is_cased(token: str) -> bool:
    first = token[:1]
    return first.lower() != first.upper()


def shape_signals(records: Sequence[ProjectionRecord]) -> GroupSignals:
    """``lower_edge`` of every projected span: 1 when its first or last word is lower-case."""
    result = GroupSignals("shape")
    for record in records:
        found = [span_shape(record.target.tokens, span) for span in record.projected]
        result.values.append([values for values, _ in found])
        result.words.append([words for _, words in found])
        result.flags.append([])
    return result


def span_shape(tokens: list[str], span: Span) -> tuple[dict[str, float], dict[str, str]]:
    words = tokens[span.start : span.end]
    if not any(is_cased(word) for word in words):
        return {}, {}
    edges = [word for word in (words[0], words[-1]) if is_lower(word)]
    if not edges:
        return {"lower_edge": 0.0}, {}
    text = quoted(tokens, span.start, span.end)
    return {"lower_edge": 1.0}, {"lower_edge": f"{text} begins or ends with the lower-case word '{edges[0]}'"}
