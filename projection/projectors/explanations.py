"""Explanations in words: what the app and the triage report say about a span's origin or an entity's drop.

The projectors record their decisions as :class:`~projection.data.Explanation`
data; this module only words them, quoting the tokens involved, so that
nothing is recomputed to explain a projection. The text is plain: whoever
shows it in Markdown or HTML escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from projection.data import Explanation, ProjectionRecord, Span

SHOWN_LINKS = 4


def quoted(tokens: Sequence[str], start: int, end: int) -> str:
    """``'Atlantic Coast'``: the words of a span, quoted."""
    return "'" + " ".join(tokens[start:end]) + "'"


def entity_text(record: ProjectionRecord, explanation: Explanation) -> str:
    """The source entity an explanation is about, quoted with its label, e.g. ``'Atlantic Coast' (LOC)``."""
    if explanation.entity is None or explanation.entity >= len(record.source.spans):
        return f"an entity ({explanation.label})"
    entity: Span = record.source.spans[explanation.entity]
    return f"{quoted(record.source.tokens, entity.start, entity.end)} ({entity.label})"


def links_text(record: ProjectionRecord, explanation: Explanation) -> str:
    """``Atlantic→Atlántico, Coast→costa`` (the first few links, in words).

    Links of a back-translation projection start from the back-translated
    words, which the explanation carries.
    """
    source = explanation.detail.get("backtranslation") or record.source.tokens
    target = record.target.tokens
    shown = [
        f"{source[i] if i < len(source) else i}→{target[j] if j < len(target) else j}"
        for i, j in explanation.links[:SHOWN_LINKS]
    ]
    more = len(explanation.links) - SHOWN_LINKS
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def describe(record: ProjectionRecord, explanation: Explanation) -> str:
    """One sentence saying why a span is there, or why an entity is not."""
    target = record.target.tokens
    where = "" if explanation.span is None else quoted(target, *explanation.span) + " "
    via = " (through the back-translation)" if explanation.detail.get("via") == "back-translation" else ""
    if explanation.kind == "links":
        merged = explanation.detail.get("merged_with")
        also = f"; merged with the projection of entity {merged}" if merged else ""
        links = links_text(record, explanation) if explanation.links else "no direct link"
        return (
            f"{where}{explanation.label}: projected from {entity_text(record, explanation)} by links {links}{via}{also}"
        )
    if explanation.kind == "candidate":
        kind = "an NER" if explanation.detail.get("candidates") == "ner" else "an n-gram"
        runner_up = "no runner-up"
        if explanation.runner_up is not None:
            start, end, score = explanation.runner_up
            runner_up = f"runner-up {quoted(target, start, end)} {score:.2f}"
        score = 0.0 if explanation.score is None else explanation.score
        return (
            f"{where}{explanation.label}: {entity_text(record, explanation)} matched as {kind} candidate, "
            f"c(e,t) = {score:.2f}, {runner_up}{via}"
        )
    if explanation.kind == "propagated":
        sources = ", ".join(str(sentence) for sentence in explanation.detail.get("from", []))
        count = explanation.detail.get("count", 0)
        share = explanation.detail.get("share", explanation.score or 0.0)
        return (
            f"{where}{explanation.label}: added by label propagation; the phrase was projected as "
            f"{explanation.label} in {count} sentence(s) ({share:.0%} of its projections), e.g. {sources}"
        )
    if explanation.kind == "model":
        score = "" if explanation.score is None else f" (score {explanation.score:.2f})"
        return f"{where}{explanation.label}: found by the target-language model{score}, not projected"
    return f"{entity_text(record, explanation)} not projected: {drop_reason(record, explanation)}{via}"


def drop_reason(record: ProjectionRecord, explanation: Explanation) -> str:
    """Why a source entity was not projected, with the numbers the projector used."""
    target = record.target.tokens
    detail = explanation.detail
    if explanation.reason == "no-links":
        return "none of its words is aligned to a target word"
    if explanation.reason == "length-ratio":
        start, end = detail["best"]
        return (
            f"its linked words {quoted(target, start, end)} are too short: length ratio "
            f"{detail['ratio']:.2f} <= {detail['threshold']:g}"
        )
    if explanation.reason == "overlap":
        lost = detail.get("lost") or detail.get("best")
        to = detail.get("to")
        lost_text = quoted(target, *lost) if lost else "its span"
        return (
            f"{lost_text} overlaps {quoted(target, *to)}, projected for another entity"
            if to
            else f"{lost_text} overlaps another projected span"
        )
    if explanation.reason == "punctuation":
        return "it is aligned to punctuation only"
    if explanation.reason == "marker-lost":
        return "its markers were lost in back-translation and it was not found again"
    return "no candidate span contains a word aligned to it"


def explanations_for(record: ProjectionRecord, span: Span) -> list[Explanation]:
    """The explanations of a projected span (matched by position and label)."""
    return [e for e in record.explanations if e.span == (span.start, span.end) and e.label == span.label]


def dropped(record: ProjectionRecord) -> list[Explanation]:
    """The explanations of the source entities that were not projected."""
    return [e for e in record.explanations if e.kind == "dropped"]
