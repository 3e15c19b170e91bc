"""Evaluation: seqeval span scores, the projection ratio and the per-span error taxonomy."""

from projection.evaluation.error_types import (
    KINDS,
    ErrorExample,
    SpanError,
    classify,
    classify_sentence,
    count_errors,
    error_examples,
)
from projection.evaluation.metrics import Metrics, evaluate

__all__ = [
    "KINDS",
    "ErrorExample",
    "Metrics",
    "SpanError",
    "classify",
    "classify_sentence",
    "count_errors",
    "error_examples",
    "evaluate",
]
