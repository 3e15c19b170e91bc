"""Sharing a data set's sentences out among reviewers, with some given to two of them for agreement."""

from __future__ import annotations

import random
from collections.abc import Sequence

from projection.errors import ProjectionError


def clean_reviewers(names: Sequence[str]) -> list[str]:
    """Reviewer names as typed: stripped, blanks dropped, each name once, in the order given."""
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def plan_assignments(
    sentence_ids: Sequence[str], reviewers: Sequence[str], *, overlap: float, seed: int = 0
) -> dict[str, list[str]]:
    """Reviewer -> sentence ids: every sentence to one reviewer, and a share ``overlap`` (0 to 1) of them,
    drawn at random, to a second one too.

    Loads are even (they differ by at most one sentence of each kind), the
    doubly reviewed sentences are spread over every pair of reviewers, and
    each list keeps the data set's order. The same ids, reviewers and seed
    always give the same plan.
    """
    names = clean_reviewers(reviewers)
    if not names:
        raise ProjectionError("Name at least one reviewer to share the sentences out to.")
    if not 0 <= overlap <= 1:
        raise ProjectionError(f"The overlap is a share of the sentences, from 0 to 1 (0% to 100%), not {overlap}.")
    if overlap > 0 and len(names) < 2:
        raise ProjectionError("Sentences can be reviewed twice only with at least two reviewers.")
    position = {sentence_id: index for index, sentence_id in enumerate(sentence_ids)}
    shuffled = list(position)
    random.Random(seed).shuffle(shuffled)
    n_double = round(overlap * len(shuffled))
    given: dict[str, list[str]] = {name: [] for name in names}
    for index, sentence_id in enumerate(shuffled):
        first = index % len(names)
        given[names[first]].append(sentence_id)
        if index < n_double:
            # the partner turns with every round of reviewers, so every pair gets doubly reviewed sentences
            shift = 1 + (index // len(names)) % (len(names) - 1)
            given[names[(first + shift) % len(names)]].append(sentence_id)
    return {name: sorted(ids, key=position.__getitem__) for name, ids in given.items()}
