"""Alignment and matching support: how well the links hold a projected span to its source entity.

Read from the projector's own explanations (which entity made the span,
through which links, with which score) and the record's alignment: the
matching score c(e,t), the share of the entity's words that are aligned at
all, the share of its links that land outside the span, the length of the
span against the entity's, and whether the entity was split or the span
came from label propagation rather than from links. Entities the projector
dropped with a target range in hand (length ratio, overlap) are flagged.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from projection.data import Explanation, ProjectionRecord, Span
from projection.projectors.explanations import describe, explanations_for
from projection.triage.signals import Flag, GroupSignals, quoted

DROP_FLAG_SCORE = 0.5
"""A dropped entity's target range is an even bet: the drop was often right (a stray link)."""


def support_signals(records: Sequence[ProjectionRecord]) -> GroupSignals:
    """Support features for every projected span of ``records``; needs alignments."""
    if not any(record.alignment.links for record in records):
        return GroupSignals.unavailable(
            "support", "the records carry no word alignments (gold-only data), so links cannot be checked"
        )
    result = GroupSignals("support")
    for record in records:
        explained = [first_explanation(record, span) for span in record.projected]
        entity_counts = Counter(e.entity for e in explained if e is not None and e.entity is not None)
        values, words = [], []
        for span, explanation in zip(record.projected, explained, strict=True):
            found = span_support(record, span, explanation, entity_counts)
            values.append(found[0])
            words.append(found[1])
        result.values.append(values)
        result.words.append(words)
        result.flags.append(dropped_flags(record))
        result.notes.append(unprojected_notes(record))
    return result


def first_explanation(record: ProjectionRecord, span: Span) -> Explanation | None:
    found = explanations_for(record, span)
    return found[0] if found else None


def span_support(
    record: ProjectionRecord, span: Span, explanation: Explanation | None, entity_counts: Counter
) -> tuple[dict[str, float], dict[str, str]]:
    """Features of one span and the words for each."""
    if explanation is None:
        return {}, {}
    if explanation.kind == "propagated":
        count = explanation.detail.get("count", 0)
        text = f"added by label propagation (the phrase was projected in {count} other sentence(s)), not by links"
        return {"propagated": 1.0}, {"propagated": text}
    if explanation.entity is None or explanation.kind not in ("links", "candidate"):
        return {}, {}
    source, target = record.source.tokens, record.target.tokens
    entity = record.source.spans[explanation.entity]
    entity_words = quoted(source, entity.start, entity.end)
    from_entity = [(i, j) for i, j in record.alignment.links if entity.start <= i < entity.end and j < len(target)]
    aligned_words = {i for i, _ in from_entity}
    inside = len(explanation.links)
    score = explanation.score if explanation.score is not None else 2 * inside / (len(entity) + len(span))
    values = {
        "match": score,
        "linked": len(aligned_words) / len(entity),
        "length_gap": abs(math.log(len(span) / len(entity))),
        "split": 1.0 if entity_counts[explanation.entity] > 1 else 0.0,
        "propagated": 0.0,
    }
    words = {
        "match": match_words(score, inside, entity_words, len(span)),
        "linked": f"only {len(aligned_words)} of {len(entity)} word(s) of {entity_words} are aligned",
        "length_gap": f"{len(span)} target word(s) for the {len(entity)}-word entity {entity_words}",
        "split": f"{entity_words} was projected as {entity_counts[explanation.entity]} separate spans",
    }
    if from_entity:
        outside = [(i, j) for i, j in from_entity if not span.start <= j < span.end]
        values["outside"] = len(outside) / len(from_entity)
        words["outside"] = stray_words(source, target, outside, from_entity) or (
            f"{len(outside)} of {len(from_entity)} links of {entity_words} land outside the span"
        )
    into_span = [(i, j) for i, j in record.alignment.links if span.start <= j < span.end and i < len(source)]
    if into_span:
        shared = [(i, j) for i, j in into_span if not entity.start <= i < entity.end]
        values["shared"] = len(shared) / len(into_span)
        if shared:
            words["shared"] = shared_words(source, target, shared, entity_words, span)
    first_source, first_target = source[entity.start], target[span.start]
    if first_source[:1].isalpha() and first_target[:1].isalpha():
        values["case"] = 1.0 if first_source[:1].isupper() and first_target[:1].islower() else 0.0
        words["case"] = f"'{first_target}' is lower-case while {entity_words} is capitalised"
    return values, words


def match_words(score: float, links: int, entity: str, span_length: int) -> str:
    """Below 1 the score says the match is weak; above 1 (more links than words, only where the projector
    reports no score of its own) it says the links are dense, many words tied to many."""
    if score <= 1.0:
        return f"weak match: c(e,t) = {score:.2f} between {entity} and the span"
    return f"dense links: {links} links tie {entity} to a {span_length}-word span (c(e,t) = {score:.2f})"


def shared_words(source: list[str], target: list[str], shared: list[tuple[int, int]], entity: str, span: Span) -> str:
    """``'mantuvo' is also aligned to 'kept', outside 'Bank'``: span words that other source words claim."""
    j = shared[0][1]
    others = ", ".join(f"'{source[i]}'" for i in sorted({i for i, k in shared if k == j})[:3])
    return f"{quoted(target, span.start, span.end)}: '{target[j]}' is also aligned to {others}, outside {entity}"


def stray_words(
    source: list[str], target: list[str], outside: list[tuple[int, int]], from_entity: list[tuple[int, int]]
) -> str | None:
    """``'Bank' is aligned only to 'mantuvo'``: an entity word all of whose links land outside the span."""
    for i in sorted({i for i, _ in outside}):
        links = [j for k, j in from_entity if k == i]
        if all((i, j) in outside for j in links):
            shown = ", ".join(f"'{target[j]}'" for j in sorted(set(links))[:3])
            return f"'{source[i]}' is aligned only to {shown}, outside the span"
    return None


def dropped_flags(record: ProjectionRecord) -> list[Flag]:
    """The target range of each entity the projector dropped while holding one (length ratio, overlap)."""
    flags = []
    for explanation in record.explanations:
        if explanation.kind != "dropped":
            continue
        found = explanation.detail.get("best") or explanation.detail.get("lost")
        if not found or explanation.reason not in ("length-ratio", "overlap"):
            continue
        start, end = int(found[0]), int(found[1])
        flags.append(Flag(start, end, explanation.label, DROP_FLAG_SCORE, [describe(record, explanation)], "support"))
    return flags


def unprojected_notes(record: ProjectionRecord) -> list[str]:
    """Entities left unprojected without a target range to flag (no links, lost markers, no candidate)."""
    return [
        describe(record, explanation)
        for explanation in record.explanations
        if explanation.kind == "dropped" and explanation.reason not in ("length-ratio", "overlap")
    ]
