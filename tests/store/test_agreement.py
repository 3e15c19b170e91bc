"""Agreement between reviewers, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from projection.data import Span
from projection.store.agreement import SentenceVersions, cohen_kappa, pairwise_agreement, token_labels


def test_a_hand_computed_case() -> None:
    # sentence 1, 6 tokens: ana  [0,2) PER, [4,5) LOC       ben  [0,2) PER, [4,5) ORG
    # sentence 2, 4 tokens: ana  [1,2) LOC                  ben  [1,3) LOC
    sentences = [
        SentenceVersions("sw", "1", 6, {"ana": [Span(0, 2, "PER"), Span(4, 5, "LOC")],
                                        "ben": [Span(0, 2, "PER"), Span(4, 5, "ORG")]}),
        SentenceVersions("sw", "2", 4, {"ana": [Span(1, 2, "LOC")], "ben": [Span(1, 3, "LOC")]}),
    ]  # fmt: skip
    (pair,) = pairwise_agreement(sentences)
    assert (pair.lang, pair.first, pair.second, pair.sentences, pair.tokens) == ("sw", "ana", "ben", 2, 10)
    # one span of three on each side is shared: F1 = 2 * 1 / (3 + 3)
    assert (pair.spans_first, pair.spans_second, pair.shared_spans) == (3, 3, 1)
    assert pair.span_f1 == pytest.approx(1 / 3)
    # tokens:  ana  PER PER O O LOC O | O LOC O O
    #          ben  PER PER O O ORG O | O LOC LOC O
    # agree on 8 of 10: p_o = 0.8
    # ana: PER 2, O 6, LOC 2; ben: PER 2, O 5, ORG 1, LOC 2
    # p_e = (2*2 + 6*5 + 2*2 + 0*1) / 100 = 0.38;  kappa = (0.8 - 0.38) / (1 - 0.38) = 0.42 / 0.62
    assert pair.kappa == pytest.approx(0.42 / 0.62)


def test_pairs_are_per_language_and_only_over_shared_sentences() -> None:
    same = [Span(0, 1, "PER")]
    sentences = [
        SentenceVersions("sw", "1", 3, {"ana": same, "ben": same, "carla": []}),
        SentenceVersions("sw", "2", 3, {"ana": same}),
        SentenceVersions("yo", "1", 3, {"ana": same, "ben": same}),
    ]
    found = {(p.lang, p.first, p.second): p for p in pairwise_agreement(sentences)}
    assert sorted(found) == [("sw", "ana", "ben"), ("sw", "ana", "carla"), ("sw", "ben", "carla"), ("yo", "ana", "ben")]
    assert found[("sw", "ana", "ben")].sentences == 1 and found[("sw", "ana", "ben")].span_f1 == 1.0
    assert found[("sw", "ana", "carla")].span_f1 == 0.0


def test_kappa_is_undefined_where_every_token_has_one_label() -> None:
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None
    assert cohen_kappa([], []) is None
    assert token_labels([Span(1, 3, "LOC")], 4) == ["O", "LOC", "LOC", "O"]
