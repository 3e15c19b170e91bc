"""Corpus consistency: the same target words labelled differently, or projected in some sentences only.

A name is usually the same kind of entity wherever it occurs. For each
projected span, the rest of the corpus (the span itself left out) says how
often its words got the same label where they were projected, and how often
they were projected at all where they occur. Name-like phrases projected
elsewhere but not in a sentence are flagged there as possibly missed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from projection.data import ProjectionRecord
from projection.projectors.propagation import is_name_like
from projection.triage.signals import Flag, GroupSignals, quoted

Phrase = tuple[str, ...]
MIN_ELSEWHERE = 2
"""A phrase must be projected at least this often elsewhere before its absence is flagged."""


def occurrences(records: Sequence[ProjectionRecord], phrases: set[Phrase]) -> list[list[tuple[int, int, Phrase]]]:
    """Every occurrence ``(start, end, phrase)`` of ``phrases`` in each target sentence (longest first, no overlap)."""
    by_first: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in phrases:
        by_first[phrase[0]].append(phrase)
    for candidates in by_first.values():
        candidates.sort(key=len, reverse=True)
    found = []
    for record in records:
        tokens = record.target.tokens
        here = []
        i = 0
        while i < len(tokens):
            match = next((p for p in by_first.get(tokens[i], ()) if tuple(tokens[i : i + len(p)]) == p), None)
            if match is None:
                i += 1
                continue
            here.append((i, i + len(match), match))
            i += len(match)
        found.append(here)
    return found


def consistency_signals(records: Sequence[ProjectionRecord]) -> GroupSignals:
    """``label_share`` and ``projected_share`` of every span, leaving the span itself out."""
    labels: dict[Phrase, Counter] = defaultdict(Counter)
    for record in records:
        for span in record.projected:
            labels[tuple(record.target.tokens[span.start : span.end])][span.label] += 1
    seen = occurrences(records, set(labels))
    occurring = Counter(phrase for here in seen for _, _, phrase in here)
    result = GroupSignals("consistency")
    for record, here in zip(records, seen, strict=True):
        tokens = record.target.tokens
        values, words = [], []
        for span in record.projected:
            phrase = tuple(tokens[span.start : span.end])
            text = quoted(tokens, span.start, span.end)
            projected_elsewhere = sum(labels[phrase].values()) - 1
            occurring_elsewhere = max(occurring[phrase] - 1, projected_elsewhere)
            value: dict[str, float] = {}
            said: dict[str, str] = {}
            if projected_elsewhere > 0:
                same = labels[phrase][span.label] - 1
                value["label_share"] = same / projected_elsewhere
                others = ", ".join(f"{label} {n}" for label, n in labels[phrase].most_common() if label != span.label)
                said["label_share"] = (
                    f"{text} is labelled {span.label} in {same} of its {projected_elsewhere} other projections"
                    + (f" (also {others})" if others else "")
                )
            if occurring_elsewhere > 0:
                value["projected_share"] = projected_elsewhere / occurring_elsewhere
                said["projected_share"] = (
                    f"{text} is projected in only {projected_elsewhere} of its {occurring_elsewhere} other occurrences"
                )
            values.append(value)
            words.append(said)
        result.values.append(values)
        result.words.append(words)
        result.flags.append(missed_occurrences(record, here, labels, occurring))
    return result


def missed_occurrences(
    record: ProjectionRecord,
    here: list[tuple[int, int, Phrase]],
    labels: dict[Phrase, Counter],
    occurring: Counter,
) -> list[Flag]:
    """Occurrences of name-like phrases projected elsewhere that nothing covers in this sentence."""
    flags = []
    for start, end, phrase in here:
        if any(span.start < end and start < span.end for span in record.projected):
            continue
        projected = sum(labels[phrase].values())
        if projected < MIN_ELSEWHERE or not is_name_like(phrase):
            continue
        label, count = labels[phrase].most_common(1)[0]
        occurring_anywhere = max(occurring[phrase], projected)
        share = projected / occurring_anywhere
        text = (
            f"{quoted(record.target.tokens, start, end)} is projected as {label} in {count} other sentence(s) "
            f"({projected} of its {occurring_anywhere} occurrences) but not here"
        )
        flags.append(Flag(start, end, label, share, [text], "consistency"))
    return flags
