"""Choosing (entity, candidate) pairs from a score matrix: greedily, or exactly.

Both matchers use each entity at most once, never choose two overlapping
candidates, and only choose pairs with a positive score.

Greedy (the paper's "argmax"): repeatedly take the best remaining pair, then
drop its entity and every candidate overlapping its candidate. Ties go to the
lowest entity index, then the lowest candidate index; with entities in source
order and candidates sorted by (start, end), that is the earliest entity and
then the earliest, shortest candidate.

Exact: maximise the total score. Three steps keep it fast without giving up
exactness:
1. If greedy gave every entity that can score its own best pair, the greedy
   answer reaches the upper bound "sum of row maxima" and is optimal as is
   (the common case: entities aligned to different words).
2. Otherwise pairs dominated by a pair of the same entity on a sub-span are
   dropped: trimming an unlinked boundary word keeps A and shortens the span,
   so the trimmed candidate (when it is a candidate) scores strictly higher
   and conflicts with nothing the longer one did not.
3. What is left is solved by a dynamic programme over target positions with a
   bitmask of used entities (when few entities remain), else by an integer
   programme (SciPy ``milp``, HiGHS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from projection.projectors.candidates import CandidateSpans

Solver = Literal["auto", "dp", "milp"]
MAX_DP_ENTITIES = 12
"""Above this many competing entities the bitmask DP (2**k states per position) gives way to the integer programme."""


@dataclass(frozen=True, slots=True)
class Match:
    """Entity ``entity`` (row of the score matrix) projected onto candidate ``candidate`` (column)."""

    entity: int
    candidate: int
    score: float


def total_score(matches: list[Match]) -> float:
    return float(sum(match.score for match in matches))


def greedy_match(scores: np.ndarray, candidates: CandidateSpans) -> list[Match]:
    """The paper's greedy matching; see the module docstring for the tie-breaking rule."""
    if scores.size == 0:
        return []
    if scores.shape[0] == 1:  # one entity: its best candidate (the common case, without the loop)
        column = int(scores[0].argmax())
        best = float(scores[0, column])
        return [Match(0, column, best)] if best > 0 else []
    columns = np.flatnonzero((scores > 0).any(axis=0))
    if len(columns) == 0:
        return []
    work = scores[:, columns]  # a copy (fancy indexing); pairs at or below zero are never taken
    starts = candidates.starts[columns]
    ends = candidates.ends[columns]
    n_columns = len(columns)
    matches = []
    for _ in range(scores.shape[0]):
        flat = int(work.argmax())
        entity, column = divmod(flat, n_columns)
        best = work[entity, column]
        if best <= 0:
            break
        matches.append(Match(entity, int(columns[column]), float(best)))
        work[entity, :] = 0.0
        work[:, (starts < ends[column]) & (ends > starts[column])] = 0.0
    return matches


def exact_match(
    scores: np.ndarray,
    candidates: CandidateSpans,
    *,
    solver: Solver = "auto",
    link_counts: np.ndarray | None = None,
    max_dp_entities: int = MAX_DP_ENTITIES,
) -> list[Match]:
    """A set of pairs with the largest total score (each entity once, candidates disjoint).

    ``solver="auto"`` uses the greedy certificate, then the DP or the integer
    programme; ``"dp"`` and ``"milp"`` force one solver (for tests and
    benchmarks). ``link_counts`` (the entity x target-position counts the
    scores came from) enables the dominance pruning.
    """
    if solver not in ("auto", "dp", "milp"):
        raise ValueError(f"unknown solver {solver!r}; expected auto, dp or milp")
    if scores.size == 0 or not (scores > 0).any():
        return []
    if solver == "auto":
        greedy = greedy_match(scores, candidates)
        if _reaches_row_maxima(greedy, scores):
            return greedy
    entities, columns = np.nonzero(scores > 0)
    if link_counts is not None:
        keep = _undominated(entities, columns, candidates, link_counts)
        entities, columns = entities[keep], columns[keep]
    weights = scores[entities, columns]
    n_entities = len(np.unique(entities))
    use_dp = solver == "dp" or (solver == "auto" and n_entities <= max_dp_entities)
    solve = _solve_dp if use_dp else _solve_milp
    chosen = solve(entities, candidates.starts[columns], candidates.ends[columns], weights)
    return sorted(
        (Match(int(entities[p]), int(columns[p]), float(weights[p])) for p in chosen),
        key=lambda match: match.entity,
    )


