"""The paper's alignment-based heuristic projector (its reimplementation of García-Ferrero et al. 2022).

For each source entity: take the target words linked to any of its words,
group them into contiguous runs, merge runs separated by at most
``merge_distance`` unlinked words (the words in the gap join the span), and keep
every merged span whose length divided by the entity's length is strictly
greater than ``length_ratio``, so that a stray one-word link of a multi-word
entity is dropped. Like the paper's code, one entity may yield several spans.

Unlike the paper's code (where a later entity overwrites the tags of an
earlier one, which can leave broken I- tags), overlapping spans of different
entities are resolved so that the output is always valid IOB2: the longest
span wins; between equally long spans the leftmost wins, then the one whose
entity comes first in the source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from projection.data import Alignment, Explanation, Sentence, Span
from projection.errors import ProjectionError
from projection.projectors import Projection, Projector, links_between

Run = tuple[int, int]


def merged_runs(indices: Iterable[int], merge_distance: int) -> list[Run]:
    """Sorted distinct ``indices`` as ``[start, end)`` runs; runs whose gap is at most ``merge_distance`` are joined.

    ``merge_distance=0`` only joins adjacent indices: ``{2, 3, 5}`` -> ``[(2, 4), (5, 6)]``;
    with 1 the gap word 4 joins: ``[(2, 6)]``.
    """
    runs: list[list[int]] = []
    for index in sorted(set(indices)):
        if runs and index - runs[-1][1] <= merge_distance:
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1])
    return [(start, end) for start, end in runs]


def links_by_source(alignment: Alignment, n_target: int) -> dict[int, list[int]]:
    """Target indices linked to each source index; links outside the target sentence are ignored."""
    table: dict[int, list[int]] = defaultdict(list)
    for i, j in alignment.links:
        if 0 <= j < n_target:
            table[i].append(j)
    return table


def linked_targets(entity: Span, table: dict[int, list[int]]) -> set[int]:
    """Target indices linked to any word of ``entity``."""
    return {j for i in range(entity.start, entity.end) for j in table.get(i, ())}


def longest_first(spans: Sequence[Span]) -> list[int]:
    """Indices of a non-overlapping subset: longest span first, then leftmost, then earliest given."""
    order = sorted(range(len(spans)), key=lambda k: (-len(spans[k]), spans[k].start, k))
    kept: list[int] = []
    for k in order:
        if not any(spans[k].overlaps(spans[other]) for other in kept):
            kept.append(k)
    return kept


def overlap_drops(
    candidates: Sequence[Span], owners: Sequence[int], kept: Sequence[int], projected: set[int]
) -> list[Explanation]:
    """An ``overlap`` drop for each entity whose every span lost to an overlapping span of another entity."""
    drops = []
    for k, (span, entity) in enumerate(zip(candidates, owners, strict=True)):
        if entity in projected or k in kept:
            continue
        winner = next(other for other in kept if candidates[other].overlaps(span))
        drops.append(
            Explanation(
                "dropped",
                span.label,
                entity=entity,
                reason="overlap",
                detail={
                    "lost": [span.start, span.end],
                    "to": [candidates[winner].start, candidates[winner].end],
                    "to_entity": owners[winner],
                },
            )
        )
        projected.add(entity)  # one drop per entity
    return drops


class HeuristicProjector(Projector):
    """``heuristic``: the paper's variant (merge distance 1, length ratio 0.8 by default)."""

    name = "heuristic"

    def __init__(self, merge_distance: int = 1, length_ratio: float = 0.8) -> None:
        merge_distance = int(merge_distance)
        length_ratio = float(length_ratio)
        if merge_distance < 0:
            raise ProjectionError(f"merge_distance must be 0 or more (words of gap to fill), not {merge_distance}.")
        if length_ratio < 0:
            raise ProjectionError(f"length_ratio must be 0 or more, not {length_ratio}.")
        self.merge_distance = merge_distance
        self.length_ratio = length_ratio

    def params(self) -> dict[str, Any]:
        return {"merge_distance": self.merge_distance, "length_ratio": self.length_ratio}

    def explain_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> Projection:
        table = links_by_source(alignment, len(target.tokens))
        candidates: list[Span] = []
        owners: list[int] = []
        explanations: list[Explanation] = []
        for index, entity in enumerate(source.spans):
            runs = merged_runs(linked_targets(entity, table), self.merge_distance)
            if not runs:
                explanations.append(Explanation("dropped", entity.label, entity=index, reason="no-links"))
                continue
            passing = [(start, end) for start, end in runs if (end - start) / len(entity) > self.length_ratio]
            for start, end in passing:
                candidates.append(Span(start, end, entity.label, origin=self.origin))
                owners.append(index)
            if not passing:
                start, end = max(runs, key=lambda run: (run[1] - run[0], -run[0]))
                ratio = (end - start) / len(entity)
                detail = {"ratio": round(ratio, 4), "threshold": self.length_ratio, "best": [start, end]}
                explanations.append(
                    Explanation("dropped", entity.label, entity=index, reason="length-ratio", detail=detail)
                )
        kept = longest_first(candidates)
        spans = []
        for k in kept:
            span, entity = candidates[k], source.spans[owners[k]]
            spans.append(span)
            links = links_between(alignment, entity, span.start, span.end)
            explanations.append(
                Explanation("links", span.label, entity=owners[k], span=(span.start, span.end), links=links)
            )
        explanations += overlap_drops(candidates, owners, kept, {owners[k] for k in kept})
        return Projection(sorted(spans, key=lambda span: span.start), explanations)
