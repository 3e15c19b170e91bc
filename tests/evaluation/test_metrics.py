"""seqeval-based metrics against hand-computed numbers and an exact span-matching oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projection.data import Span
from projection.errors import ProjectionError
from projection.evaluation import evaluate
from projection.tags import tags_to_spans

LABELS = ("PER", "ORG", "LOC", "MISC")


def oracle(gold: list[list[Span]], predicted: list[list[Span]], labels: list[str] | None = None) -> dict:
    """Micro and per-label P/R/F1 by exact matching of (sentence, start, end, label) sets."""

    def as_set(sentences: list[list[Span]]) -> set[tuple[int, int, int, str]]:
        return {
            (k, s.start, s.end, s.label)
            for k, spans in enumerate(sentences)
            for s in spans
            if labels is None or s.label in labels
        }

    def prf(g: set, p: set) -> tuple[float, float, float]:
        tp = len(g & p)
        precision = tp / len(p) if p else 0.0
        recall = tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    g, p = as_set(gold), as_set(predicted)
    per_label = {}
    for label in sorted({item[3] for item in g | p}):
        per_label[label] = prf({x for x in g if x[3] == label}, {x for x in p if x[3] == label})
    return {"overall": prf(g, p), "per_label": per_label}


def test_hand_computed_example() -> None:
    # Sentence 0: gold PER [0,2), LOC [3,4); predicted PER [0,2) (right), ORG [3,4) (wrong label).
    # Sentence 1: gold ORG [1,2); predicted nothing.
    gold = [[Span(0, 2, "PER"), Span(3, 4, "LOC")], [Span(1, 2, "ORG")]]
    predicted = [[Span(0, 2, "PER"), Span(3, 4, "ORG")], []]
    metrics = evaluate(gold, predicted, [5, 3])
    # 1 true positive of 2 predictions and 3 gold spans: P = 1/2, R = 1/3, F1 = 2·(1/2)(1/3)/(5/6) = 0.4.
    assert metrics.precision == pytest.approx(0.5)
    assert metrics.recall == pytest.approx(1 / 3)
    assert metrics.f1 == pytest.approx(0.4)
    assert metrics.per_label["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert metrics.per_label["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert metrics.per_label["ORG"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert metrics.proj_ratio == pytest.approx(2 / 3)
    assert metrics.n_sentences == 2


def test_labels_outside_the_set_count_as_o_on_both_sides() -> None:
    # Keeping PER and LOC drops the predicted ORG and the gold ORG: 1 TP of 1 prediction and 2 gold spans.
    gold = [[Span(0, 2, "PER"), Span(3, 4, "LOC")], [Span(1, 2, "ORG")]]
    predicted = [[Span(0, 2, "PER"), Span(3, 4, "ORG")], []]
    metrics = evaluate(gold, predicted, [5, 3], labels=["PER", "LOC"])
    assert (metrics.precision, metrics.recall) == (pytest.approx(1.0), pytest.approx(0.5))
    assert metrics.f1 == pytest.approx(2 / 3)
    assert list(metrics.per_label) == ["PER", "LOC"]
    assert metrics.proj_ratio == pytest.approx(1 / 2)


def test_label_never_seen_is_listed_with_zeros() -> None:
    metrics = evaluate([[Span(0, 1, "PER")]], [[Span(0, 1, "PER")]], [2], labels=["PER", "DATE"])
    assert metrics.per_label["DATE"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert metrics.f1 == 1.0


def test_adjacent_spans_of_one_label_stay_apart() -> None:
    gold = [[Span(0, 1, "PER"), Span(1, 3, "PER")], [Span(2, 4, "LOC")]]
    predicted = [[Span(0, 3, "PER")], [Span(2, 4, "LOC")]]
    metrics = evaluate(gold, predicted, [4, 4])
    # 1 TP (the LOC); 2 predictions; 3 gold spans -> P 1/2, R 1/3.
    assert (metrics.precision, metrics.recall) == (pytest.approx(0.5), pytest.approx(1 / 3))


def test_nothing_to_score_gives_zeros_and_no_ratio() -> None:
    metrics = evaluate([[], []], [[], []], [3, 0])
    assert (metrics.precision, metrics.recall, metrics.f1, metrics.proj_ratio) == (0.0, 0.0, 0.0, None)
    only_predicted = evaluate([[]], [[Span(0, 1, "PER")]], [1])
    assert (only_predicted.precision, only_predicted.proj_ratio) == (0.0, None)


def test_to_dict_shape() -> None:
    data = evaluate([[Span(0, 1, "PER")]], [[Span(0, 1, "PER")]], [1]).to_dict()
    assert data == {
        "overall": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
        "per_label": {"PER": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}},
        "proj_ratio": 1.0,
        "n_sentences": 1,
    }


def test_bad_input_is_a_user_error() -> None:
    with pytest.raises(ProjectionError, match="2 gold sentences, 1 predicted"):
        evaluate([[], []], [[]], [1, 1])
    with pytest.raises(ProjectionError, match=r"Sentence 0 \(predicted spans\).*overlaps"):
        evaluate([[]], [[Span(0, 2, "PER"), Span(1, 3, "LOC")]], [3])
    with pytest.raises(ProjectionError, match=r"Sentence 1 \(gold spans\).*beyond"):
        evaluate([[], [Span(0, 5, "PER")]], [[], []], [1, 2])


@st.composite
def sentences(draw: st.DrawFn) -> tuple[list[list[Span]], list[int]]:
    """Random sentences with non-overlapping spans (valid IOB2 once encoded)."""
    spans_per_sentence, lengths = [], []
    for _ in range(draw(st.integers(1, 6))):
        length = draw(st.integers(0, 12))
        spans, position = [], 0
        while position < length:
            position += draw(st.integers(0, 3))
            size = draw(st.integers(1, 3))
            if position + size > length:
                break
            spans.append(Span(position, position + size, draw(st.sampled_from(LABELS))))
            position += size
        spans_per_sentence.append(spans)
        lengths.append(length)
    return spans_per_sentence, lengths


@st.composite
def gold_and_predicted(draw: st.DrawFn) -> tuple[list[list[Span]], list[list[Span]], list[int]]:
    gold, lengths = draw(sentences())
    predicted = []
    for spans, length in zip(gold, lengths, strict=True):
        choice = draw(st.sampled_from(["copy", "relabel", "fresh"]))
        if choice == "copy":
            predicted.append(list(spans))
        elif choice == "relabel":
            predicted.append([Span(s.start, s.end, draw(st.sampled_from(LABELS))) for s in spans])
        else:
            fresh, _ = draw(sentences())
            predicted.append([s for s in fresh[0] if s.end <= length])
    return gold, predicted, lengths


@settings(max_examples=150, deadline=None)
@given(gold_and_predicted(), st.sampled_from([None, ["PER", "LOC"]]))
def test_seqeval_numbers_match_exact_span_matching(
    case: tuple[list[list[Span]], list[list[Span]], list[int]], labels: list[str] | None
) -> None:
    gold, predicted, lengths = case
    metrics = evaluate(gold, predicted, lengths, labels=labels)
    expected = oracle(gold, predicted, labels)
    assert (metrics.precision, metrics.recall, metrics.f1) == pytest.approx(expected["overall"])
    for label, (precision, recall, f1) in expected["per_label"].items():
        got = metrics.per_label[label]
        assert (got["precision"], got["recall"], got["f1"]) == pytest.approx((precision, recall, f1))


def read_conll(path: Path) -> tuple[list[list[str]], list[list[str]]]:
    tokens, tags, current_tokens, current_tags = [], [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            parts = line.split()
            current_tokens.append(parts[0])
            current_tags.append(parts[-1])
        elif current_tokens:
            tokens.append(current_tokens)
            tags.append(current_tags)
            current_tokens, current_tags = [], []
    return tokens, tags


def test_real_gold_against_a_damaged_copy_matches_the_oracle(shared_data: Path) -> None:
    tokens, tags = read_conll(shared_data / "conll2002" / "esp.testa")
    gold = [tags_to_spans(t) for t in tags]
    # Damage: drop every third entity, relabel every fifth, shorten every seventh multi-word one.
    predicted, counter = [], 0
    for spans in gold:
        kept = []
        for span in spans:
            counter += 1
            if counter % 3 == 0:
                continue
            if counter % 5 == 0:
                span = Span(span.start, span.end, "ORG" if span.label != "ORG" else "PER")
            elif counter % 7 == 0 and len(span) > 1:
                span = Span(span.start, span.end - 1, span.label)
            kept.append(span)
        predicted.append(kept)
    lengths = [len(t) for t in tokens]
    for labels in (None, ["PER", "ORG", "LOC"]):
        metrics = evaluate(gold, predicted, lengths, labels=labels)
        expected = oracle(gold, predicted, labels)
        assert (metrics.precision, metrics.recall, metrics.f1) == pytest.approx(expected["overall"])
        assert 0.3 < metrics.f1 < 0.9
    assert evaluate(gold, gold, lengths).f1 == 1.0
