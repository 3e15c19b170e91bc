"""The per-span error taxonomy on hand-built cases, its counting invariant, and the examples helper."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projection.data import Span
from projection.errors import ProjectionError
from projection.evaluation import KINDS, SpanError, classify, classify_sentence, count_errors, error_examples


def kinds(errors: list[SpanError]) -> list[tuple[str, tuple | None, tuple | None]]:
    return [
        (e.kind, None if e.gold is None else e.gold.key, None if e.predicted is None else e.predicted.key)
        for e in errors
    ]


def test_each_kind_on_one_sentence() -> None:
    gold = [Span(0, 2, "PER"), Span(3, 4, "LOC"), Span(5, 7, "ORG"), Span(8, 10, "ORG"), Span(11, 12, "PER")]
    predicted = [
        Span(0, 2, "PER"),  # same boundaries, same label -> correct
        Span(3, 4, "ORG"),  # same boundaries, other label -> wrong_label
        Span(5, 6, "ORG"),  # overlaps ORG [5,7), same label -> boundary
        Span(9, 11, "LOC"),  # overlaps ORG [8,10), other label -> boundary_label
        Span(13, 14, "LOC"),  # overlaps nothing -> spurious
    ]  # gold PER [11,12) overlaps nothing -> missed
    assert kinds(classify_sentence(gold, predicted)) == [
        ("correct", (0, 2, "PER"), (0, 2, "PER")),
        ("wrong_label", (3, 4, "LOC"), (3, 4, "ORG")),
        ("boundary", (5, 7, "ORG"), (5, 6, "ORG")),
        ("boundary_label", (8, 10, "ORG"), (9, 11, "LOC")),
        ("missed", (11, 12, "PER"), None),
        ("spurious", None, (13, 14, "LOC")),
    ]


def test_a_gold_span_split_in_two_matches_the_leftmost_half() -> None:
    # Both halves share 2 tokens with the gold span and have its label: tie -> leftmost prediction.
    errors = classify_sentence([Span(0, 4, "PER")], [Span(0, 2, "PER"), Span(2, 4, "PER")])
    assert kinds(errors) == [("boundary", (0, 4, "PER"), (0, 2, "PER")), ("spurious", None, (2, 4, "PER"))]


def test_larger_overlap_wins_over_earlier_position() -> None:
    # Prediction [1,5) shares 1 token with gold A [0,2) and 3 with gold B [2,6): it goes to B, A is missed.
    errors = classify_sentence([Span(0, 2, "PER"), Span(2, 6, "ORG")], [Span(1, 5, "PER")])
    assert kinds(errors) == [("missed", (0, 2, "PER"), None), ("boundary_label", (2, 6, "ORG"), (1, 5, "PER"))]


def test_equal_overlap_prefers_the_same_label() -> None:
    # Prediction LOC [1,3) shares one token with PER [0,2) and one with LOC [2,4): the LOC gold wins.
    errors = classify_sentence([Span(0, 2, "PER"), Span(2, 4, "LOC")], [Span(1, 3, "LOC")])
    assert kinds(errors) == [("missed", (0, 2, "PER"), None), ("boundary", (2, 4, "LOC"), (1, 3, "LOC"))]


def test_classify_filters_labels_and_counts_every_kind() -> None:
    gold = [[Span(0, 1, "PER"), Span(2, 3, "MISC")], [Span(0, 2, "LOC")]]
    predicted = [[Span(0, 1, "PER"), Span(2, 3, "MISC")], [Span(1, 2, "LOC")]]
    errors = classify(gold, predicted, labels=["PER", "LOC"])
    assert [kinds(sentence) for sentence in errors] == [
        [("correct", (0, 1, "PER"), (0, 1, "PER"))],
        [("boundary", (0, 2, "LOC"), (1, 2, "LOC"))],
    ]
    assert count_errors(errors) == {
        "correct": 1,
        "wrong_label": 0,
        "boundary": 1,
        "boundary_label": 0,
        "missed": 0,
        "spurious": 0,
    }
    with pytest.raises(ProjectionError, match="2 gold sentences with 1 predicted"):
        classify(gold, predicted[:1])


def test_examples_per_kind_with_limit_and_description() -> None:
    tokens = [["Sao", "Paulo", "(", "Brasil", ")"], ["EFE", "informa"]]
    gold = [[Span(0, 2, "LOC"), Span(3, 4, "LOC")], [Span(0, 1, "ORG")]]
    predicted = [[Span(1, 2, "LOC"), Span(3, 4, "LOC")], []]
    errors = classify(gold, predicted)
    examples = error_examples(errors, tokens, ["s1", "s2"], kinds=["boundary", "missed", "correct"], limit=1)
    assert [e.sentence_id for e in examples["missed"]] == ["s2"]
    assert examples["boundary"][0].describe() == (
        '[s1] boundary  gold LOC "Sao Paulo"  predicted LOC "Paulo"  | Sao Paulo ( Brasil )'
    )
    assert len(examples["correct"]) == 1 and examples["correct"][0].sentence == 0
    assert set(error_examples(errors, tokens)) == set(KINDS)
    with pytest.raises(ProjectionError, match="Unknown error kinds"):
        error_examples(errors, tokens, kinds=["typo"])


spans = st.lists(st.tuples(st.integers(0, 10), st.integers(1, 3), st.sampled_from(["PER", "LOC"])), max_size=6).map(
    lambda items: non_overlapping([Span(s, s + n, label) for s, n, label in items])
)


def non_overlapping(candidates: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in candidates:
        if not any(span.overlaps(other) for other in kept):
            kept.append(span)
    return kept


@given(spans, spans)
def test_every_span_appears_in_exactly_one_error(gold: list[Span], predicted: list[Span]) -> None:
    errors = classify_sentence(gold, predicted)
    assert sorted(e.gold.key for e in errors if e.gold is not None) == sorted(s.key for s in gold)
    assert sorted(e.predicted.key for e in errors if e.predicted is not None) == sorted(s.key for s in predicted)
    for error in errors:
        if error.gold is not None and error.predicted is not None:
            assert error.gold.overlaps(error.predicted)
        if error.kind == "correct":
            assert error.gold == error.predicted
    counts = count_errors([errors])
    assert counts["correct"] == len({s.key for s in gold} & {s.key for s in predicted})
