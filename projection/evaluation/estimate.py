"""A corpus's span precision and recall estimated from a random sample of reviewed sentences.

A reviewer checks N sentences drawn at random (and stored, so that every
reviewer sees the same sample and the estimate can be reproduced); their
corrected spans are the reference for those sentences. Spans in one sentence
are not independent (a bad alignment spoils several), so the confidence
intervals come from a bootstrap over sentences, not over spans: precision
is a ratio of sums (correct spans / projected spans), resampled sentence by
sentence with SciPy's bootstrap (BCa intervals; where BCa is undefined, as
in a small sample whose resamples may hold no span at all, the percentile
interval of the resamples that have a ratio).

The ranked triage queue is for finding errors and is no sample: its
sentences are chosen for being suspicious, so their error rate overstates
the corpus's. Only a random sample estimates the whole.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from projection.data import Span
from projection.errors import ProjectionError

DEFAULT_RESAMPLES = 2000


@dataclass(frozen=True)
class Estimate:
    """A ratio ``numerator / denominator`` over the sample, with its confidence interval (None when undefined)."""

    value: float | None
    low: float | None
    high: float | None
    numerator: int
    denominator: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }


@dataclass(frozen=True)
class QualityEstimate:
    precision: Estimate
    recall: Estimate
    sentences: int
    confidence: float
    method: str = "bootstrap over sentences (BCa)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision.to_dict(),
            "recall": self.recall.to_dict(),
            "sentences": self.sentences,
            "confidence": self.confidence,
            "method": self.method,
        }


def draw_sample(ids: Sequence[str], size: int, seed: int) -> list[str]:
    """``size`` distinct ids drawn at random with ``seed``, in the order drawn (reproducible given the same ids).

    The order drawn is the order to review them in: then the sentences
    reviewed so far, however few, are a random sample too, which a prefix in
    corpus order (the first documents) would not be.
    """
    if size < 1:
        raise ProjectionError(f"A sample needs at least one sentence, not {size}.")
    return random.Random(seed).sample(list(ids), min(size, len(ids)))


def sentence_counts(
    pairs: Iterable[tuple[Sequence[Span], Sequence[Span]]], labels: Iterable[str] | None = None
) -> np.ndarray:
    """Per sentence ``(correct, projected, reference)`` span counts; correct means equal to a reference span."""
    wanted = None if labels is None else set(labels)
    rows = []
    for projected, reference in pairs:
        mine = {s.key for s in projected if wanted is None or s.label in wanted}
        theirs = {s.key for s in reference if wanted is None or s.label in wanted}
        rows.append((len(mine & theirs), len(mine), len(theirs)))
    return np.asarray(rows, dtype=np.int64).reshape(-1, 3)


def ratio_estimate(
    numerators: np.ndarray, denominators: np.ndarray, *, confidence: float, resamples: int, seed: int
) -> Estimate:
    """Σ numerators / Σ denominators with a bootstrap interval over sentences."""
    from scipy.stats import DegenerateDataWarning, bootstrap

    top, bottom = int(numerators.sum()), int(denominators.sum())
    if bottom == 0:
        return Estimate(None, None, None, top, bottom)
    value = top / bottom
    if len(numerators) < 2 or len(set(zip(numerators.tolist(), denominators.tolist(), strict=True))) < 2:
        return Estimate(value, value, value, top, bottom)

    def ratio(num: np.ndarray, den: np.ndarray, axis: int = -1) -> np.ndarray:
        total = den.sum(axis=axis)
        return np.divide(num.sum(axis=axis), total, out=np.full(np.shape(total), np.nan, dtype=float), where=total > 0)

    with warnings.catch_warnings():
        # BCa is undefined for some small, lopsided samples (and resamples without a span give no ratio)
        warnings.simplefilter("ignore", DegenerateDataWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        found = bootstrap(
            (numerators, denominators),
            ratio,
            paired=True,
            vectorized=True,
            confidence_level=confidence,
            n_resamples=resamples,
            method="BCa",
            random_state=np.random.default_rng(seed),
        )
    low, high = float(found.confidence_interval.low), float(found.confidence_interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):
        # the percentile interval of the resamples that have a ratio stands in
        tail = (1 - confidence) / 2
        low, high = (float(q) for q in np.nanquantile(found.bootstrap_distribution, [tail, 1 - tail]))
    return Estimate(value, float(low), float(high), top, bottom)


def estimate_quality(
    pairs: Sequence[tuple[Sequence[Span], Sequence[Span]]],
    *,
    labels: Iterable[str] | None = None,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> QualityEstimate:
    """Span precision and recall of the projection over reviewed sentences: ``(projected, reference)`` each."""
    if not pairs:
        raise ProjectionError("No reviewed sentences yet: review the sample's sentences first.")
    counts = sentence_counts(pairs, labels)
    correct, projected, reference = counts[:, 0], counts[:, 1], counts[:, 2]
    options = {"confidence": confidence, "resamples": resamples, "seed": seed}
    return QualityEstimate(
        precision=ratio_estimate(correct, projected, **options),
        recall=ratio_estimate(correct, reference, **options),
        sentences=len(pairs),
        confidence=confidence,
    )
