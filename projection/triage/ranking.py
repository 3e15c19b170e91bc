"""Triage: every projected span and sentence scored for how likely it is to be wrong, with reasons, no gold used.

:func:`triage` takes the records of the default method (and of the other
methods run on the same inputs, for the committee), computes each signal
group where its inputs exist, combines the span features with the learned
:class:`~projection.triage.weights.Weights`, and ranks the sentences. Gold
spans in the records are never read here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from projection.cache import Cache
from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.triage.committee import committee_signals
from projection.triage.consistency import consistency_signals
from projection.triage.model import CrossValidation, model_signals
from projection.triage.shape import shape_signals
from projection.triage.signals import GROUPS, Flag, GroupSignals
from projection.triage.support import support_signals
from projection.triage.weights import Weights, load_weights, weight_set_for

REASON_MIN = 0.25
"""A feature adds a reason when it raises the log-odds of a span being wrong by at least this much."""
SHOWN_REASONS = 3
DEFAULT_CROSS_VALIDATION = CrossValidation()
Progress = Callable[[str, int, int], None]


@dataclass
class SpanTriage:
    start: int
    end: int
    label: str
    suspicion: float
    reasons: list[str]
    signals: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "suspicion": round(self.suspicion, 4),
            "reasons": self.reasons,
            "signals": {name: round(value, 4) for name, value in self.signals.items()},
        }


@dataclass
class SentenceTriage:
    id: str
    lang: str
    suspicion: float
    reasons: list[str]
    spans: list[SpanTriage]
    flagged: list[Flag]
    notes: list[str] = field(default_factory=list)
    raw_flags: list[Flag] = field(default_factory=list)
    """Every group's flags before they were weighed and merged (for learning each group's flag precision)."""

    def signals(self) -> dict[str, Any]:
        """Per group: the largest contribution any span got from it, and how many flags it raised."""
        summary: dict[str, Any] = {}
        for group in GROUPS:
            names = [name for span in self.spans for name in span.signals if name.startswith(group + ".")]
            summary[group] = {
                "features": sorted(set(names)),
                "flags": sum(1 for flag in self.flagged if flag.group == group),
            }
        return summary

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "suspicion": round(self.suspicion, 4),
            "reasons": self.reasons,
            "signals": self.signals(),
            "spans": [span.to_dict() for span in self.spans],
            "flagged": [flag.to_dict() for flag in self.flagged],
            "notes": self.notes,
        }


@dataclass
class Triage:
    """Sentences most suspicious first; ``missing`` says which signal groups could not be computed and why."""

    sentences: list[SentenceTriage]
    missing: dict[str, str]
    method: str
    committee: list[str]
    weights: str

    def by_id(self) -> dict[str, SentenceTriage]:
        return {sentence.id: sentence for sentence in self.sentences}

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "committee": self.committee,
            "missing": self.missing,
            "weights": self.weights,
            "sentences": [sentence.to_dict() for sentence in self.sentences],
        }


def aligned_runs(
    records_by_method: Mapping[str, Sequence[ProjectionRecord]], default: str
) -> tuple[list[ProjectionRecord], dict[str, list[ProjectionRecord]]]:
    """The default method's records and the others' in the same sentence order (matched by id)."""
    if default not in records_by_method:
        raise ProjectionError(
            f"The method {default!r} has no records to rank; methods present: {', '.join(records_by_method)}."
        )
    own = list(records_by_method[default])
    others = {}
    for method, records in records_by_method.items():
        if method == default:
            continue
        by_id = {record.id: record for record in records}
        missing = [record.id for record in own if record.id not in by_id]
        if missing:
            raise ProjectionError(
                f"The method {method!r} lacks {len(missing)} sentence(s) of {default!r} (e.g. {missing[0]}): "
                "the committee must have run on the same sentences."
            )
        others[method] = [by_id[record.id] for record in own]
    return own, others


def compute_groups(
    own: Sequence[ProjectionRecord],
    others: Mapping[str, Sequence[ProjectionRecord]],
    model: CrossValidation | None,
    cache: Cache | None,
    progress: Progress | None,
) -> list[GroupSignals]:
    def folds_done(done: int, total: int) -> None:
        if progress:
            progress("cross-validated model", done, total)

    groups = [committee_signals(own, others), support_signals(own), consistency_signals(own), shape_signals(own)]
    if model is None:
        groups.append(GroupSignals.unavailable("model", "the cross-validated model was turned off"))
    else:
        groups.append(model_signals(own, model, cache=cache, progress=folds_done))
    return groups


def triage(
    records_by_method: Mapping[str, Sequence[ProjectionRecord]],
    *,
    default: str,
    model: CrossValidation | None = DEFAULT_CROSS_VALIDATION,
    weights: Weights | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> Triage:
    """Score and rank the sentences of ``default``'s records; see the module docstring."""
    own, others = aligned_runs(records_by_method, default)
    weights = weights or load_weights(weight_set_for([default, *others]))
    groups = compute_groups(own, others, model, cache, progress)
    missing = {group.group: group.missing for group in groups if group.missing}
    present = [group for group in groups if not group.missing]
    ranked = [sentence_triage(k, record, present, weights) for k, record in enumerate(own)]
    ranked.sort(key=lambda sentence: -sentence.suspicion)
    return Triage(ranked, missing, default, list(others), weights.trained_on)


