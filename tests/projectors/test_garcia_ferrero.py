"""The original García-Ferrero heuristic on hand-built alignments; expected spans derived in comments."""

from __future__ import annotations

from projection.data import Alignment, Sentence, Span
from projection.projectors import projectors
from projection.projectors.garcia_ferrero import GarciaFerreroProjector, is_punctuation


def pair(src: str, tgt: str, spans: list[Span]) -> tuple[Sentence, Sentence]:
    return Sentence("1", "en", src.split(), spans), Sentence("1", "es", tgt.split())


def keys(spans: list[Span]) -> list[tuple[int, int, str]]:
    return [span.key for span in spans]


def test_punctuation_targets_are_dropped() -> None:
    # "Sao Paulo" links to "Sao", "Paulo" and the comma after them: the comma is dropped -> [0,2).
    source, target = pair("Sao Paulo", "Sao Paulo , Brasil", [Span(0, 2, "LOC")])
    alignment = Alignment([(0, 0), (1, 1), (1, 2)])
    projected = GarciaFerreroProjector().project_one(source, target, alignment)
    assert keys(projected) == [(0, 2, "LOC")]
    assert projected[0].origin == "projected:garcia-ferrero"


def test_entity_linked_only_to_punctuation_is_not_projected() -> None:
    source, target = pair("EFE", "( EFE )", [Span(0, 1, "ORG")])
    assert GarciaFerreroProjector().project_one(source, target, Alignment([(0, 0), (0, 2)])) == []


def test_only_the_largest_group_is_kept_and_no_length_ratio_applies() -> None:
    # Entity of 3 words linked to target 0 and to targets 4, 5: groups [0,1) and [4,6) -> [4,6) kept,
    # although 2/3 would fail the paper variant's 0.8 ratio.
    source, target = pair("United Nations Organisation", "la x y z Naciones Unidas", [Span(0, 3, "ORG")])
    alignment = Alignment([(0, 5), (1, 4), (2, 0)])
    assert keys(GarciaFerreroProjector().project_one(source, target, alignment)) == [(4, 6, "ORG")]


def test_equal_groups_keep_the_leftmost() -> None:
    source, target = pair("Obama", "Obama dijo que Obama", [Span(0, 1, "PER")])
    assert keys(GarciaFerreroProjector().project_one(source, target, Alignment([(0, 0), (0, 3)]))) == [(0, 1, "PER")]


def test_one_word_gap_is_filled() -> None:
    # Targets 1 and 3 with word 2 between them: one group [1,4) with merge distance 1, two groups with 0.
    source, target = pair("Bank Spain", "el Banco de España", [Span(0, 2, "ORG")])
    alignment = Alignment([(0, 1), (1, 3)])
    assert keys(GarciaFerreroProjector().project_one(source, target, alignment)) == [(1, 4, "ORG")]
    assert keys(GarciaFerreroProjector(merge_distance=0).project_one(source, target, alignment)) == [(1, 2, "ORG")]


def test_colliding_spans_of_the_same_type_are_merged() -> None:
    # LOC A -> [1,3), LOC B -> [2,4): same type, overlapping -> one LOC [1,4).
    source, target = pair("a b c d", "w x y z", [Span(0, 2, "LOC"), Span(2, 4, "LOC")])
    alignment = Alignment([(0, 1), (1, 2), (2, 2), (3, 3)])
    assert keys(GarciaFerreroProjector().project_one(source, target, alignment)) == [(1, 4, "LOC")]


def test_colliding_spans_of_different_types_keep_the_longer_then_the_earlier() -> None:
    # PER -> [1,2), ORG -> [1,3): the longer ORG wins.
    source, target = pair("Ford Ford Motor", "x Ford Motor", [Span(0, 1, "PER"), Span(1, 3, "ORG")])
    alignment = Alignment([(0, 1), (1, 1), (2, 2)])
    assert keys(GarciaFerreroProjector().project_one(source, target, alignment)) == [(1, 3, "ORG")]
    # PER -> [0,2), LOC -> [1,3): equally long, the one further left (PER) stays.
    source, target = pair("a b c d", "w x y", [Span(0, 2, "PER"), Span(2, 4, "LOC")])
    alignment = Alignment([(0, 0), (1, 1), (2, 1), (3, 2)])
    assert keys(GarciaFerreroProjector().project_one(source, target, alignment)) == [(0, 2, "PER")]


def test_is_punctuation() -> None:
    assert is_punctuation(",") and is_punctuation("«") and is_punctuation("...") and is_punctuation("%")
    assert not is_punctuation("EFE") and not is_punctuation("3,5") and not is_punctuation("")


def test_registry_builds_it() -> None:
    assert projectors.create("garcia-ferrero").identity()["params"] == {"merge_distance": 1}
