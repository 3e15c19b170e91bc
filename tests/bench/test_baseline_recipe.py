from __future__ import annotations

import importlib.util
from pathlib import Path

from projection.data import Span

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("baseline_recipe", REPO / "bench" / "baseline_recipe.py")
assert spec is not None and spec.loader is not None
baseline_recipe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(baseline_recipe)
hull_projection = baseline_recipe.hull_projection


def keys(spans):
    return [(s.start, s.end, s.label) for s in spans]


def test_hull_of_the_intersection_links():
    # "New York" (0-2) linked to target words 3 and 5: the hull 3-6 takes the word in between.
    entities = [Span(0, 2, "LOC")]
    assert keys(hull_projection(entities, [(0, 3), (1, 5)], [(0, 3), (1, 5), (1, 9)], 10)) == [(3, 6, "LOC")]


def test_union_links_only_where_the_intersection_has_none():
    entities = [Span(0, 1, "PER"), Span(2, 3, "ORG")]
    intersection = [(0, 1)]
    union = [(0, 1), (0, 2), (2, 4)]
    assert keys(hull_projection(entities, intersection, union, 6)) == [(1, 2, "PER"), (4, 5, "ORG")]


def test_hulls_longer_than_twice_the_entity_plus_two_are_refused():
    entity = [Span(0, 1, "PER")]
    assert keys(hull_projection(entity, [(0, 2), (0, 5)], [], 10)) == [(2, 6, "PER")]  # length 4 = 2*1+2
    assert hull_projection(entity, [(0, 2), (0, 6)], [], 10) == []  # length 5
    assert hull_projection([Span(0, 1, "LOC")], [], [], 4) == []  # unaligned: not projected


def test_an_overlapping_hull_is_dropped_and_links_beyond_the_target_ignored():
    entities = [Span(0, 1, "PER"), Span(1, 2, "LOC")]
    assert keys(hull_projection(entities, [(0, 2), (1, 3), (1, 7)], [], 5)) == [(2, 3, "PER"), (3, 4, "LOC")]
    assert keys(hull_projection(entities, [(0, 2), (1, 2), (1, 3)], [], 5)) == [(2, 3, "PER")]
