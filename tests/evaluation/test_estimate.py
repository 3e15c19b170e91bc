"""Precision and recall of a corpus from a reviewed random sample, with bootstrap intervals over sentences."""

from __future__ import annotations

import random

import pytest

from projection.data import Span
from projection.errors import ProjectionError
from projection.evaluation.estimate import draw_sample, estimate_quality, sentence_counts


def test_the_sample_is_reproducible_distinct_and_in_the_order_drawn() -> None:
    ids = [f"s{k}" for k in range(500)]
    first, again = draw_sample(ids, 100, seed=7), draw_sample(ids, 100, seed=7)
    assert first == again and len(set(first)) == 100
    assert first != sorted(first, key=ids.index)  # a prefix of it is a random sample too, not the first documents
    assert draw_sample(ids, 100, seed=8) != first
    assert sorted(draw_sample(ids[:30], 100, seed=7)) == sorted(ids[:30])
    with pytest.raises(ProjectionError):
        draw_sample(ids, 0, seed=1)


def test_counts_compare_exact_spans_and_labels() -> None:
    pairs = [
        ([Span(0, 1, "PER"), Span(2, 4, "ORG")], [Span(0, 1, "PER"), Span(2, 3, "ORG")]),
        ([Span(1, 2, "LOC")], [Span(1, 2, "ORG"), Span(5, 6, "DATE")]),
    ]
    assert sentence_counts(pairs).tolist() == [[1, 2, 2], [0, 1, 2]]
    assert sentence_counts(pairs, labels=["PER", "ORG", "LOC"]).tolist() == [[1, 2, 2], [0, 1, 1]]


def simulated_corpus(n: int, precision: float, seed: int) -> list[tuple[list[Span], list[Span]]]:
    """Sentences of 0-4 projected spans, each right with probability ``precision`` (a wrong one has the wrong label)."""
    rng = random.Random(seed)
    corpus = []
    for _ in range(n):
        projected, reference = [], []
        for k in range(rng.randint(0, 4)):
            projected.append(Span(2 * k, 2 * k + 1, "PER"))
            reference.append(Span(2 * k, 2 * k + 1, "PER" if rng.random() < precision else "ORG"))
        corpus.append((projected, reference))
    return corpus


def test_intervals_contain_the_corpus_precision_about_as_often_as_they_claim() -> None:
    corpus = simulated_corpus(2000, precision=0.6, seed=1)
    counts = sentence_counts(corpus)
    truth = counts[:, 0].sum() / counts[:, 1].sum()
    rng = random.Random(2)
    inside = 0
    for _ in range(100):
        sample = rng.sample(corpus, 100)
        estimate = estimate_quality(sample, resamples=500, seed=rng.randrange(10**6)).precision
        assert estimate.low <= estimate.value <= estimate.high
        inside += estimate.low <= truth <= estimate.high
    assert 85 <= inside <= 100


def test_nothing_reviewed_is_an_error_and_nothing_projected_has_no_precision() -> None:
    with pytest.raises(ProjectionError, match="No reviewed sentences"):
        estimate_quality([])
    estimate = estimate_quality([([], [Span(0, 1, "PER")]), ([], [])])
    assert estimate.precision.value is None and estimate.recall.value == 0.0


def test_a_small_sample_whose_resamples_may_hold_no_span_still_gets_a_finite_interval() -> None:
    right, wrong = [Span(0, 1, "PER")], [Span(0, 1, "LOC")]
    pairs = [(right, right), ([], right), ([], []), (wrong, right)]  # half the resamples may lack a projected span
    estimate = estimate_quality(pairs, resamples=500)
    assert estimate.precision.value == 0.5 and estimate.recall.value == pytest.approx(1 / 3)
    for found in (estimate.precision, estimate.recall):
        assert 0.0 <= found.low <= found.value <= found.high <= 1.0
