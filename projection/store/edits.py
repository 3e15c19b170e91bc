"""One edit of a sentence's layer (spans or links), each layer's values, and how an edit made on a stale view
is applied to the newest state."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from projection.data import Span, spans_from_dicts, spans_to_dicts
from projection.errors import ProjectionError
from projection.link_edit import LinkEdit
from projection.store.schema import LINKS, SPANS

V = TypeVar("V")

UNDO = "undo"
"""The action of a row written by :meth:`CorrectionsStore.undo`; no other caller may use it."""


@dataclass(frozen=True)
class Edit(Generic[V]):
    """A row of the history: who changed which sentence's layer (spans, links) from ``before`` to ``after``, and when.

    ``undoes`` is the id of the edit an undo row reverts; ``undone_by`` is the
    id of the undo row that reverted this edit (filled when reading history);
    ``track`` says whether it changed its author's version (``review``) or the
    adjudicated one; ``text_hash`` is the hash of the tokens it was made on.
    """

    id: int
    dataset: str
    sentence_id: str
    lang: str
    method: str
    author: str
    timestamp: datetime
    action: str
    before: V
    after: V
    undoes: int | None = None
    undone_by: int | None = None
    track: str = "review"
    text_hash: str | None = None


def check_no_overlap(spans: Sequence[Span]) -> None:
    """Corrected spans become IOB2 tags on export, where overlapping spans cannot exist."""
    ordered = sorted(spans, key=lambda span: (span.start, span.end))
    for first, second in itertools.pairwise(ordered):
        if first.overlaps(second):
            raise ProjectionError(
                f"Corrected spans may not overlap: tokens {first.start}-{first.end} ({first.label}) and "
                f"{second.start}-{second.end} ({second.label}). Shorten or delete one of them first."
            )


def rebase_spans(stored: Sequence[Span], before: Sequence[Span], after: Sequence[Span]) -> list[Span]:
    """Apply the change ``before -> after`` to ``stored``, the newest state, which may differ from ``before``.

    When two sessions edit the same version of a sentence (one reviewer in two
    tabs, two adjudicators), the second one's ``before`` is stale. Replaying
    their *change* (spans removed, spans added, spans whose origin changed, as
    when a span is accepted) on the newest state keeps both sessions' work;
    where a span they add overlaps a span the other added, the newer edit
    wins (the older one stays in the history). When ``stored`` equals
    ``before`` the result equals ``after``.
    """
    before_origins = {span.key: span.origin for span in before}
    after_keys = {span.key for span in after}
    removed = before_origins.keys() - after_keys
    added = [span for span in after if span.key not in before_origins]
    changed = {
        span.key: span for span in after if span.key in before_origins and before_origins[span.key] != span.origin
    }
    kept = [
        changed.get(span.key, span)
        for span in stored
        if span.key not in removed and not any(span.overlaps(new) for new in added)
    ]
    kept_keys = {span.key for span in kept}
    result = kept + [span for span in added if span.key not in kept_keys]
    return sorted(result, key=lambda span: (span.start, span.end, span.label))


@dataclass(frozen=True)
class Layer(Generic[V]):
    """What one layer's values are: how they are read from and written to a row's JSON, and how a change made
    on a stale view is replayed on the newest value (``rebase(stored, before, after)``).

    ``per_text``: a version holds for the text it was made on only (its rows'
    ``text_hash``), so an edit of another text starts afresh. Links need it:
    their data set key digests the target side only, while links point into
    the source side too.
    """

    name: str
    load: Callable[[Any], V]
    dump: Callable[[V], Any]
    rebase: Callable[[V, V, V], V]
    per_text: bool = False


SPAN_LAYER: Layer[list[Span]] = Layer(SPANS, spans_from_dicts, spans_to_dicts, rebase_spans)
LINK_LAYER: Layer[LinkEdit] = Layer(
    LINKS, LinkEdit.from_dict, LinkEdit.to_dict, lambda stored, before, after: stored.rebased(before, after), True
)
