"""AWESoME-style alignment (Dou and Neubig, 2021), written directly on transformers.

The two sides are embedded separately (layer 8 by default); the dot products
of source and target sub-word vectors are turned into probabilities twice, by
a softmax over the target sub-words (source -> target) and one over the source
sub-words (target -> source). A sub-word pair is linked when both
probabilities exceed ``threshold`` (0.001, AWESoME's default), and a word pair
when any of its sub-word pairs is. With AWESoME's fine-tuned checkpoint
(``aneuraz/awesome-align-with-co``) this is its extraction step; over a plain
encoder it is the same method without the fine-tuning.

The returned similarity matrix is word x word: each cell is, over the two
words' sub-word pairs, the highest of ``min(p_forward, p_backward)``; so a
word pair is linked exactly when its cell exceeds the threshold, and each
link's score is its cell.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from projection.aligners.neural import DEFAULT_ENCODER, DEFAULT_LAYER, EncoderAligner, pool_words, word_links
from projection.data import Alignment
from projection.errors import ProjectionError
from projection.subwords import SubwordOutputs

DEFAULT_THRESHOLD = 0.001


def softmax(scores: np.ndarray, axis: int) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def mutual_probabilities(src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """``min(p(tgt | src), p(src | tgt))`` for every sub-word pair, from dot-product softmaxes both ways."""
    scores = src.astype(np.float64) @ tgt.astype(np.float64).T
    return np.minimum(softmax(scores, axis=1), softmax(scores, axis=0))


class AwesomeAligner(EncoderAligner):
    """``awesome`` or ``awesome:MODEL`` (Hub id or local directory; default bert-base-multilingual-cased)."""

    name: ClassVar[str] = "awesome"

    def __init__(
        self,
        model: str = DEFAULT_ENCODER,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        layer: int = DEFAULT_LAYER,
        batch_size: int = 32,
        device: str | None = None,
        revision: str | None = None,
        max_subwords: int | None = None,
    ) -> None:
        super().__init__(
            model, layer=layer, batch_size=batch_size, device=device, revision=revision, max_subwords=max_subwords
        )
        if not 0.0 <= float(threshold) < 1.0:
            raise ProjectionError(f"The AWESoME threshold is a probability in [0, 1), not {threshold}.")
        self.threshold = float(threshold)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "threshold": self.threshold}

    def align_pair(self, src: SubwordOutputs, tgt: SubwordOutputs, n_src: int, n_tgt: int) -> Alignment:
        probabilities = mutual_probabilities(src.values, tgt.values)
        word_matrix = pool_words(probabilities, src.word_ids, tgt.word_ids, n_src, n_tgt)
        return word_links(probabilities > self.threshold, src.word_ids, tgt.word_ids, word_matrix)
