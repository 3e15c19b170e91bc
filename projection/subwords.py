"""Pre-split words through a sub-word encoder, in batches, without ever truncating a sentence.

The labeller and the neural aligners both need one model output per sub-word
and the word each sub-word belongs to. Sentences longer than the model's
position limit are cut into windows of whole words that fit, encoded
independently and stitched back, so every word gets an output. Windows of
all sentences are sorted by length and encoded ``batch_size`` at a time
(padding plus attention mask), which is what makes a corpus fast.

A word the tokenizer turns into nothing (a lone control or zero-width
character) is encoded as the unknown token, so that every word owns at least
one sub-word and the word indices stay aligned with the caller's tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from projection.models import LoadedModel

Forward = Callable[[Mapping[str, Any]], Any]
"""Encoded batch (input_ids, attention_mask ... on the model's device) -> tensor (batch, sequence, ...)."""

DEFAULT_POSITIONS = 512


@dataclass(frozen=True, slots=True)
class SubwordOutputs:
    """One sentence's model outputs: a row per sub-word, and the word each row belongs to."""

    values: np.ndarray
    word_ids: np.ndarray

    def first_subword_rows(self, n_words: int) -> np.ndarray:
        """Row of each word's first sub-word (-1 for a word without one)."""
        rows = np.full(n_words, -1, dtype=np.int64)
        words, first = np.unique(self.word_ids, return_index=True)
        rows[words] = first
        return rows


def subword_limit(loaded: LoadedModel) -> int:
    """How many sub-words of text fit in one sequence of the model, special tokens excluded."""
    positions = _position_limit(loaded.model)
    tokenizer_limit = getattr(loaded.tokenizer, "model_max_length", None)
    if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < positions:
        positions = tokenizer_limit
    return max(1, positions - loaded.tokenizer.num_special_tokens_to_add(pair=False))


def _position_limit(model: Any) -> int:
    """Learned positions the model has; RoBERTa-style models lose the first ``padding_idx + 1`` of them."""
    for name, module in model.named_modules():
        if name.endswith("position_embeddings") and hasattr(module, "num_embeddings"):
            padding = getattr(module, "padding_idx", None)
            return int(module.num_embeddings) - (int(padding) + 1 if padding is not None else 0)
    return int(getattr(model.config, "max_position_embeddings", None) or DEFAULT_POSITIONS)


def encode_words(
    loaded: LoadedModel,
    sentences: Sequence[Sequence[str]],
    forward: Forward,
    *,
    batch_size: int,
    max_subwords: int | None = None,
) -> list[SubwordOutputs]:
    """``forward`` over every sentence's sub-words, batched, in windows of at most ``max_subwords``.

    ``max_subwords`` defaults to the model's limit (:func:`subword_limit`).
    Empty sentences get empty outputs.
    """
    import torch

    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    limit = max_subwords or subword_limit(loaded)
    words, counts = _prepare(loaded.tokenizer, sentences)
    windows = [
        (index, start, end, count)
        for index, sentence_counts in enumerate(counts)
        for start, end, count in _windows(sentence_counts, limit)
    ]
    windows.sort(key=lambda window: -window[3])
    pieces: list[list[tuple[int, np.ndarray, np.ndarray]]] = [[] for _ in sentences]
    specials = loaded.tokenizer.num_special_tokens_to_add(pair=False)
    with torch.inference_mode():
        for first in range(0, len(windows), batch_size):
            batch = windows[first : first + batch_size]
            encoding = loaded.tokenizer(
                [words[index][start:end] for index, start, end, _ in batch],
                is_split_into_words=True,
                padding=True,
                truncation=True,
                max_length=limit + specials,
                return_tensors="pt",
            )
            output = forward(encoding.to(loaded.device))
            for row, (index, start, _, _) in enumerate(batch):
                ids = encoding.word_ids(row)
                positions = [position for position, word in enumerate(ids) if word is not None]
                values = output[row, positions].float().cpu().numpy()
                word_ids = np.asarray([ids[position] for position in positions], dtype=np.int64) + start
                pieces[index].append((start, values, word_ids))
    return [_join(parts) for parts in pieces]


def _join(parts: list[tuple[int, np.ndarray, np.ndarray]]) -> SubwordOutputs:
    if not parts:
        return SubwordOutputs(values=np.zeros((0, 0), dtype=np.float32), word_ids=np.zeros(0, dtype=np.int64))
    parts.sort(key=lambda part: part[0])
    return SubwordOutputs(
        values=np.concatenate([values for _, values, _ in parts]),
        word_ids=np.concatenate([word_ids for _, _, word_ids in parts]),
    )


def _prepare(tokenizer: Any, sentences: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[list[int]]]:
    """The words to encode and their sub-word counts; words the tokenizer drops become its unknown token."""
    words = [[str(word) for word in sentence] for sentence in sentences]
    counts = _subword_counts(tokenizer, words)
    dropped = [index for index, sentence_counts in enumerate(counts) if not all(sentence_counts)]
    stand_in = tokenizer.unk_token or "?"
    for index in dropped:
        words[index] = [word if count else stand_in for word, count in zip(words[index], counts[index], strict=True)]
    for index, recounted in zip(dropped, _subword_counts(tokenizer, [words[i] for i in dropped]), strict=True):
        counts[index] = recounted
    return words, counts


def _subword_counts(tokenizer: Any, sentences: list[list[str]]) -> list[list[int]]:
    """Sub-words per word of each sentence, from one batched tokenizer call."""
    counts: list[list[int]] = [[] for _ in sentences]
    non_empty = [index for index, words in enumerate(sentences) if words]
    if not non_empty:
        return counts
    encoding = tokenizer([sentences[index] for index in non_empty], is_split_into_words=True, add_special_tokens=False)
    for row, index in enumerate(non_empty):
        ids = [word for word in encoding.word_ids(row) if word is not None]
        counts[index] = np.bincount(np.asarray(ids, dtype=np.int64), minlength=len(sentences[index])).tolist()
    return counts


def _windows(counts: Sequence[int], limit: int) -> list[tuple[int, int, int]]:
    """Consecutive word ranges ``(start, end, sub-words)`` of at most ``limit`` sub-words (a longer word: alone)."""
    windows: list[tuple[int, int, int]] = []
    start, total = 0, 0
    for index, count in enumerate(counts):
        if index > start and total + count > limit:
            windows.append((start, index, total))
            start, total = index, 0
        total += count
    if counts:
        windows.append((start, len(counts), total))
    return windows
