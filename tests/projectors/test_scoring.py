"""c(e, t) = 2·A(e, t) / (|e| + |t|) computed with prefix sums, checked against counting links directly."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from projection.data import Alignment
from projection.projectors.candidates import ngram_candidates
from projection.projectors.scoring import alignment_scores, entity_link_counts


def scores_for(entities: list[tuple[int, int]], links: list[tuple[int, int]], n_src: int, tokens: list[str]):
    starts = np.array([s for s, _ in entities], dtype=np.int64)
    ends = np.array([e for _, e in entities], dtype=np.int64)
    counts = entity_link_counts(starts, ends, Alignment(links).matrix(n_src, len(tokens)))
    candidates = ngram_candidates(tokens, excluded_chars="")
    return alignment_scores(counts, (ends - starts).astype(float), candidates), candidates


def test_worked_example() -> None:
    # Source "the European Union said", entity "European Union" = [1, 3).
    # Target "la Unión Europea dijo": European->Europea, Union->Unión, said->dijo.
    links = [(0, 0), (1, 2), (2, 1), (3, 3)]
    scores, candidates = scores_for([(1, 3)], links, 4, ["la", "Unión", "Europea", "dijo"])
    by_span = dict(zip(candidates.pairs(), scores[0], strict=True))
    assert by_span[(1, 3)] == 1.0  # 2*2/(2+2)
    assert by_span[(1, 2)] == 2 * 1 / 3
    assert by_span[(0, 3)] == 2 * 2 / 5
    assert by_span[(3, 4)] == 0.0


def test_duplicate_links_count_once() -> None:
    scores, _ = scores_for([(0, 1)], [(0, 0), (0, 0)], 1, ["x"])
    assert scores[0, 0] == 1.0


@given(st.data())
def test_prefix_sum_scores_equal_direct_counts(data: st.DataObject) -> None:
    n_src = data.draw(st.integers(1, 8))
    n_tgt = data.draw(st.integers(1, 8))
    links = data.draw(st.lists(st.tuples(st.integers(0, n_src - 1), st.integers(0, n_tgt - 1)), max_size=20))
    entities = data.draw(
        st.lists(st.tuples(st.integers(0, n_src - 1), st.integers(1, n_src)).filter(lambda p: p[0] < p[1]), max_size=4)
    )
    tokens = ["w"] * n_tgt
    scores, candidates = scores_for(entities, links, n_src, tokens)
    unique_links = set(links)
    for k, (es, ee) in enumerate(entities):
        for c, (cs, ce) in enumerate(candidates.pairs()):
            a = sum(1 for i, j in unique_links if es <= i < ee and cs <= j < ce)
            assert scores[k, c] == 2 * a / ((ee - es) + (ce - cs))
