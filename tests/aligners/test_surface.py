"""The same-language surface aligner: identical and prefix-similar words, mutual best, nearest position."""

from __future__ import annotations

import pytest

from projection.aligners import aligners
from projection.aligners.surface import SurfaceAligner, word_similarity
from projection.errors import ProjectionError


def test_identical_words_link_despite_case_and_accents() -> None:
    original = ["La", "empresa", "Telefónica", "anunció", "hoy", "un", "récord"]
    back = ["la", "empresa", "TELEFONICA", "ha", "anunciado", "hoy", "un", "record"]
    links = set(SurfaceAligner().align_pair(back, original).links)
    assert {(0, 0), (1, 1), (2, 2), (5, 4), (6, 5), (7, 6)} <= links
    assert (4, 3) in links  # anunciado ~ anunció share "anunci" (6 of 9 letters)
    assert not any(i == 3 for i, _ in links)  # "ha" has no counterpart


def test_repeated_words_link_in_order() -> None:
    original = ["el", "presidente", "de", "Brasil", "y", "el", "ministro", "de", "Perú"]
    back = ["el", "presidente", "de", "Brasil", "y", "el", "ministro", "de", "Perú"]
    assert sorted(SurfaceAligner().align_pair(back, original).links) == [(i, i) for i in range(9)]


def test_short_different_words_never_link() -> None:
    assert word_similarity("de", "del", 0.5) == 0.0
    assert word_similarity("casa", "cosa", 0.5) == 0.0
    assert word_similarity("visitado", "visitó", 0.5) == pytest.approx(5 / 8)


def test_batch_interface_and_empty_sentences() -> None:
    aligner = aligners.create("surface:0.6")
    result = aligner.align([["Hola", "Ana"], []], [["Ana", "hola"], ["x"]])
    assert sorted(result[0].links) == [(0, 1), (1, 0)]
    assert result[1].links == []
    with pytest.raises(ProjectionError):
        aligner.align([["a"]], [])


def test_bad_threshold_is_a_user_error() -> None:
    with pytest.raises(ProjectionError, match="min_prefix"):
        aligners.create("surface:big")
