"""The Review page's edits as pure functions."""

from __future__ import annotations

import pytest

from projection.app_support.span_edits import (
    add_span,
    can_move,
    delete_span,
    describe_change,
    move_boundary,
    relabel_span,
)
from projection.data import Span
from projection.errors import ProjectionError

TOKENS = ["La", "Cruz", "Roja", "abrió", "un", "albergue", "en", "Tegucigalpa", "."]
SPANS = [Span(1, 3, "ORG", origin="projected:heuristic"), Span(7, 8, "LOC", origin="projected:heuristic")]


def keys(spans: list[Span]) -> list[tuple[int, int, str]]:
    return [span.key for span in spans]


def test_add_keeps_order_and_marks_the_span_corrected() -> None:
    result = add_span(SPANS, 4, 6, "MISC", len(TOKENS))
    assert keys(result) == [(1, 3, "ORG"), (4, 6, "MISC"), (7, 8, "LOC")]
    assert result[1].origin == "corrected" and result[0].origin == "projected:heuristic"


@pytest.mark.parametrize(("start", "end", "message"), [(2, 4, "overlap"), (8, 10, "only 9 tokens"), (3, 3, "one")])
def test_impossible_additions_say_why(start: int, end: int, message: str) -> None:
    with pytest.raises(ProjectionError, match=message):
        add_span(SPANS, start, end, "PER", len(TOKENS))


def test_delete_and_relabel() -> None:
    assert keys(delete_span(SPANS, 0)) == [(7, 8, "LOC")]
    relabelled = relabel_span(SPANS, 1, "ORG")
    assert keys(relabelled) == [(1, 3, "ORG"), (7, 8, "ORG")] and relabelled[1].origin == "corrected"
    assert relabel_span(SPANS, 1, "LOC") == SPANS


def test_boundaries_move_by_one_token_within_the_sentence_and_without_overlap() -> None:
    n = len(TOKENS)
    assert keys(move_boundary(SPANS, 0, "start", -1, n))[0] == (0, 3, "ORG")
    assert keys(move_boundary(SPANS, 1, "end", 1, n))[1] == (7, 9, "LOC")
    assert not can_move(SPANS, 1, "start", 1, n)  # would leave no token
    assert not can_move(SPANS, 1, "end", 2, n)  # beyond the sentence
    assert not can_move([Span(1, 3, "ORG"), Span(3, 4, "LOC")], 0, "end", 1, 5)  # into the next span
    assert can_move(SPANS, 0, "end", 1, n)
    with pytest.raises(ProjectionError, match="without tokens"):
        move_boundary(SPANS, 1, "end", -1, n)
    with pytest.raises(ProjectionError, match="overlap"):
        move_boundary([Span(1, 3, "ORG"), Span(3, 4, "LOC")], 1, "start", -1, 5)


def test_describe_change_names_what_was_removed_and_added() -> None:
    text = describe_change(SPANS, relabel_span(SPANS, 1, "ORG"), TOKENS)
    assert text == "− LOC «Tegucigalpa» · + ORG «Tegucigalpa»"
    assert describe_change(SPANS, SPANS, TOKENS) == "no change"
