"""SimAlign (Jalili Sabet et al., 2020): word alignment from the cosine similarity of encoder embeddings.

Each side is embedded on its own; the similarity of a source and a target
unit is ``(cos + 1) / 2``; links are read off that matrix by one of three
methods:

- ``argmax`` (SimAlign's "inter"): (i, j) where j is i's most similar unit and
  i is j's;
- ``itermax`` (the default): argmax, then further rounds of argmax restricted
  to units still unaligned on at least one side, with a pair whose one side is
  already aligned down-weighted by 0.9 (two rounds in all, as the reference
  implementation does; a pair with a side of at most two units keeps the
  first round only);
- ``match`` (SimAlign's "mwmf"): the one-to-one matching of maximum total
  similarity (:func:`scipy.optimize.linear_sum_assignment`).

Units are sub-words (``level="subword"``, the paper's best setting: a word
pair is linked when any of their sub-words are) or words (``level="word"``,
each word the mean of its sub-word vectors). The pure-numpy methods replace
the ``simalign`` package so that sentences are encoded in batches rather than
one pair per forward pass. The returned similarity matrix is word x word:
for sub-word level each cell is the highest similarity among the two words'
sub-words; each link's score is its cell.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy.optimize import linear_sum_assignment

from projection.aligners.neural import (
    DEFAULT_ENCODER,
    DEFAULT_LAYER,
    EncoderAligner,
    average_words,
    pool_words,
    word_links,
)
from projection.data import Alignment
from projection.errors import ProjectionError
from projection.subwords import SubwordOutputs

METHODS = ("itermax", "argmax", "match")
LEVELS = ("subword", "word")
_METHOD_ALIASES = {"inter": "argmax", "mwmf": "match", "i": "itermax", "a": "argmax", "m": "match"}
_LEVEL_ALIASES = {"bpe": "subword", "sub-word": "subword", "subwords": "subword", "words": "word"}

ITERMAX_ROUNDS = 2
ITERMAX_ALPHA = 0.9


def cosine_similarity01(src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """``(cos + 1) / 2`` of every row of ``src`` with every row of ``tgt``: values in [0, 1]."""
    src_unit = src / np.maximum(np.linalg.norm(src, axis=1, keepdims=True), 1e-12)
    tgt_unit = tgt / np.maximum(np.linalg.norm(tgt, axis=1, keepdims=True), 1e-12)
    return (src_unit @ tgt_unit.T + 1.0) / 2.0


def argmax_links(similarity: np.ndarray) -> np.ndarray:
    """Cells that are the maximum of both their row and their column (first maximum on ties)."""
    rows, cols = similarity.shape
    forward = np.zeros((rows, cols), dtype=bool)
    forward[np.arange(rows), similarity.argmax(axis=1)] = True
    backward = np.zeros((rows, cols), dtype=bool)
    backward[similarity.argmax(axis=0), np.arange(cols)] = True
    return forward & backward


def itermax_links(similarity: np.ndarray, rounds: int = ITERMAX_ROUNDS, alpha: float = ITERMAX_ALPHA) -> np.ndarray:
    """Argmax, then up to ``rounds - 1`` more argmax rounds over pairs that are not aligned on both sides."""
    links = argmax_links(similarity)
    if min(similarity.shape) <= 2:
        return links
    for _ in range(rounds - 1):
        src_done = links.any(axis=1)[:, None]
        tgt_done = links.any(axis=0)[None, :]
        if src_done.all() or tgt_done.all():
            break
        both_done = src_done & tgt_done
        weight = np.where(both_done, 0.0, np.where(src_done | tgt_done, alpha, 1.0))
        new = argmax_links(similarity * weight) & ~both_done
        if not new.any():
            break
        links |= new
    return links


def match_links(similarity: np.ndarray) -> np.ndarray:
    """The maximum-weight one-to-one matching (min(rows, cols) links)."""
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    links = np.zeros(similarity.shape, dtype=bool)
    links[rows, cols] = True
    return links


_LINKERS = {"itermax": itermax_links, "argmax": argmax_links, "match": match_links}


class SimAlignAligner(EncoderAligner):
    """SimAlign over any encoder: ``simalign:bert-base-multilingual-cased`` or ``simalign:/local/dir``."""

    name: ClassVar[str] = "simalign"

    def __init__(
        self,
        model: str = DEFAULT_ENCODER,
        *,
        method: str = "itermax",
        level: str = "subword",
        layer: int = DEFAULT_LAYER,
        batch_size: int = 32,
        device: str | None = None,
        revision: str | None = None,
        max_subwords: int | None = None,
    ) -> None:
        super().__init__(
            model, layer=layer, batch_size=batch_size, device=device, revision=revision, max_subwords=max_subwords
        )
        self.method = _METHOD_ALIASES.get(method, method)
        self.level = _LEVEL_ALIASES.get(level, level)
        if self.method not in METHODS:
            raise ProjectionError(f"Unknown SimAlign method {method!r}; choose one of {', '.join(METHODS)}.")
        if self.level not in LEVELS:
            raise ProjectionError(f"Unknown SimAlign level {level!r}; choose one of {', '.join(LEVELS)}.")

    def params(self) -> dict[str, Any]:
        return {**super().params(), "method": self.method, "level": self.level}

    def align_pair(self, src: SubwordOutputs, tgt: SubwordOutputs, n_src: int, n_tgt: int) -> Alignment:
        link = _LINKERS[self.method]
        if self.level == "word":
            similarity = cosine_similarity01(
                average_words(src.values, src.word_ids, n_src), average_words(tgt.values, tgt.word_ids, n_tgt)
            ).astype(np.float32)
            return word_links(link(similarity), np.arange(n_src), np.arange(n_tgt), similarity)
        similarity = cosine_similarity01(src.values, tgt.values)
        word_matrix = pool_words(similarity, src.word_ids, tgt.word_ids, n_src, n_tgt)
        return word_links(link(similarity), src.word_ids, tgt.word_ids, word_matrix)
