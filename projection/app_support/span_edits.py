"""The edits of the Review page as pure functions on a sentence's list of spans.

Each returns a new list (spans are immutable) or raises a
:class:`ProjectionError` saying why the edit is not possible, so the page can
show the reason instead of saving an impossible state. Spans an edit creates
carry origin ``corrected``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from projection.data import Span
from projection.errors import ProjectionError

CORRECTED = "corrected"
Side = Literal["start", "end"]


def ordered(spans: Sequence[Span]) -> list[Span]:
    return sorted(spans, key=lambda span: (span.start, span.end, span.label))


def _check(spans: Sequence[Span], candidate: Span, n_tokens: int, ignore: int | None = None) -> None:
    if candidate.end > n_tokens:
        raise ProjectionError(f"The sentence has only {n_tokens} tokens; a span cannot end after token {n_tokens - 1}.")
    for index, other in enumerate(spans):
        if index != ignore and other.overlaps(candidate):
            raise ProjectionError(
                f"Tokens {candidate.start}–{candidate.end - 1} overlap the {other.label} span at tokens "
                f"{other.start}–{other.end - 1}; delete or shorten that span first."
            )


def add_span(spans: Sequence[Span], start: int, end: int, label: str, n_tokens: int) -> list[Span]:
    """A new span over tokens ``start`` .. ``end - 1``."""
    if not label:
        raise ProjectionError("Choose a label for the new span.")
    if not 0 <= start < end:
        raise ProjectionError(f"A span needs at least one token (got tokens {start} to {end - 1}).")
    candidate = Span(start, end, label, origin=CORRECTED)
    _check(spans, candidate, n_tokens)
    return ordered([*spans, candidate])


def delete_span(spans: Sequence[Span], index: int) -> list[Span]:
    return ordered([span for k, span in enumerate(spans) if k != index])


def relabel_span(spans: Sequence[Span], index: int, label: str) -> list[Span]:
    old = spans[index]
    if not label or label == old.label:
        return ordered(spans)
    new = Span(old.start, old.end, label, origin=CORRECTED)
    return ordered([new if k == index else span for k, span in enumerate(spans)])


def moved(span: Span, side: Side, delta: int) -> Span | None:
    """The span with one boundary moved by ``delta`` tokens, or None if it would become empty or negative."""
    start, end = (span.start + delta, span.end) if side == "start" else (span.start, span.end + delta)
    if start < 0 or start >= end:
        return None
    return Span(start, end, span.label, origin=CORRECTED)


def can_move(spans: Sequence[Span], index: int, side: Side, delta: int, n_tokens: int) -> bool:
    """Whether :func:`move_boundary` would succeed (to enable or disable its button)."""
    candidate = moved(spans[index], side, delta)
    if candidate is None or candidate.end > n_tokens:
        return False
    return not any(k != index and other.overlaps(candidate) for k, other in enumerate(spans))


def move_boundary(spans: Sequence[Span], index: int, side: Side, delta: int, n_tokens: int) -> list[Span]:
    """Move the start or the end of span ``index`` by ``delta`` tokens (-1: left, +1: right)."""
    candidate = moved(spans[index], side, delta)
    if candidate is None:
        raise ProjectionError("That would leave the span without tokens; delete it instead.")
    _check(spans, candidate, n_tokens, ignore=index)
    return ordered([candidate if k == index else span for k, span in enumerate(spans)])


def describe_change(before: Sequence[Span], after: Sequence[Span], tokens: Sequence[str]) -> str:
    """``− ORG «Lima» · + LOC «Lima»``: what an edit removed and added, for the history table."""

    def name(span: Span) -> str:
        words = " ".join(tokens[span.start : span.end]) if span.end <= len(tokens) else f"{span.start}–{span.end}"
        return f"{span.label} «{words}»"

    before_keys = {span.key for span in before}
    after_keys = {span.key for span in after}
    parts = [f"− {name(span)}" for span in before if span.key not in after_keys]
    parts += [f"+ {name(span)}" for span in after if span.key not in before_keys]
    return " · ".join(parts) or "no change"
