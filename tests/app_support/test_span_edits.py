"""The Review page's edits as pure functions."""

from __future__ import annotations

import pytest

from projection.app_support.span_edits import (
    accept_span,
    delete_span,
    describe_change,
    is_pending,
    label_tokens,
    relabel_span,
)
from projection.data import Span
from projection.errors import ProjectionError

TOKENS = ["La", "Cruz", "Roja", "abrió", "un", "albergue", "en", "Tegucigalpa", "."]
SPANS = [Span(1, 3, "ORG", origin="projected:heuristic"), Span(7, 8, "LOC", origin="projected:heuristic")]


def keys(spans: list[Span]) -> list[tuple[int, int, str]]:
    return [span.key for span in spans]


def test_labelling_clicked_words_makes_a_span_from_the_first_to_the_last() -> None:
    result = label_tokens(SPANS, [5, 4], "MISC", len(TOKENS))
    assert keys(result) == [(1, 3, "ORG"), (4, 6, "MISC"), (7, 8, "LOC")]
    assert result[1].origin == "corrected" and result[0].origin == "projected:heuristic"


def test_labelling_words_of_existing_spans_replaces_them_relabels_and_resizes() -> None:
    assert keys(label_tokens(SPANS, [0, 2], "ORG", len(TOKENS))) == [(0, 3, "ORG"), (7, 8, "LOC")]  # grows
    assert keys(label_tokens(SPANS, [2, 7], "LOC", len(TOKENS))) == [(2, 8, "LOC")]  # swallows both
    assert keys(label_tokens(SPANS, [7], "PER", len(TOKENS))) == [(1, 3, "ORG"), (7, 8, "PER")]
    assert keys(label_tokens(SPANS, [2], None, len(TOKENS))) == [(7, 8, "LOC")]  # no entity: removed


@pytest.mark.parametrize(("selected", "message"), [([], "Click the words"), ([8, 9], "only 9 tokens")])
def test_impossible_labellings_say_why(selected: list[int], message: str) -> None:
    with pytest.raises(ProjectionError, match=message):
        label_tokens(SPANS, selected, "PER", len(TOKENS))


def test_accepting_a_span_keeps_it_and_marks_it_checked() -> None:
    accepted = accept_span(SPANS, 1)
    assert keys(accepted) == keys(SPANS) and accepted[1].origin == "accepted"
    assert [is_pending(span) for span in accepted] == [True, False]
    assert describe_change(SPANS, accepted, TOKENS) == "✓ LOC «Tegucigalpa»"


def test_delete_and_relabel() -> None:
    assert keys(delete_span(SPANS, 0)) == [(7, 8, "LOC")]
    relabelled = relabel_span(SPANS, 1, "ORG")
    assert keys(relabelled) == [(1, 3, "ORG"), (7, 8, "ORG")] and relabelled[1].origin == "corrected"
    assert relabel_span(SPANS, 1, "LOC") == SPANS


def test_describe_change_names_what_was_removed_and_added() -> None:
    text = describe_change(SPANS, relabel_span(SPANS, 1, "ORG"), TOKENS)
    assert text == "− LOC «Tegucigalpa» · + ORG «Tegucigalpa»"
    assert describe_change(SPANS, SPANS, TOKENS) == "no change"
