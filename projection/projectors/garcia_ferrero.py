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
from collections.abc import Sequence
from typing import Any

from projection.data import Alignment, Explanation, Sentence, Span
from projection.errors import ProjectionError
from projection.projectors import Projection, Projector, links_between
from projection.projectors.heuristic import linked_targets, links_by_source, merged_runs


def is_punctuation(token: str) -> bool:
    """True for a token made only of punctuation or symbol characters (``,`` ``"`` ``(`` ``%`` ``«``)."""
    return bool(token) and all(unicodedata.category(char)[0] in "PS" for char in token)


def resolve_collisions(spans: Sequence[Span], owners: Sequence[int]) -> list[tuple[Span, list[int]]]:
    """Left to right: same-type overlaps merge, different-type overlaps keep the longer (the earlier on ties).

    Returns the surviving spans, each with the entities it came from (two for a merged span).
    """
    kept: list[tuple[Span, list[int]]] = []
    for span, owner in sorted(zip(spans, owners, strict=True), key=lambda item: (item[0].start, item[0].end)):
        if not kept or not kept[-1][0].overlaps(span):
            kept.append((span, [owner]))
            continue
        last, last_owners = kept[-1]
        if last.label == span.label:
            kept[-1] = (
                Span(last.start, max(last.end, span.end), last.label, origin=last.origin),
                [*last_owners, owner],
            )
        elif len(span) > len(last):
            kept[-1] = (span, [owner])
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

    def explain_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> Projection:
        table = links_by_source(alignment, len(target.tokens))
        candidates: list[Span] = []
        owners: list[int] = []
        explanations: list[Explanation] = []
        for index, entity in enumerate(source.spans):
            linked = linked_targets(entity, table)
            words = {j for j in linked if not is_punctuation(target.tokens[j])}
            runs = merged_runs(words, self.merge_distance)
            if not runs:
                reason = "punctuation" if linked else "no-links"
                explanations.append(Explanation("dropped", entity.label, entity=index, reason=reason))
                continue
            start, end = max(runs, key=lambda run: run[1] - run[0])
            candidates.append(Span(start, end, entity.label, origin=self.origin))
            owners.append(index)
        kept = resolve_collisions(candidates, owners)
        projected = set()
        for span, entities in kept:
            projected.update(entities)
            links = tuple(
                sorted(
                    {link for k in entities for link in links_between(alignment, source.spans[k], span.start, span.end)}
                )
            )
            detail = {"merged_with": entities[1:]} if len(entities) > 1 else {}
            explanations.append(
                Explanation(
                    "links", span.label, entity=entities[0], span=(span.start, span.end), links=links, detail=detail
                )
            )
        for span, owner in zip(candidates, owners, strict=True):
            if owner not in projected:
                winner = next(kept_span for kept_span, _ in kept if kept_span.overlaps(span))
                detail = {"lost": [span.start, span.end], "to": [winner.start, winner.end]}
                explanations.append(Explanation("dropped", span.label, entity=owner, reason="overlap", detail=detail))
        return Projection([span for span, _ in kept], explanations)