def _reaches_row_maxima(matches: list[Match], scores: np.ndarray) -> bool:
    """True when every entity with a positive pair got a pair scoring its row maximum (an optimality proof)."""
    row_maxima = scores.max(axis=1)
    if sum(1 for value in row_maxima if value > 0) != len(matches):
        return False
    return all(match.score == row_maxima[match.entity] for match in matches)


def _undominated(
    entities: np.ndarray, columns: np.ndarray, candidates: CandidateSpans, link_counts: np.ndarray
) -> np.ndarray:
    """Mask of pairs not beaten by the same entity on the candidate one boundary word shorter."""
    n_tgt = link_counts.shape[1]
    lookup = np.full((n_tgt + 1, n_tgt + 1), -1, dtype=np.int64)
    lookup[candidates.starts, candidates.ends] = np.arange(len(candidates))
    starts, ends = candidates.starts[columns], candidates.ends[columns]
    longer = ends - starts > 1
    first_unlinked = link_counts[entities, starts] == 0
    last_unlinked = link_counts[entities, ends - 1] == 0
    trim_front = longer & first_unlinked & (lookup[np.minimum(starts + 1, n_tgt), ends] >= 0)
    trim_back = longer & last_unlinked & (lookup[starts, ends - 1] >= 0)
    return ~(trim_front | trim_back)


def _solve_dp(entities: np.ndarray, starts: np.ndarray, ends: np.ndarray, weights: np.ndarray) -> list[int]:
    """Exact weighted interval packing with one use per entity: DP over positions x used-entity bitmask."""
    entity_ids, entity_index = np.unique(entities, return_inverse=True)
    n_masks = 1 << len(entity_ids)
    masks = np.arange(n_masks)
    points, point_index = np.unique(np.concatenate((starts, ends)), return_inverse=True)
    start_point, end_point = point_index[: len(starts)], point_index[len(starts) :]
    by_start: dict[int, list[int]] = {}
    for pair, point in enumerate(start_point.tolist()):
        by_start.setdefault(point, []).append(pair)
    # best[i, mask]: the best total from candidates starting at points[i] or later, using no entity in mask.
    best = np.zeros((len(points), n_masks))
    choice = np.full((len(points), n_masks), -1, dtype=np.int64)
    for i in range(len(points) - 2, -1, -1):
        current = best[i + 1].copy()
        current_choice = np.full(n_masks, -1, dtype=np.int64)
        for pair in by_start.get(i, []):
            bit = 1 << int(entity_index[pair])
            value = np.where(masks & bit, -np.inf, best[end_point[pair]][masks | bit] + weights[pair])
            better = value > current
            current = np.where(better, value, current)
            current_choice = np.where(better, pair, current_choice)
        best[i] = current
        choice[i] = current_choice
    chosen = []
    i, mask = 0, 0
    while i < len(points):
        pair = int(choice[i, mask])
        if pair < 0:
            i += 1
            continue
        chosen.append(pair)
        mask |= 1 << int(entity_index[pair])
        i = int(end_point[pair])
    return chosen


def _solve_milp(entities: np.ndarray, starts: np.ndarray, ends: np.ndarray, weights: np.ndarray) -> list[int]:
    """The same problem as an integer programme: at most one pair per entity and per covered position.

    Two spans overlap exactly when the later start lies inside both, so one
    constraint per distinct start position suffices.
    """
    n_pairs = len(weights)
    entity_ids, entity_row = np.unique(entities, return_inverse=True)
    positions = np.unique(starts)
    covers = (starts[None, :] <= positions[:, None]) & (ends[None, :] > positions[:, None])
    position_row, position_pair = np.nonzero(covers)
    rows = np.concatenate((entity_row, len(entity_ids) + position_row))
    cols = np.concatenate((np.arange(n_pairs), position_pair))
    matrix = coo_array((np.ones(len(rows)), (rows, cols)), shape=(len(entity_ids) + len(positions), n_pairs))
    result = milp(
        c=-weights,
        constraints=LinearConstraint(matrix.tocsr(), -np.inf, 1.0),
        integrality=np.ones(n_pairs),
        bounds=Bounds(0.0, 1.0),
    )
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"the integer programme for exact matching failed: {result.message}")
    return np.flatnonzero(result.x > 0.5).tolist()
