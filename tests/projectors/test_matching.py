"""Greedy and exact matching on random alignments, with a brute-force oracle for the exact optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projection.data import Alignment
from projection.projectors.candidates import CandidateSpans, ngram_candidates
from projection.projectors.matching import Match, exact_match, greedy_match, total_score
from projection.projectors.scoring import alignment_scores, entity_link_counts

TOLERANCE = 1e-9


def brute_force_best(scores: np.ndarray, candidates: CandidateSpans) -> float:
    """Best total over every assignment of at most one candidate per entity with disjoint candidates."""
    spans = candidates.pairs()
    n_entities = scores.shape[0]

    def best_from(entity: int, taken: list[tuple[int, int]]) -> float:
        if entity == n_entities:
            return 0.0
        best = best_from(entity + 1, taken)
        for c, (s, e) in enumerate(spans):
            if scores[entity, c] > 0 and all(e <= ts or te <= s for ts, te in taken):
                best = max(best, scores[entity, c] + best_from(entity + 1, [*taken, (s, e)]))
        return best

    return best_from(0, [])


@st.composite
def problems(draw: st.DrawFn, max_src: int = 8, max_tgt: int = 7, max_entities: int = 4):
    """A random sentence pair: source entities (disjoint), random links, all target n-grams with their scores."""
    n_src = draw(st.integers(1, max_src))
    n_tgt = draw(st.integers(1, max_tgt))
    cuts = sorted(draw(st.sets(st.integers(0, n_src), min_size=2, max_size=2 * max_entities)))
    entities = [(s, e) for s, e in zip(cuts[::2], cuts[1::2], strict=False) if s < e]
    links = draw(st.lists(st.tuples(st.integers(0, n_src - 1), st.integers(0, n_tgt - 1)), max_size=3 * n_src))
    starts = np.array([s for s, _ in entities], dtype=np.int64)
    ends = np.array([e for _, e in entities], dtype=np.int64)
    counts = entity_link_counts(starts, ends, Alignment(links).matrix(n_src, n_tgt))
    candidates = ngram_candidates(["w"] * n_tgt, excluded_chars="")
    scores = alignment_scores(counts, (ends - starts).astype(float), candidates)
    return scores, candidates, counts


def assert_feasible(matches: list[Match], scores: np.ndarray, candidates: CandidateSpans) -> None:
    entities = [m.entity for m in matches]
    assert len(entities) == len(set(entities)), "an entity was projected twice"
    chosen = sorted((int(candidates.starts[m.candidate]), int(candidates.ends[m.candidate])) for m in matches)
    for (_, end), (start, _) in itertools.pairwise(chosen):
        assert end <= start, f"overlapping spans chosen: {chosen}"
    for m in matches:
        assert m.score > 0
        assert m.score == scores[m.entity, m.candidate]


@settings(max_examples=300, deadline=None)
@given(problems())
def test_exact_is_optimal_and_never_below_greedy(problem) -> None:
    scores, candidates, counts = problem
    greedy = greedy_match(scores, candidates)
    assert_feasible(greedy, scores, candidates)
    optimum = brute_force_best(scores, candidates)
    assert total_score(greedy) <= optimum + TOLERANCE
    for solver in ("auto", "dp", "milp"):
        for pruning in (counts, None):
            exact = exact_match(scores, candidates, solver=solver, link_counts=pruning)
            assert_feasible(exact, scores, candidates)
            assert total_score(exact) == pytest.approx(optimum, abs=TOLERANCE)
            assert total_score(exact) >= total_score(greedy) - TOLERANCE


def test_greedy_can_be_beaten_by_exact() -> None:
    # Entity 0 links to target words 0 and 1, entity 1 only to word 1. Greedy gives entity 0 the
    # span [0, 2) (score 1.0), which blocks entity 1; exact gives [0, 1) to 0 and [1, 2) to 1 (0.667 + 1.0).
    counts = np.array([[1.0, 1.0], [0.0, 1.0]])
    candidates = ngram_candidates(["a", "b"], excluded_chars="")
    scores = alignment_scores(counts, np.array([2.0, 1.0]), candidates)
    greedy = greedy_match(scores, candidates)
    exact = exact_match(scores, candidates, link_counts=counts)
    assert [(m.entity, candidates.pairs()[m.candidate]) for m in greedy] == [(0, (0, 2))]
    assert [(m.entity, candidates.pairs()[m.candidate]) for m in exact] == [(0, (0, 1)), (1, (1, 2))]
    assert total_score(exact) == pytest.approx(2 / 3 + 1)


def test_greedy_ties_go_to_the_earliest_entity_then_earliest_shortest_candidate() -> None:
    # Both one-word entities link to target words 0 and 2; "!" blocks longer spans, so four pairs tie at 1.0.
    counts = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]])
    candidates = ngram_candidates(["a", "!", "b"], required=counts.any(axis=0))
    scores = alignment_scores(counts, np.array([1.0, 1.0]), candidates)
    matches = greedy_match(scores, candidates)
    assert [(m.entity, candidates.pairs()[m.candidate]) for m in matches] == [(0, (0, 1)), (1, (2, 3))]


def test_no_positive_pair_means_no_match() -> None:
    candidates = ngram_candidates(["a", "b"], excluded_chars="")
    scores = np.zeros((2, len(candidates)))
    assert greedy_match(scores, candidates) == []
    assert exact_match(scores, candidates) == []


def test_many_entities_use_the_integer_programme() -> None:
    # 14 one-word entities, each linked to its own target word and to one shared last word.
    n = 14
    counts = np.zeros((n, n + 1))
    counts[np.arange(n), np.arange(n)] = 1.0
    counts[:, n] = 1.0
    candidates = ngram_candidates(["w"] * (n + 1), excluded_chars="")
    scores = alignment_scores(counts, np.ones(n), candidates)
    by_milp = exact_match(scores, candidates, link_counts=counts, max_dp_entities=4)
    by_dp = exact_match(scores, candidates, solver="dp", link_counts=counts)
    assert_feasible(by_milp, scores, candidates)
    # 13 entities on their own word (1.0 each) and the last on [13, 15) (2·2/3).
    assert total_score(by_milp) == pytest.approx(13 + 4 / 3)
    assert total_score(by_dp) == pytest.approx(total_score(by_milp))
    assert total_score(by_milp) >= total_score(greedy_match(scores, candidates)) - TOLERANCE


def test_unknown_solver_is_rejected() -> None:
    candidates = ngram_candidates(["a"], excluded_chars="")
    with pytest.raises(ValueError):
        exact_match(np.ones((1, 1)), candidates, solver="simplex")  # type: ignore[arg-type]