def span_values(k: int, m: int, groups: Sequence[GroupSignals]) -> tuple[dict[str, float], dict[str, str]]:
    """The features of span ``m`` of sentence ``k`` from every group, named ``group.feature``, and their words."""
    values: dict[str, float] = {}
    words: dict[str, str] = {}
    for group in groups:
        for name, value in group.values[k][m].items():
            values[f"{group.group}.{name}"] = value
        for name, text in group.words[k][m].items():
            words[f"{group.group}.{name}"] = text
    return values, words


def reasons_from(contributions: Mapping[str, float], words: Mapping[str, str]) -> list[str]:
    """The words of the features that raise the suspicion most, strongest first, each said once."""
    said: list[str] = []
    for name, contribution in sorted(contributions.items(), key=lambda item: -item[1]):
        if contribution < REASON_MIN or len(said) == SHOWN_REASONS:
            break
        text = words.get(name)
        if text and text not in said:
            said.append(text)
    return said


def sentence_triage(
    k: int, record: ProjectionRecord, groups: Sequence[GroupSignals], weights: Weights
) -> SentenceTriage:
    spans = []
    for m, span in enumerate(record.projected):
        values, words = span_values(k, m, groups)
        suspicion, contributions = weights.suspicion(values)
        spans.append(
            SpanTriage(span.start, span.end, span.label, suspicion, reasons_from(contributions, words), values)
        )
    raw_flags = [flag for group in groups for flag in group.flags[k]]
    flagged = merged_flags(raw_flags, weights)
    notes = [note for group in groups for note in group.notes_for(k)]
    scores = [span.suspicion for span in spans] + [flag.score for flag in flagged]
    suspicion = max(scores, default=0.0)
    reasons = [reason for span in sorted(spans, key=lambda s: -s.suspicion)[:2] for reason in span.reasons[:2]]
    reasons += [flag.reasons[0] for flag in flagged[:2]]
    reasons += notes[:2]
    return SentenceTriage(
        record.id, record.target.lang, suspicion, reasons[: SHOWN_REASONS + 1], spans, flagged, notes, raw_flags
    )


def merged_flags(flags: Sequence[Flag], weights: Weights) -> list[Flag]:
    """Flags of all groups, each scored by its evidence times how often such flags were right; overlapping
    flags become one, keeping every reason."""
    scored = sorted(
        (
            Flag(f.start, f.end, f.label, f.score * weights.flag_precision.get(f.group, 0.5), list(f.reasons), f.group)
            for f in flags
        ),
        key=lambda flag: -flag.score,
    )
    kept: list[Flag] = []
    for flag in scored:
        same = next((other for other in kept if other.overlaps(flag.start, flag.end)), None)
        if same is None:
            kept.append(flag)
        else:
            same.reasons.extend(reason for reason in flag.reasons if reason not in same.reasons)
            same.score = 1.0 - (1.0 - same.score) * (1.0 - flag.score)
    return kept
