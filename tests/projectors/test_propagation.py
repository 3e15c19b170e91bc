from __future__ import annotations

import pytest

from projection.data import Span
from projection.projectors import Projection
from projection.projectors.propagation import propagate

SENTENCES = [
    "Madrid , 23 May ( EFE ) .".split(),
    "Barcelona , 24 May ( EFE ) .".split(),
    "Sevilla , 25 May ( EFE ) .".split(),
    "La agencia EFE informó .".split(),
]


def spans_of(projections: list[Projection]) -> list[list[Span]]:
    return [projection.spans for projection in projections]


def test_a_name_projected_twice_is_labelled_where_it_was_missed() -> None:
    projected = [[Span(0, 1, "LOC"), Span(5, 6, "ORG")], [Span(5, 6, "ORG")], [], []]
    result = spans_of(propagate(SENTENCES, projected, min_count=2))
    assert result[0] == projected[0] and result[1] == projected[1]
    assert [s.key for s in result[2]] == [(5, 6, "ORG")]
    assert [s.key for s in result[3]] == [(2, 3, "ORG")]
    assert result[3][0].origin == "propagated" and result[3][0].score == 1.0


def test_below_the_minimum_count_nothing_is_added() -> None:
    projected = [[Span(0, 1, "LOC")], [], [], []]
    assert spans_of(propagate(SENTENCES, projected, min_count=2)) == projected


def test_majority_label_wins_and_existing_spans_are_never_overlapped() -> None:
    tokens = [
        ["Telefónica", "do", "Brasil"],
        ["Telefónica"],
        ["Telefónica"],
        ["Telefónica"],
        ["Telefónica", "vende"],
        ["Telefónica", "Telefónica"],
    ]
    projected = [[Span(0, 3, "ORG")], [Span(0, 1, "ORG")], [Span(0, 1, "ORG")], [Span(0, 1, "LOC")], [], []]
    result = spans_of(propagate(tokens, projected, min_count=2))
    assert result[0] == [Span(0, 3, "ORG")], "an existing span is kept as it is"
    assert result[3] == [Span(0, 1, "LOC")], "a projected span is never relabelled"
    assert [s.key for s in result[4]] == [(0, 1, "ORG")]
    assert result[4][0].score == pytest.approx(2 / 3)
    assert [s.key for s in result[5]] == [(0, 1, "ORG"), (1, 2, "ORG")]


def test_lower_case_phrases_are_not_propagated() -> None:
    tokens = [["el", "gobierno"], ["el", "gobierno"], ["el", "gobierno"]]
    projected = [[Span(1, 2, "ORG")], [Span(1, 2, "ORG")], []]
    assert spans_of(propagate(tokens, projected, min_count=2))[2] == []


def test_min_count_must_be_positive() -> None:
    with pytest.raises(ValueError):
        propagate([], [], min_count=0)


def test_each_added_span_names_the_sentences_it_was_copied_from() -> None:
    projected = [[Span(0, 1, "LOC"), Span(5, 6, "ORG")], [Span(5, 6, "ORG")], [], []]
    result = propagate(SENTENCES, projected, min_count=2, ids=["a", "b", "c", "d"])
    assert result[0].explanations == [] and result[1].explanations == []
    (why,) = result[3].explanations
    assert (why.kind, why.label, why.span) == ("propagated", "ORG", (2, 3))
    assert why.detail["from"] == ["a", "b"] and why.detail["count"] == 2
