"""The edits of the Review page as pure functions on a sentence's list of spans.

Each returns a new list (spans are immutable) or raises a
:class:`ProjectionError` saying why the edit is not possible, so the page can
show the reason instead of saving an impossible state. Spans an edit creates
carry origin ``corrected``.
"""

from __future__ import annotations

from collections.abc import Sequence

from projection.data import Span
from projection.errors import ProjectionError

CORRECTED = "corrected"
ACCEPTED = "accepted"
REVIEWED_ORIGINS = (CORRECTED, ACCEPTED, "adjudicated")
"""Origins of spans a person made or confirmed; any other span is still as the projection left it."""


def ordered(spans: Sequence[Span]) -> list[Span]:
    return sorted(spans, key=lambda span: (span.start, span.end, span.label))


def label_tokens(spans: Sequence[Span], selected: Sequence[int], label: str | None, n_tokens: int) -> list[Span]:
    """Give the words from the first to the last ``selected`` token the ``label`` (None: no entity there).

    Spans overlapping those words are replaced: clicking the words of an
    entity and its label makes the span, relabels it, or moves its
    boundaries, all at once.
    """
    if not selected:
        raise ProjectionError("Click the words of the entity first (its first and last word are enough).")
    start, end = min(selected), max(selected) + 1
    if start < 0 or end > n_tokens:
        raise ProjectionError(f"The sentence has only {n_tokens} tokens; a span cannot end after token {n_tokens - 1}.")
    kept = [span for span in spans if not (span.start < end and start < span.end)]
    if label is None:
        return ordered(kept)
    if not label:
        raise ProjectionError("Choose a label for the new span.")
    return ordered([*kept, Span(start, end, label, origin=CORRECTED)])


def is_pending(span: Span) -> bool:
    """Whether nobody has accepted, corrected or adjudicated this span yet."""
    return span.origin not in REVIEWED_ORIGINS


def accept_span(spans: Sequence[Span], index: int) -> list[Span]:
    """Confirm a projected span as it is (its origin becomes ``accepted``)."""
    old = spans[index]
    accepted = Span(old.start, old.end, old.label, old.score, ACCEPTED)
    return ordered([accepted if k == index else span for k, span in enumerate(spans)])


def delete_span(spans: Sequence[Span], index: int) -> list[Span]:
    return ordered([span for k, span in enumerate(spans) if k != index])


def relabel_span(spans: Sequence[Span], index: int, label: str) -> list[Span]:
    old = spans[index]
    if not label or label == old.label:
        return ordered(spans)
    new = Span(old.start, old.end, label, origin=CORRECTED)
    return ordered([new if k == index else span for k, span in enumerate(spans)])


def describe_change(before: Sequence[Span], after: Sequence[Span], tokens: Sequence[str]) -> str:
    """``− ORG «Lima» · + LOC «Lima»``: what an edit removed, added and accepted (✓), for the history table."""

    def name(span: Span) -> str:
        words = " ".join(tokens[span.start : span.end]) if span.end <= len(tokens) else f"{span.start}–{span.end}"
        return f"{span.label} «{words}»"

    before_origins = {span.key: span.origin for span in before}
    after_keys = {span.key for span in after}
    parts = [f"− {name(span)}" for span in before if span.key not in after_keys]
    parts += [f"+ {name(span)}" for span in after if span.key not in before_origins]
    parts += [
        f"✓ {name(span)}"
        for span in after
        if span.key in before_origins and span.origin == ACCEPTED and before_origins[span.key] != ACCEPTED
    ]
    return " · ".join(parts) or "no change"
