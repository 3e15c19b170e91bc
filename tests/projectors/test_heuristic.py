"""The paper's heuristic projector on hand-built alignments; each expected span is derived in a comment."""

from __future__ import annotations

import pytest

from projection.data import Alignment, Sentence, Span
from projection.errors import ProjectionError
from projection.projectors import projectors
from projection.projectors.heuristic import HeuristicProjector, merged_runs


def pair(src: str, tgt: str, spans: list[Span]) -> tuple[Sentence, Sentence]:
    return Sentence("1", "en", src.split(), spans), Sentence("1", "es", tgt.split())


def keys(spans: list[Span]) -> list[tuple[int, int, str]]:
    return [span.key for span in spans]


def test_one_to_one_entity_is_carried_over_with_label_and_origin() -> None:
    source, target = pair("New York is big", "Nueva York es grande", [Span(0, 2, "LOC")])
    alignment = Alignment([(0, 0), (1, 1), (2, 2), (3, 3)])
    projected = HeuristicProjector().project_one(source, target, alignment)
    assert keys(projected) == [(0, 2, "LOC")]
    assert projected[0].origin == "projected:heuristic"


def test_gap_of_one_word_is_filled_with_merge_distance_one() -> None:
    # "European Central Bank" (3 words) links to targets 2 and 4: runs [2,3) and [4,5), gap of one word (3).
    # merge_distance 1 joins them into [2,5) (3 words, ratio 3/3 = 1.0 > 0.8), gap word included.
    source, target = pair("the European Central Bank said", "dijo el Banco Central Europeo", [Span(1, 4, "ORG")])
    alignment = Alignment([(1, 4), (3, 2), (4, 0)])
    assert keys(HeuristicProjector(merge_distance=1).project_one(source, target, alignment)) == [(2, 5, "ORG")]
    # merge_distance 0 leaves two one-word runs: 1/3 each, both dropped.
    assert HeuristicProjector(merge_distance=0).project_one(source, target, alignment) == []


def test_gap_of_two_words_needs_merge_distance_two() -> None:
    # Entity of 2 words linked to targets 0 and 3: gap of two words (1, 2).
    source, target = pair("Ana Lopez", "Ana y la Lopez", [Span(0, 2, "PER")])
    alignment = Alignment([(0, 0), (1, 3)])
    # merge_distance 1: runs [0,1) and [3,4), each 1/2 = 0.5 -> dropped.
    assert HeuristicProjector(merge_distance=1).project_one(source, target, alignment) == []
    # merge_distance 2: one run [0,4) of 4 words, 4/2 = 2.0 > 0.8 -> kept.
    assert keys(HeuristicProjector(merge_distance=2).project_one(source, target, alignment)) == [(0, 4, "PER")]


def test_length_ratio_is_strictly_greater() -> None:
    # One-word entity, one-word projection: 1/1 = 1.0 > 0.8 -> kept.
    source, target = pair("Paris", "París", [Span(0, 1, "LOC")])
    assert keys(HeuristicProjector().project_one(source, target, Alignment([(0, 0)]))) == [(0, 1, "LOC")]

    # Three-word entity whose only links hit two target words: 2/3 = 0.67 -> dropped at 0.8, kept at 0.5.
    source, target = pair("Bank of Spain", "Banco España", [Span(0, 3, "ORG")])
    alignment = Alignment([(0, 0), (2, 1)])
    assert HeuristicProjector().project_one(source, target, alignment) == []
    assert keys(HeuristicProjector(length_ratio=0.5).project_one(source, target, alignment)) == [(0, 2, "ORG")]

    # Five-word entity projected onto four words: 4/5 = 0.8 is not > 0.8 -> dropped.
    source, target = pair("the State of Sao Paulo", "Estado de Sao Paulo", [Span(0, 5, "LOC")])
    alignment = Alignment([(1, 0), (2, 1), (3, 2), (4, 3)])
    assert HeuristicProjector().project_one(source, target, alignment) == []
    # Without the determiner the entity has four words: 4/4 = 1.0 -> kept.
    source.spans = [Span(1, 5, "LOC")]
    assert keys(HeuristicProjector().project_one(source, target, alignment)) == [(0, 4, "LOC")]


def test_an_entity_may_yield_several_spans() -> None:
    # "Obama" links to target 0 and target 4; two one-word runs, each 1/1 -> both kept.
    source, target = pair("Obama said", "Obama dijo que el presidente", [Span(0, 1, "PER")])
    alignment = Alignment([(0, 0), (0, 4), (1, 1)])
    assert keys(HeuristicProjector().project_one(source, target, alignment)) == [(0, 1, "PER"), (4, 5, "PER")]


def test_overlapping_projections_keep_the_longest() -> None:
    # PER "Ford" -> [1,2); ORG "Ford Motor" -> [1,3). They overlap; the longer ORG wins.
    source, target = pair("Ford Ford Motor", "x Ford Motor", [Span(0, 1, "PER"), Span(1, 3, "ORG")])
    alignment = Alignment([(0, 1), (1, 1), (2, 2)])
    assert keys(HeuristicProjector().project_one(source, target, alignment)) == [(1, 3, "ORG")]


def test_equally_long_overlaps_keep_the_leftmost() -> None:
    # A (PER) -> [2,4), B (LOC) -> [1,3): same length, B starts further left -> B kept.
    source, target = pair("a b c d", "w x y z", [Span(0, 2, "PER"), Span(2, 4, "LOC")])
    alignment = Alignment([(0, 2), (1, 3), (2, 1), (3, 2)])
    assert keys(HeuristicProjector().project_one(source, target, alignment)) == [(1, 3, "LOC")]


def test_identical_spans_of_two_entities_keep_the_first_entity() -> None:
    source, target = pair("Jordan Jordan", "Jordania", [Span(0, 1, "PER"), Span(1, 2, "LOC")])
    alignment = Alignment([(0, 0), (1, 0)])
    assert keys(HeuristicProjector().project_one(source, target, alignment)) == [(0, 1, "PER")]


def test_unaligned_entities_and_out_of_range_links_give_nothing() -> None:
    source, target = pair("Kofi Annan spoke", "habló", [Span(0, 2, "PER")])
    assert HeuristicProjector().project_one(source, target, Alignment([(2, 0)])) == []
    assert HeuristicProjector().project_one(source, target, Alignment([(0, 5), (1, 6)])) == []


def test_project_runs_over_a_batch() -> None:
    first = pair("Rome", "Roma", [Span(0, 1, "LOC")])
    second = pair("hello", "hola", [])
    projected = HeuristicProjector().project(
        [first[0], second[0]], [first[1], second[1]], [Alignment([(0, 0)]), Alignment([(0, 0)])]
    )
    assert [keys(spans) for spans in projected] == [[(0, 1, "LOC")], []]


def test_merged_runs() -> None:
    assert merged_runs([5, 2, 3, 3], 0) == [(2, 4), (5, 6)]
    assert merged_runs([5, 2, 3], 1) == [(2, 6)]
    assert merged_runs([], 1) == []


def test_registry_options_and_bad_options() -> None:
    projector = projectors.create("heuristic", merge_distance=2, length_ratio=0.5)
    assert projector.identity()["params"] == {"merge_distance": 2, "length_ratio": 0.5}
    with pytest.raises(ProjectionError, match="merge_distance"):
        HeuristicProjector(merge_distance=-1)
