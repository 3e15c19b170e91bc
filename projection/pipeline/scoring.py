"""Scoring projection records that carry gold target spans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.evaluation import Metrics, classify, count_errors, error_examples, evaluate


@dataclass
class ProjectionScores:
    """seqeval metrics, error-type counts and a few described examples of each error type."""

    metrics: Metrics
    error_counts: Counter[str]
    examples: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {**self.metrics.to_dict(), "errors": dict(self.error_counts), "error_examples": self.examples}


def score_records(
    records: Sequence[ProjectionRecord],
    *,
    labels: Iterable[str] | None = None,
    n_examples: int = 5,
) -> ProjectionScores:
    """Compare each record's projected spans with its gold spans; only ``labels`` count."""
    missing = [record.id for record in records if record.gold is None]
    if missing:
        raise ProjectionError(
            f"{len(missing)} record(s) have no gold target spans (e.g. {missing[0]}): "
            "scoring needs gold-labelled target data."
        )
    labels = None if labels is None else list(labels)
    gold = [record.gold or [] for record in records]
    predicted = [record.projected for record in records]
    tokens = [record.target.tokens for record in records]
    metrics = evaluate(gold, predicted, [len(t) for t in tokens], labels=labels)
    errors = classify(gold, predicted, labels=labels)
    counts = Counter({kind: n for kind, n in count_errors(errors).items() if n})
    examples = error_examples(errors, tokens, [record.id for record in records], limit=n_examples)
    described = {kind: [example.describe() for example in found] for kind, found in examples.items() if found}
    return ProjectionScores(metrics, counts, described)
