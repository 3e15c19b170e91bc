"""What the embedding-based aligners share: one encoder, one layer, batched sub-word embeddings.

SimAlign and AWESoME both embed the two sides of a pair *separately* with a
multilingual encoder, take one hidden layer's sub-word vectors, compare every
source sub-word with every target sub-word and read links off that matrix;
they differ only in the comparison and the reading. This base class does the
shared part for a whole batch at once: every source and target sentence goes
through :func:`projection.subwords.encode_words` together (sorted by length,
padded, ``batch_size`` per forward pass), and each pair is then linked by the
subclass's :meth:`EncoderAligner.align_pair`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

from projection.aligners import Aligner
from projection.data import Alignment
from projection.errors import ProjectionError
from projection.models import LoadedModel, load_model, model_versions
from projection.subwords import SubwordOutputs, encode_words

DEFAULT_ENCODER = "bert-base-multilingual-cased"
DEFAULT_LAYER = 8


class EncoderAligner(Aligner):
    """An aligner over layer ``layer`` of an encoder (Hub id or local directory), loaded on first use."""

    def __init__(
        self,
        model: str = DEFAULT_ENCODER,
        *,
        layer: int = DEFAULT_LAYER,
        batch_size: int = 32,
        device: str | None = None,
        revision: str | None = None,
        max_subwords: int | None = None,
    ) -> None:
        if int(layer) < 0:
            raise ProjectionError(f"layer must be 0 (the embeddings) or a transformer layer number, not {layer}.")
        if int(batch_size) < 1:
            raise ProjectionError(f"batch_size must be at least 1, not {batch_size}.")
        self.model_name = model
        self.layer = int(layer)
        self.batch_size = int(batch_size)
        self.device = device
        self.revision = revision
        self.max_subwords = max_subwords

    def params(self) -> dict[str, Any]:
        return {"model": self.model_name, "layer": self.layer}

    def versions(self) -> dict[str, str]:
        return model_versions(self.model_name, revision=self.revision)

    def encoder(self) -> LoadedModel:
        """The encoder, loaded once per process; its depth is checked against ``layer``."""
        loaded = load_model(
            self.model_name,
            "encoder",
            revision=self.revision,
            device=self.device,
            purpose=f"{self.name} aligner",
            spec_name=self.name,
        )
        depth = getattr(loaded.config, "num_hidden_layers", None)
        if depth is not None and self.layer > depth:
            raise ProjectionError(
                f"The {self.name} aligner asks for layer {self.layer}, but {self.model_name!r} has only {depth} "
                f"layers; choose a layer from 0 to {depth} (option layer)."
            )
        return loaded

    def embed(self, sentences: Sequence[Sequence[str]]) -> list[SubwordOutputs]:
        """Layer ``layer`` sub-word vectors of every sentence, encoded ``batch_size`` sentences per forward pass."""
        loaded = self.encoder()

        def hidden_layer(encoding: Any) -> Any:
            return loaded.model(**encoding, output_hidden_states=True).hidden_states[self.layer]

        return encode_words(loaded, sentences, hidden_layer, batch_size=self.batch_size, max_subwords=self.max_subwords)

    def align(self, src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]]) -> list[Alignment]:
        if len(src) != len(tgt):
            raise ProjectionError(
                f"The aligner got {len(src)} source and {len(tgt)} target sentences; they must pair up one to one."
            )
        if not src:
            return []
        vectors = self.embed([*src, *tgt])
        n = len(src)
        alignments = []
        for k in range(n):
            n_src, n_tgt = len(src[k]), len(tgt[k])
            if n_src == 0 or n_tgt == 0:
                alignments.append(Alignment(links=[], scores=[], similarity=np.zeros((n_src, n_tgt), np.float32)))
            else:
                alignments.append(self.align_pair(vectors[k], vectors[n + k], n_src, n_tgt))
        return alignments

    @abstractmethod
    def align_pair(self, src: SubwordOutputs, tgt: SubwordOutputs, n_src: int, n_tgt: int) -> Alignment:
        """Link one pair of non-empty sentences from their sub-word vectors."""


def pool_words(matrix: np.ndarray, src_words: np.ndarray, tgt_words: np.ndarray, n_src: int, n_tgt: int) -> np.ndarray:
    """A sub-word x sub-word matrix -> word x word (float32), each cell the maximum over the two words' sub-words."""
    return _pool_rows(_pool_rows(matrix, src_words, n_src).T, tgt_words, n_tgt).T.astype(np.float32)


def _pool_rows(matrix: np.ndarray, words: np.ndarray, n_words: int) -> np.ndarray:
    pooled = np.zeros((n_words, matrix.shape[1]), dtype=matrix.dtype)
    if len(words):
        present, starts = np.unique(words, return_index=True)
        pooled[present] = np.maximum.reduceat(matrix, starts, axis=0)
    return pooled


def average_words(values: np.ndarray, words: np.ndarray, n_words: int) -> np.ndarray:
    """Sub-word vectors -> one vector per word, the mean of its sub-words (zeros for a word without any)."""
    sums = np.zeros((n_words, values.shape[1]), dtype=np.float64)
    np.add.at(sums, words, values)
    counts = np.bincount(words, minlength=n_words).astype(np.float64)
    return (sums / np.maximum(counts, 1.0)[:, None]).astype(np.float32)


def word_links(linked: np.ndarray, src_words: np.ndarray, tgt_words: np.ndarray, word_matrix: np.ndarray) -> Alignment:
    """Boolean sub-word links -> sorted word links, each scored by ``word_matrix``, which is kept as the similarity."""
    rows, cols = np.nonzero(linked)
    pairs = sorted({(int(src_words[a]), int(tgt_words[b])) for a, b in zip(rows, cols, strict=True)})
    return Alignment(
        links=pairs, scores=[float(word_matrix[i, j]) for i, j in pairs], similarity=word_matrix.astype(np.float32)
    )
