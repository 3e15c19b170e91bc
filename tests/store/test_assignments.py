"""Sharing sentences out among reviewers with an overlap for agreement."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from projection.errors import ProjectionError
from projection.store.assignments import clean_reviewers, plan_assignments

IDS = [f"s{k}" for k in range(100)]


def test_every_sentence_goes_to_one_reviewer_and_the_overlap_to_two() -> None:
    plan = plan_assignments(IDS, ["ana", "ben", "carla"], overlap=0.2, seed=3)
    counts = Counter(sentence_id for ids in plan.values() for sentence_id in ids)
    assert set(counts) == set(IDS)
    assert Counter(counts.values()) == {1: 80, 2: 20}
    assert max(map(len, plan.values())) - min(map(len, plan.values())) <= 2
    for ids in plan.values():
        assert ids == sorted(ids, key=IDS.index)  # each list in the data set's order
    pairs = Counter(
        frozenset(pair) for sentence_id in IDS for pair in itertools.combinations(
            [name for name, ids in plan.items() if sentence_id in ids], 2
        )
    )  # fmt: skip
    assert set(pairs) == {frozenset(pair) for pair in itertools.combinations(["ana", "ben", "carla"], 2)}
    assert plan == plan_assignments(IDS, ["ana", "ben", "carla"], overlap=0.2, seed=3)
    assert plan != plan_assignments(IDS, ["ana", "ben", "carla"], overlap=0.2, seed=4)


def test_names_are_cleaned_and_impossible_plans_refused() -> None:
    assert clean_reviewers([" ana", "", "ben ", "ana"]) == ["ana", "ben"]
    assert plan_assignments(IDS[:4], ["ana"], overlap=0) == {"ana": IDS[:4]}
    with pytest.raises(ProjectionError, match="at least one reviewer"):
        plan_assignments(IDS, [" "], overlap=0)
    with pytest.raises(ProjectionError, match="at least two reviewers"):
        plan_assignments(IDS, ["ana"], overlap=0.1)
    with pytest.raises(ProjectionError, match="from 0 to 1"):
        plan_assignments(IDS, ["ana", "ben"], overlap=1.5)
