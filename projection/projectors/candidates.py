"""Target-side candidate spans for candidate matching: every n-gram, or the spans an NER model predicts.

Candidates are held as two parallel integer arrays (start, exclusive end),
sorted by (start, end) and without duplicates, because scoring and matching
work on whole arrays at once. A candidate can only score above zero when it
contains a target word aligned to the entity, so the extractors take an
optional ``required`` mask and keep only candidates that contain one of its
positions: for uncapped n-grams that cuts the work from n(n+1)/2 spans to the
few that can win.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from projection.data import Span

DEFAULT_EXCLUDED_CHARS = "!?¡¿"
"""The paper excludes n-grams containing ``!`` or ``?``; the Spanish opening forms are excluded with them."""


@dataclass(frozen=True, slots=True)
class CandidateSpans:
    """Candidate target spans ``[starts[c], ends[c])``, sorted by (start, end), unique."""

    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def lengths(self) -> np.ndarray:
        return self.ends - self.starts

    def pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.starts.tolist(), self.ends.tolist(), strict=True))

    def containing_any(self, required: np.ndarray) -> CandidateSpans:
        """The candidates that contain at least one position where ``required`` is true."""
        prefix = np.concatenate(([0], np.cumsum(required, dtype=np.int64)))
        keep = prefix[self.ends] > prefix[self.starts]
        return CandidateSpans(self.starts[keep], self.ends[keep])

    @classmethod
    def empty(cls) -> CandidateSpans:
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


def excluded_positions(tokens: Sequence[str], excluded_chars: str = DEFAULT_EXCLUDED_CHARS) -> np.ndarray:
    """Boolean mask of the tokens that contain any of ``excluded_chars``."""
    excluded = frozenset(excluded_chars)
    return np.fromiter((not excluded.isdisjoint(token) for token in tokens), dtype=bool, count=len(tokens))


def ngram_candidates(
    tokens: Sequence[str],
    *,
    max_len: int | None = None,
    excluded_chars: str = DEFAULT_EXCLUDED_CHARS,
    required: np.ndarray | None = None,
) -> CandidateSpans:
    """Every n-gram of ``tokens`` (up to ``max_len`` tokens) that contains no excluded character.

    With ``required`` (a boolean mask over the tokens), only n-grams containing
    at least one required position are produced, without enumerating the rest.
    """
    n = len(tokens)
    if max_len is not None and max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    if n == 0:
        return CandidateSpans.empty()
    positions = np.arange(n, dtype=np.int64)
    bad = excluded_positions(tokens, excluded_chars)
    # next_bad[s]: the first excluded position at or after s (n when none): n-grams from s end at or before it.
    next_bad = np.minimum.accumulate(np.where(bad, positions, n)[::-1])[::-1]
    last_end = next_bad if max_len is None else np.minimum(next_bad, positions + max_len)
    if required is None:
        first_end = positions + 1
    else:
        required = np.asarray(required, dtype=bool)
        if required.shape != (n,):
            raise ValueError(f"required mask has shape {required.shape}, expected ({n},)")
        # next_required[s]: the first required position at or after s; an n-gram from s must end past it.
        next_required = np.minimum.accumulate(np.where(required, positions, n)[::-1])[::-1]
        first_end = next_required + 1
    counts = np.maximum(last_end - first_end + 1, 0)
    total = int(counts.sum())
    if total == 0:
        return CandidateSpans.empty()
    starts = np.repeat(positions, counts)
    group_offsets = np.repeat(np.cumsum(counts) - counts, counts)
    ends = np.repeat(first_end, counts) + (np.arange(total, dtype=np.int64) - group_offsets)
    return CandidateSpans(starts, ends)


def span_candidates(spans: Iterable[Span], length: int, *, required: np.ndarray | None = None) -> CandidateSpans:
    """Candidates from predicted spans (e.g. a target-side NER model's): labels are discarded, duplicates merged.

    ``length`` is the sentence length; a span past it is a labeller bug and raises ``ValueError``.
    """
    pairs = sorted({(span.start, span.end) for span in spans})
    if not pairs:
        return CandidateSpans.empty()
    if max(end for _, end in pairs) > length:
        raise ValueError(f"candidate span ends past the sentence end ({length} tokens): {pairs}")
    array = np.asarray(pairs, dtype=np.int64)
    candidates = CandidateSpans(array[:, 0].copy(), array[:, 1].copy())
    return candidates if required is None else candidates.containing_any(np.asarray(required, dtype=bool))
