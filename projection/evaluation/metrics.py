"""Span-level precision, recall and F1 with seqeval, overall and per label, plus the projection ratio.

Spans are turned into IOB2 tags (:func:`projection.tags.spans_to_tags`) and
scored by seqeval, the tool the paper and the NER literature report.
Labels outside the chosen set are mapped to O on both sides first (MISC for
MasakhaNER, DATE when only PER/ORG/LOC count). Since the tags are made from
spans they are always valid IOB2, so seqeval's default and strict modes agree:
both count exactly the predicted spans whose boundaries and label equal a
gold span's, and there is no mode to choose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from seqeval.metrics import classification_report

from projection.data import Span
from projection.errors import ProjectionError
from projection.tags import keep_labels, spans_to_tags


@dataclass
class Metrics:
    """Micro-averaged scores, per-label scores (with gold ``support``) and ``proj_ratio``.

    ``proj_ratio`` is the number of predicted entities over the number of gold
    entities (after label filtering); None when there are no gold entities.
    """

    precision: float
    recall: float
    f1: float
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    proj_ratio: float | None = None
    n_sentences: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": {"precision": self.precision, "recall": self.recall, "f1": self.f1},
            "per_label": {label: dict(scores) for label, scores in self.per_label.items()},
            "proj_ratio": self.proj_ratio,
            "n_sentences": self.n_sentences,
        }


def _tags(spans_per_sentence: Sequence[list[Span]], lengths: Sequence[int], side: str) -> list[list[str]]:
    tags = []
    for index, (spans, length) in enumerate(zip(spans_per_sentence, lengths, strict=True)):
        try:
            tags.append(spans_to_tags(spans, length))
        except ValueError as err:
            raise ProjectionError(
                f"Sentence {index} ({side} spans): {err}. Spans must lie inside the sentence and must not overlap."
            ) from None
    return tags


def _scores(row: dict[str, Any]) -> dict[str, float]:
    return {
        "precision": float(row["precision"]),
        "recall": float(row["recall"]),
        "f1": float(row["f1-score"]),
        "support": int(row["support"]),
    }


def evaluate(
    gold: Sequence[list[Span]],
    predicted: Sequence[list[Span]],
    lengths: Sequence[int],
    *,
    labels: Iterable[str] | None = None,
) -> Metrics:
    """Score ``predicted`` against ``gold``: one list of spans and one token count per sentence.

    Only ``labels`` count (every label when None); ``per_label`` lists each
    of them, with zeros where a label never occurs.
    """
    if not len(gold) == len(predicted) == len(lengths):
        raise ProjectionError(
            f"Cannot evaluate: {len(gold)} gold sentences, {len(predicted)} predicted sentences and "
            f"{len(lengths)} sentence lengths; all three must describe the same sentences."
        )
    wanted = None if labels is None else list(dict.fromkeys(labels))
    gold = [keep_labels(spans, wanted) for spans in gold]
    predicted = [keep_labels(spans, wanted) for spans in predicted]
    n_gold = sum(map(len, gold))
    n_predicted = sum(map(len, predicted))
    names = wanted if wanted is not None else sorted({s.label for spans in (*gold, *predicted) for s in spans})
    per_label = {name: {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0} for name in names}
    metrics = Metrics(0.0, 0.0, 0.0, per_label, n_predicted / n_gold if n_gold else None, len(lengths))
    if n_gold == 0 and n_predicted == 0:
        return metrics
    report = classification_report(
        _tags(gold, lengths, "gold"), _tags(predicted, lengths, "predicted"), output_dict=True, zero_division=0
    )
    for name in names:
        if name in report:
            per_label[name] = _scores(report[name])
    overall = _scores(report["micro avg"])
    metrics.precision, metrics.recall, metrics.f1 = overall["precision"], overall["recall"], overall["f1"]
    return metrics
