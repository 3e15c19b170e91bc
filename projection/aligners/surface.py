"""A same-language aligner from word forms alone, for back-translation refinement.

A sentence and its back-translation share most of their words, so matching
surface forms is a fair aligner there, needs no model and works one sentence
at a time. Two words are similar when they are equal after case and accent
folding (similarity 1), or share a prefix covering at least ``min_prefix`` of
the longer word (Spanish and most languages inflect at the end:
``visitó``/``visitado``). Links are the mutual best pairs; among equally
similar words the one at the nearer relative position wins, so repeated
function words (``de``, ``la``) link in order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

from projection.aligners import Aligner
from projection.data import Alignment
from projection.errors import ProjectionError

DISTORTION = 0.1
"""Weight of the relative-position distance: small enough never to beat a better word match."""


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_similarity(a: str, b: str, min_prefix: float) -> float:
    """1 for equal folded forms; shared-prefix share of the longer word if at least ``min_prefix``; else 0."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 4:
        return 0.0
    shared = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    share = shared / max(len(a), len(b))
    return share if share >= min_prefix else 0.0


class SurfaceAligner(Aligner):
    """``surface``: mutual-best links between identical or prefix-similar words of two same-language sentences."""

    name = "surface"

    def __init__(self, min_prefix: float | str = 0.5) -> None:
        try:
            self.min_prefix = float(min_prefix)
        except ValueError:
            self.min_prefix = -1.0
        if not 0.0 < self.min_prefix <= 1.0:
            raise ProjectionError(
                f"The surface aligner's min_prefix must be a number in (0, 1], got {min_prefix!r} "
                "(e.g. 'surface:0.6': words sharing a prefix of 60% of the longer word link)."
            )

    def params(self) -> dict[str, Any]:
        return {"min_prefix": self.min_prefix, "distortion": DISTORTION}

    def align(self, src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]]) -> list[Alignment]:
        if len(src) != len(tgt):
            raise ProjectionError(
                f"Cannot align {len(src)} source sentences with {len(tgt)} target sentences: "
                "the two sides must have one sentence per pair."
            )
        return [self.align_pair(s, t) for s, t in zip(src, tgt, strict=True)]

    def align_pair(self, src: Sequence[str], tgt: Sequence[str]) -> Alignment:
        if not src or not tgt:
            return Alignment()
        folded_src = [fold(word) for word in src]
        folded_tgt = [fold(word) for word in tgt]
        similarity = np.array([[word_similarity(a, b, self.min_prefix) for b in folded_tgt] for a in folded_src])
        relative_src = np.arange(len(src)) / max(len(src) - 1, 1)
        relative_tgt = np.arange(len(tgt)) / max(len(tgt) - 1, 1)
        distance = np.abs(relative_src[:, None] - relative_tgt[None, :])
        score = np.where(similarity > 0, similarity - DISTORTION * distance, -np.inf)
        best_tgt = score.argmax(axis=1)
        best_src = score.argmax(axis=0)
        rows = np.arange(len(src))
        mutual = (best_src[best_tgt] == rows) & np.isfinite(score[rows, best_tgt])
        links = [(int(i), int(best_tgt[i])) for i in rows[mutual]]
        return Alignment(links, scores=[float(similarity[i, j]) for i, j in links])
