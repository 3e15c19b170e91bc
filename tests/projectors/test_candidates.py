"""Candidate extraction: n-grams (with exclusions, caps and the linked-position filter) and NER spans."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from projection.data import Span
from projection.projectors.candidates import ngram_candidates, span_candidates


def all_ngrams(n: int) -> list[tuple[int, int]]:
    return [(s, e) for s in range(n) for e in range(s + 1, n + 1)]


def test_every_ngram_without_cap() -> None:
    tokens = ["El", "presidente", "de", "Francia", "habló"]
    assert ngram_candidates(tokens).pairs() == all_ngrams(5)


def test_max_len_caps_the_length() -> None:
    tokens = ["a", "b", "c", "d"]
    pairs = ngram_candidates(tokens, max_len=2).pairs()
    assert pairs == [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (2, 4), (3, 4)]


def test_ngrams_with_question_or_exclamation_marks_are_excluded() -> None:
    tokens = ["¿", "Vino", "Juan", "Pérez", "?", "Sí", "!"]
    pairs = ngram_candidates(tokens).pairs()
    assert (1, 4) in pairs and (5, 6) in pairs
    assert not any(s <= 0 < e or s <= 4 < e or s <= 6 < e for s, e in pairs)


def test_excluded_characters_are_configurable() -> None:
    tokens = ["Hola", "!", "Ana"]
    assert (0, 3) in ngram_candidates(tokens, excluded_chars="").pairs()
    assert ngram_candidates(tokens, excluded_chars="H").pairs() == [(1, 2), (1, 3), (2, 3)]


def test_required_positions_keep_only_touching_ngrams() -> None:
    required = np.array([False, False, True, False])
    pairs = ngram_candidates(["a", "b", "c", "d"], required=required).pairs()
    assert pairs == [(0, 3), (0, 4), (1, 3), (1, 4), (2, 3), (2, 4)]


def test_bad_max_len_is_rejected() -> None:
    with pytest.raises(ValueError):
        ngram_candidates(["a"], max_len=0)


@given(
    st.lists(st.sampled_from(["a", "b", "!", "c?", "d"]), min_size=0, max_size=12),
    st.one_of(st.none(), st.integers(1, 6)),
    st.data(),
)
def test_ngrams_match_a_direct_enumeration(tokens: list[str], max_len: int | None, data: st.DataObject) -> None:
    required = np.array(data.draw(st.lists(st.booleans(), min_size=len(tokens), max_size=len(tokens))), dtype=bool)
    expected = [
        (s, e)
        for s, e in all_ngrams(len(tokens))
        if (max_len is None or e - s <= max_len)
        and not any("!" in t or "?" in t for t in tokens[s:e])
        and required[s:e].any()
    ]
    assert ngram_candidates(tokens, max_len=max_len, required=required).pairs() == expected


def test_ner_candidates_drop_labels_and_duplicates() -> None:
    spans = [Span(3, 5, "PER"), Span(0, 1, "LOC"), Span(3, 5, "ORG")]
    assert span_candidates(spans, 6).pairs() == [(0, 1), (3, 5)]


def test_ner_candidates_filtered_by_linked_positions() -> None:
    spans = [Span(0, 1, "LOC"), Span(3, 5, "PER")]
    required = np.array([False, False, False, False, True, False])
    assert span_candidates(spans, 6, required=required).pairs() == [(3, 5)]


def test_ner_candidate_past_the_sentence_end_is_an_error() -> None:
    with pytest.raises(ValueError, match="past the sentence end"):
        span_candidates([Span(2, 7, "PER")], 6)
