"""Hugging Face token classification as a labeller, on the caller's own tokens.

The model sees the given words (``is_split_into_words``) and each word takes
the tag predicted on its *first* sub-word; the word tags are decoded into
spans with :func:`projection.tags.tags_to_spans` (IOB1, IOB2 or BIOES tags,
one lenient rule for all). A sentence longer than
the model's position limit is labelled in windows of whole words
(:mod:`projection.subwords`), never truncated, so every word gets a tag.

Each span's score is the *mean* over its words of the probability of the tag
predicted for the word (``span_score="min"`` takes the least confident word
instead). Labels are the model's tag names without their B-/I-/E-/S- prefix,
renamed by ``label_map`` (default: CoNLL and OntoNotes names -> PER, ORG, LOC,
MISC, DATE); labels the map lacks are dropped.

The same class serves as the source-side NER, the model-transfer baseline
(run it on the target language) and the target-side candidate extractor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller
from projection.models import LoadedModel, load_model, model_versions
from projection.subwords import encode_words
from projection.tags import parse_tag, tags_to_spans

DEFAULT_NER_MODEL = "FacebookAI/xlm-roberta-large-finetuned-conll03-english"
SPAN_SCORES = ("mean", "min")


class HuggingFaceLabeller(Labeller):
    """``hf:MODEL`` (Hub id or local directory of a token-classification model)."""

    name: ClassVar[str] = "hf"

    def __init__(
        self,
        model: str = DEFAULT_NER_MODEL,
        *,
        label_map: Mapping[str, str] | None = None,
        batch_size: int = 16,
        span_score: str = "mean",
        device: str | None = None,
        revision: str | None = None,
        max_subwords: int | None = None,
    ) -> None:
        super().__init__(label_map=label_map)
        if span_score not in SPAN_SCORES:
            raise ProjectionError(f"Unknown span_score {span_score!r}; choose one of {', '.join(SPAN_SCORES)}.")
        if int(batch_size) < 1:
            raise ProjectionError(f"batch_size must be at least 1, not {batch_size}.")
        self.model_name = model
        self.batch_size = int(batch_size)
        self.span_score = span_score
        self.device = device
        self.revision = revision
        self.max_subwords = max_subwords

    def params(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "label_map": dict(sorted(self.label_map.items())),
            "span_score": self.span_score,
        }

    def versions(self) -> dict[str, str]:
        return model_versions(self.model_name, revision=self.revision)

    def tagger(self) -> LoadedModel:
        """The model, loaded once per process; its labels must be IOB/BIOES tags."""
        loaded = load_model(
            self.model_name, "token-classification", revision=self.revision, device=self.device, purpose="labeller"
        )
        tags = list(loaded.config.id2label.values())
        try:
            for tag in tags:
                parse_tag(tag)
        except ValueError:
            raise ProjectionError(
                f"The labeller model {self.model_name!r} does not predict NER tags: its labels are "
                f"{', '.join(map(str, tags[:8]))}{' ...' if len(tags) > 8 else ''}. A token-classification model "
                "with O and B-/I- (or BIOES) tags is needed."
            ) from None
        return loaded

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        if not sentences:
            return []
        loaded = self.tagger()
        import torch

        def probabilities(encoding: Any) -> Any:
            return torch.softmax(loaded.model(**encoding).logits.float(), dim=-1)

        outputs = encode_words(
            loaded,
            [sentence.tokens for sentence in sentences],
            probabilities,
            batch_size=self.batch_size,
            max_subwords=self.max_subwords,
        )
        id2label = {int(index): str(tag) for index, tag in loaded.config.id2label.items()}
        results = []
        for sentence, output in zip(sentences, outputs, strict=True):
            n_words = len(sentence.tokens)
            if n_words == 0:
                results.append([])
                continue
            rows = output.first_subword_rows(n_words)
            word_probabilities = np.where(rows[:, None] >= 0, output.values[np.maximum(rows, 0)], 0.0)
            best = word_probabilities.argmax(axis=1)
            tags = [id2label[int(index)] if row >= 0 else "O" for index, row in zip(best, rows, strict=True)]
            confidence = word_probabilities.max(axis=1)
            results.append(self._spans(tags, confidence))
        return results

    def _spans(self, tags: list[str], confidence: np.ndarray) -> list[Span]:
        spans = []
        for span in tags_to_spans(tags):
            label = self.map_label(span.label)
            if label is None:
                continue
            words = confidence[span.start : span.end]
            score = float(words.mean() if self.span_score == "mean" else words.min())
            spans.append(Span(span.start, span.end, label, score=score, origin=self.name))
        return spans
