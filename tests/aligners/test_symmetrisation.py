"""Symmetrisation heuristics on small link sets whose answers are worked out by hand below."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projection.aligners.symmetrisation import (
    SYMMETRISATIONS,
    grow_diag,
    grow_diag_final,
    grow_diag_final_and,
    intersection,
    symmetrise,
    union,
)
from projection.errors import ProjectionError


def test_intersection_and_union_of_a_crossing_pair() -> None:
    # forward says source 1 -> target 2, reverse says source 1 -> target 1; both agree on (0,0) and (2,1).
    forward = [(0, 0), (1, 2), (2, 1)]
    reverse = [(0, 0), (1, 1), (2, 1)]
    assert intersection(forward, reverse) == [(0, 0), (2, 1)]
    assert union(forward, reverse) == [(0, 0), (1, 1), (1, 2), (2, 1)]


def test_grow_diag_adds_diagonal_then_chained_neighbours() -> None:
    # Start {(0,0), (2,1)}. Visiting (0,0): its diagonal (1,1) is in the union and source 1 is
    # unaligned -> added. Visiting (1,1): (1,2) is in the union and target 2 is unaligned -> added.
    # Every union link is then in, so grow-diag and both finals give the union.
    forward = [(0, 0), (1, 2), (2, 1)]
    reverse = [(0, 0), (1, 1), (2, 1)]
    expected = [(0, 0), (1, 1), (1, 2), (2, 1)]
    assert grow_diag(forward, reverse) == expected
    assert grow_diag_final(forward, reverse) == expected
    assert grow_diag_final_and(forward, reverse) == expected


def test_grow_diag_never_adds_a_link_between_two_aligned_words() -> None:
    # (0,1) neighbours (0,0) but source 0 and target 1 are both already aligned.
    forward = [(0, 0), (1, 1)]
    reverse = [(0, 0), (0, 1), (1, 1)]
    assert grow_diag(forward, reverse) == [(0, 0), (1, 1)]
    assert grow_diag_final(forward, reverse) == [(0, 0), (1, 1)]
    assert union(forward, reverse) == [(0, 0), (0, 1), (1, 1)]


def test_final_and_needs_both_words_unaligned_and_takes_forward_first() -> None:
    # Intersection {(0,0)}; the other union links (1,2) and (2,2) touch no neighbour of it,
    # so grow-diag keeps {(0,0)}.
    # final: forward (1,2) has source 1 unaligned -> in; reverse (2,2) has source 2 unaligned -> in.
    # final-and: forward (1,2): both unaligned -> in; reverse (2,2): target 2 now aligned -> out.
    forward = [(0, 0), (1, 2)]
    reverse = [(0, 0), (2, 2)]
    assert grow_diag(forward, reverse) == [(0, 0)]
    assert grow_diag_final(forward, reverse) == [(0, 0), (1, 2), (2, 2)]
    assert grow_diag_final_and(forward, reverse) == [(0, 0), (1, 2)]


@pytest.mark.parametrize("seed", [[(0, 0)], [(3, 3)]])
def test_growth_follows_a_diagonal_chain_in_both_directions(seed: list[tuple[int, int]]) -> None:
    # The union is the diagonal 0..3; the intersection is one end of it. From (3,3) growth runs
    # towards earlier cells, which are only visited in a later sweep.
    diagonal = [(k, k) for k in range(4)]
    assert grow_diag(diagonal, seed) == diagonal
    assert grow_diag(seed, diagonal) == diagonal


def test_empty_input_gives_no_links() -> None:
    for method in SYMMETRISATIONS:
        assert symmetrise([], [], method) == []


def test_forward_and_reverse_pass_one_direction_through() -> None:
    assert symmetrise([(1, 0), (0, 1)], [(0, 0)], "forward") == [(0, 1), (1, 0)]
    assert symmetrise([(1, 0)], [(0, 0)], "reverse") == [(0, 0)]


def test_unknown_method_is_a_user_error_listing_the_choices() -> None:
    with pytest.raises(ProjectionError, match="grow-diag-final-and"):
        symmetrise([], [], "grow-diagonal")


links = st.sets(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=20)


@given(links, links)
def test_every_heuristic_lies_between_intersection_and_union(forward: set, reverse: set) -> None:
    low, high = set(intersection(forward, reverse)), set(union(forward, reverse))
    grown = set(grow_diag(forward, reverse))
    assert low <= grown <= high
    for method in ("grow-diag-final", "grow-diag-final-and"):
        result = set(symmetrise(forward, reverse, method))
        assert grown <= result <= high
