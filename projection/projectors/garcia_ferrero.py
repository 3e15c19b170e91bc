"""The original García-Ferrero et al. (2022) projection heuristic ("Easy Label Projection").

For each source entity: the union of the target words linked to any of its
words; target words made only of punctuation or symbols are dropped (an
entity left with none is not projected); the rest are grouped into contiguous
runs, runs separated by at most ``merge_distance`` words are joined (the
stated intent of the original's "merge groups with gap = 1"; its code in fact
joins only two single words one word apart), and only the largest run is kept
(the leftmost among equals). There is no length-ratio filter.

Collisions between the projections of different entities, taken left to
right: overlapping spans of the same type are merged into one span covering
both; of different types the longer one wins, and between equally long ones
the one further left (already kept) stays.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from projection.data import Alignment, Sentence, Span
from projection.errors import ProjectionError
from projection.projectors import Projector
from projection.projectors.heuristic import linked_targets, links_by_source, merged_runs


def is_punctuation(token: str) -> bool:
    """True for a token made only of punctuation or symbol characters (``,`` ``"`` ``(`` ``%`` ``«``)."""
    return bool(token) and all(unicodedata.category(char)[0] in "PS" for char in token)


def resolve_collisions(spans: list[Span]) -> list[Span]:
    """Left to right: same-type overlaps merge, different-type overlaps keep the longer (the earlier on ties)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if not kept or not kept[-1].overlaps(span):
            kept.append(span)
        elif kept[-1].label == span.label:
            last = kept[-1]
            kept[-1] = Span(last.start, max(last.end, span.end), last.label, origin=last.origin)
        elif len(span) > len(kept[-1]):
            kept[-1] = span
    return kept


class GarciaFerreroProjector(Projector):
    """``garcia-ferrero``: largest group per entity, punctuation dropped, collisions by type then length."""

    name = "garcia-ferrero"

    def __init__(self, merge_distance: int = 1) -> None:
        merge_distance = int(merge_distance)
        if merge_distance < 0:
            raise ProjectionError(f"merge_distance must be 0 or more (words of gap to fill), not {merge_distance}.")
        self.merge_distance = merge_distance

    def params(self) -> dict[str, Any]:
        return {"merge_distance": self.merge_distance}

    def project_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> list[Span]:
        table = links_by_source(alignment, len(target.tokens))
        candidates = []
        for entity in source.spans:
            words = {j for j in linked_targets(entity, table) if not is_punctuation(target.tokens[j])}
            runs = merged_runs(words, self.merge_distance)
            if runs:
                start, end = max(runs, key=lambda run: run[1] - run[0])
                candidates.append(Span(start, end, entity.label, origin=self.origin))
        return resolve_collisions(candidates)
