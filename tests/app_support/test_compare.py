"""One sentence under several methods: disagreements and verdicts against gold."""

from __future__ import annotations

from projection.app_support.compare import compare_methods
from projection.data import Span

GOLD = [Span(1, 4, "ORG"), Span(7, 8, "LOC")]


def test_agreement_counts_methods_and_differences_are_marked() -> None:
    outcomes = compare_methods(
        {
            "heuristic": [Span(1, 4, "ORG"), Span(7, 8, "LOC")],
            "ngram": [Span(1, 3, "ORG"), Span(7, 8, "LOC")],
            "exact": [Span(1, 4, "ORG"), Span(7, 8, "LOC"), Span(9, 10, "PER")],
        },
        GOLD,
    )
    heuristic, ngram, exact = outcomes
    assert heuristic.agreement[(1, 4, "ORG")] == 2 and heuristic.agreement[(7, 8, "LOC")] == 3
    assert heuristic.differs(Span(1, 4, "ORG")) and not heuristic.differs(Span(7, 8, "LOC"))
    assert (heuristic.n_correct, heuristic.n_wrong) == (2, 0)
    assert ngram.kinds == {"boundary": 1, "correct": 1}
    assert exact.kinds == {"correct": 2, "spurious": 1}
    classes = {mark.span.key: mark.classes for mark in exact.marks()}
    assert "pj-k-spurious" in classes[(9, 10, "PER")] and "pj-diff" in classes[(9, 10, "PER")]
    assert classes[(7, 8, "LOC")] == "pj-k-correct"


def test_missed_gold_spans_become_dashed_marks_and_without_gold_there_are_no_verdicts() -> None:
    (outcome,) = compare_methods({"heuristic": [Span(1, 4, "ORG")]}, GOLD)
    missed = [mark for mark in outcome.marks() if "pj-k-missed" in mark.classes]
    assert [mark.span.key for mark in missed] == [(7, 8, "LOC")]
    (no_gold,) = compare_methods({"heuristic": [Span(1, 4, "ORG")]}, None)
    assert no_gold.errors is None and no_gold.marks()[0].classes == ""


def test_labels_outside_the_evaluated_set_are_not_counted() -> None:
    (outcome,) = compare_methods({"m": [Span(1, 4, "ORG"), Span(5, 6, "MISC")]}, GOLD, labels=["ORG", "LOC"])
    assert outcome.kinds == {"correct": 1, "missed": 1}
