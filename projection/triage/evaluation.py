"""How good a triage is, where gold exists: measured on spans, never on sentences.

Whether a sentence has an error mostly says how many entities it has, so
the ranking is judged on the projected spans: a span is wrong when it is not
exactly a gold span (bounds and label, among the labels that count). The
measures are the ROC AUC of the span suspicion for wrong against right
spans, the error rate among the most suspicious spans against the base
rate, and for the gold entities the projection missed, the share that a flag
covers and how many flags are false for each true one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.triage.ranking import Triage


@dataclass
class RankingQuality:
    spans: int
    wrong: int
    base_rate: float
    roc_auc: float | None
    top_share: float
    top_error_rate: float | None
    missed: int
    covered: int
    covered_exact: int
    flags: int
    false_flags: int

    @property
    def coverage(self) -> float | None:
        return self.covered / self.missed if self.missed else None

    @property
    def false_per_true(self) -> float | None:
        true_flags = self.flags - self.false_flags
        return self.false_flags / true_flags if true_flags else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "coverage": self.coverage, "false_per_true": self.false_per_true}


def roc_auc(scores: Sequence[float], positives: Sequence[bool]) -> float | None:
    """ROC AUC of ``scores`` for ``positives``; None when one class is absent."""
    from sklearn.metrics import roc_auc_score

    if len(set(positives)) < 2:
        return None
    return float(roc_auc_score(np.asarray(positives, dtype=int), np.asarray(scores, dtype=float)))


def gold_keys(record: ProjectionRecord, labels: Collection[str] | None) -> set[tuple[int, int, str]]:
    if record.gold is None:
        raise ProjectionError(f"Record {record.id} has no gold spans: the ranking can only be scored with gold.")
    return {span.key for span in record.gold if labels is None or span.label in labels}


def span_outcomes(
    result: Triage, records: Mapping[str, ProjectionRecord], labels: Collection[str] | None
) -> tuple[list[float], list[bool]]:
    """Every ranked span's suspicion and whether it is wrong (not exactly a gold span)."""
    scores, wrong = [], []
    for sentence in result.sentences:
        gold = gold_keys(records[sentence.id], labels)
        for span in sentence.spans:
            if labels is not None and span.label not in labels:
                continue
            scores.append(span.suspicion)
            wrong.append((span.start, span.end, span.label) not in gold)
    return scores, wrong


def ranking_quality(
    result: Triage, records: Sequence[ProjectionRecord], *, labels: Collection[str] | None = None, top: float = 0.1
) -> RankingQuality:
    """Score ``result`` against the gold spans of ``records`` (which the triage itself never read)."""
    by_id = {record.id: record for record in records}
    scores, wrong = span_outcomes(result, by_id, labels)
    order = np.argsort(-np.asarray(scores), kind="stable")
    n_top = max(1, round(top * len(scores))) if scores else 0
    top_wrong = [wrong[i] for i in order[:n_top]]
    missed = covered = covered_exact = flags = false_flags = 0
    for sentence in result.sentences:
        record = by_id[sentence.id]
        projected = {span.key for span in record.projected}
        lost = [key for key in gold_keys(record, labels) if key not in projected]
        missed += len(lost)
        covered += sum(1 for s, e, _ in lost if any(f.overlaps(s, e) for f in sentence.flagged))
        covered_exact += sum(1 for s, e, _ in lost if any((f.start, f.end) == (s, e) for f in sentence.flagged))
        flags += len(sentence.flagged)
        false_flags += sum(1 for f in sentence.flagged if not any(f.overlaps(s, e) for s, e, _ in lost))
    return RankingQuality(
        spans=len(scores),
        wrong=sum(wrong),
        base_rate=sum(wrong) / len(wrong) if wrong else 0.0,
        roc_auc=roc_auc(scores, wrong),
        top_share=top,
        top_error_rate=sum(top_wrong) / len(top_wrong) if top_wrong else None,
        missed=missed,
        covered=covered,
        covered_exact=covered_exact,
        flags=flags,
        false_flags=false_flags,
    )
