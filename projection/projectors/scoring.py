"""The candidate-matching score c(e, t) = 2·A(e, t) / (|e| + |t|), for every (entity, candidate) pair at once.

A(e, t) is the number of alignment links between words of source entity e
and words of target candidate t. Per entity we count, for every target
position, the links arriving from the entity's words; a prefix sum over those
counts then gives A for any candidate as one subtraction, so a sentence's
whole score matrix costs a few array operations whatever the number of
candidates (uncapped n-grams included).
"""

from __future__ import annotations

import numpy as np

from projection.projectors.candidates import CandidateSpans


def entity_link_counts(entity_starts: np.ndarray, entity_ends: np.ndarray, link_matrix: np.ndarray) -> np.ndarray:
    """``counts[k, j]``: links from words of entity k (``[starts[k], ends[k])``) to target word j.

    ``link_matrix`` is the boolean ``(n_src, n_tgt)`` alignment (duplicate links count once).
    """
    n_src = link_matrix.shape[0]
    source_positions = np.arange(n_src)
    membership = (source_positions[None, :] >= entity_starts[:, None]) & (
        source_positions[None, :] < entity_ends[:, None]
    )
    return membership.astype(np.float64) @ link_matrix.astype(np.float64)


def alignment_scores(link_counts: np.ndarray, entity_lengths: np.ndarray, candidates: CandidateSpans) -> np.ndarray:
    """The ``(entities, candidates)`` matrix of c(e, t) from :func:`entity_link_counts`."""
    n_entities, n_tgt = link_counts.shape
    prefix = np.zeros((n_entities, n_tgt + 1))
    np.cumsum(link_counts, axis=1, out=prefix[:, 1:])
    links_inside = prefix[:, candidates.ends] - prefix[:, candidates.starts]
    return 2.0 * links_inside / (entity_lengths[:, None] + candidates.lengths[None, :])
