"""A Hugging Face token-classification model fine-tuned on silver data: the option for GPU users.

Any encoder with a fast tokenizer works (XLM-R, mBERT, AfroXLMR, ...), named by
hub id (with network access) or local directory: ``--trainer hf:xlm-roberta-large``.
Words are never re-split: the tokenizer sees the sentence's words
(``is_split_into_words``) and each word takes the label predicted for its
first sub-word; the other sub-words and unknown (:data:`MISSING`) words are
ignored by the loss. Training is AdamW with linear warm-up and decay, one dev
evaluation per epoch, early stopping with ``patience`` and the best epoch's
weights kept; torch, numpy and Python are seeded and shuffling uses a seeded
generator, so a CPU run is repeatable (a GPU run as far as its kernels are).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller
from projection.tags import tags_to_spans
from projection.training import (
    EpochCallback,
    EpochRecord,
    EpochTracker,
    TrainedModel,
    Trainer,
    dev_score,
    training_tags,
)

IGNORED = -100
"""Label id the loss skips (continuation sub-words, special tokens, unknown words)."""


def tag_names(labels: Sequence[str]) -> list[str]:
    """``O`` then ``B-``/``I-`` for each label: the classifier's outputs, in id order."""
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def load_tokenizer(model: str) -> Any:
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(model)
    except (OSError, ValueError) as err:
        raise ProjectionError(
            f"Cannot load the tokenizer of the Hugging Face model {model!r} ({err}). Give a local directory that "
            "holds the model and tokenizer files, or a hub id (e.g. xlm-roberta-large) on a machine with network "
            "access: --trainer hf:PATH_OR_ID."
        ) from None
    if not getattr(tokenizer, "is_fast", False):
        raise ProjectionError(
            f"The tokenizer of {model!r} is not a fast (Rust) tokenizer, which word alignment of sub-words needs. "
            "Use a model that ships tokenizer.json, or convert its tokenizer with transformers first."
        )
    return tokenizer


class HuggingFaceNerLabeller(Labeller):
    """A token-classification model labelling tokenised sentences (first sub-word decides each word)."""

    name = "hf-trained"

    def __init__(self, model: Any, tokenizer: Any, *, batch_size: int = 32, max_length: int = 256) -> None:
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}
        labels = sorted({tag[2:] for tag in self.id2label.values() if tag != "O"})
        super().__init__(label_map={label: label for label in labels})
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.max_length = max_length

    def save(self, path: str) -> None:
        self.model.save_pretrained(path)
        self.tokenizer.save_pretrained(path)

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        import torch

        device = next(self.model.parameters()).device
        self.model.eval()
        found: list[list[Span]] = []
        for start in range(0, len(sentences), self.batch_size):
            batch = sentences[start : start + self.batch_size]
            encoded = self.tokenizer(
                [list(s.tokens) for s in batch],
                is_split_into_words=True,
                truncation=True,
                max_length=self.max_length,
                padding=True,
                return_tensors="pt",
            )
            with torch.no_grad():
                logits = self.model(**{k: v.to(device) for k, v in encoded.items()}).logits
            best = logits.argmax(-1).cpu().tolist()
            for row, sentence in enumerate(batch):
                tags = ["O"] * len(sentence.tokens)
                previous = None
                for position, word in enumerate(encoded.word_ids(row)):
                    if word is not None and word != previous:
                        tags[word] = self.id2label[best[row][position]]
                    previous = word
                spans = tags_to_spans(tags, origin=f"model:{self.name}")
                found.append([s for s in spans if self.map_label(s.label) is not None])
        return found

    def versions(self) -> dict[str, str]:
        return {"transformers": metadata.version("transformers"), "torch": metadata.version("torch")}


class HuggingFaceTrainer(Trainer):
    """Fine-tune ``model`` (hub id or local directory) for token classification on the given labels."""

    name = "hf"

    def __init__(
        self,
        model: str,
        *,
        labels: Sequence[str] = ("PER", "ORG", "LOC", "DATE"),
        seed: int = 0,
        max_epochs: int = 3,
        patience: int = 1,
        batch_size: int = 16,
        learn_rate: float = 5e-5,
        weight_decay: float = 0.01,
        warmup_ratio: float = 0.1,
        max_length: int = 256,
        device: str | None = None,
    ) -> None:
        if max_epochs < 1 or batch_size < 1 or patience < 1:
            raise ProjectionError("max_epochs, batch_size and patience must each be at least 1.")
        self.model_name = model
        self.labels = tuple(labels)
        self.seed = seed
        self.max_epochs = max_epochs
        self.patience = patience
        self.batch_size = batch_size
        self.learn_rate = learn_rate
        self.weight_decay = weight_decay
        self.warmup_ratio = warmup_ratio
        self.max_length = max_length
        self.device = device

    def params(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "labels": list(self.labels),
            "seed": self.seed,
            "max_epochs": self.max_epochs,
            "patience": self.patience,
            "batch_size": self.batch_size,
            "learn_rate": self.learn_rate,
            "weight_decay": self.weight_decay,
            "warmup_ratio": self.warmup_ratio,
            "max_length": self.max_length,
        }

    def versions(self) -> dict[str, str]:
        return {"transformers": metadata.version("transformers"), "torch": metadata.version("torch")}

    def _load_model(self, names: list[str]) -> Any:
        from transformers import AutoModelForTokenClassification

        try:
            return AutoModelForTokenClassification.from_pretrained(
                self.model_name,
                num_labels=len(names),
                id2label=dict(enumerate(names)),
                label2id={name: k for k, name in enumerate(names)},
                ignore_mismatched_sizes=True,
            )
        except (OSError, ValueError) as err:
            raise ProjectionError(
                f"Cannot load the Hugging Face model {self.model_name!r} ({err}). Give a local directory with the "
                "model files, or a hub id (e.g. xlm-roberta-large) on a machine with network access."
            ) from None

    def _encode(self, tokenizer: Any, sentences: Sequence[Sentence], label_ids: dict[str, int]) -> list[dict]:
        """Input ids and one label id per sub-word (first sub-word of a word; the rest ignored)."""
        encoded = tokenizer(
            [list(s.tokens) for s in sentences], is_split_into_words=True, truncation=True, max_length=self.max_length
        )
        features = []
        for row, sentence in enumerate(sentences):
            tags = training_tags(sentence, self.labels)
            ids, previous = [], None
            for word in encoded.word_ids(row):
                first = word is not None and word != previous
                tag = tags[word] if first else None
                ids.append(label_ids[tag] if tag is not None else IGNORED)
                previous = word
            features.append({**{key: values[row] for key, values in encoded.items()}, "labels": ids})
        return features

    def train(
        self, train: Sequence[Sentence], dev: Sequence[Sentence], *, on_epoch: EpochCallback | None = None
    ) -> TrainedModel:
        import numpy as np
        import torch
        from torch.utils.data import DataLoader
        from transformers import DataCollatorForTokenClassification, get_linear_schedule_with_warmup

        if not train:
            raise ProjectionError("No training sentences: the silver data is empty after filtering.")
        tracker = EpochTracker(self.patience, on_epoch)
        random.seed(self.seed)
        np.random.seed(self.seed)
        torch.manual_seed(self.seed)
        device = torch.device(self.device or ("cuda" if torch.cuda.is_available() else "cpu"))
        names = tag_names(self.labels)
        tokenizer = load_tokenizer(self.model_name)
        model = self._load_model(names).to(device)
        features = self._encode(tokenizer, train, {name: k for k, name in enumerate(names)})
        generator = torch.Generator().manual_seed(self.seed)
        loader = DataLoader(
            features,
            batch_size=self.batch_size,
            shuffle=True,
            generator=generator,
            collate_fn=DataCollatorForTokenClassification(tokenizer, label_pad_token_id=IGNORED),
        )
        optimizer = torch.optim.AdamW(model.parameters(), lr=self.learn_rate, weight_decay=self.weight_decay)
        total_steps = len(loader) * self.max_epochs
        scheduler = get_linear_schedule_with_warmup(optimizer, int(total_steps * self.warmup_ratio), total_steps)
        labeller = HuggingFaceNerLabeller(model, tokenizer, max_length=self.max_length)

        def snapshot() -> dict[str, Any]:
            return copy.deepcopy({k: v.detach().cpu() for k, v in model.state_dict().items()})

        updates = 0
        for epoch in range(1, self.max_epochs + 1):
            model.train()
            epoch_loss = 0.0
            for batch in loader:
                loss = model(**{key: value.to(device) for key, value in batch.items()}).loss
                loss.backward()
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                epoch_loss += float(loss.detach())
                updates += 1
            dev_f1 = dev_score(labeller, dev, self.labels) if dev else None
            if tracker.finish_epoch(EpochRecord(epoch, updates, epoch_loss, dev_f1), snapshot):
                break
        model.load_state_dict(tracker.best_weights)
        report = tracker.report(len(train), len(dev))
        return TrainedModel(labeller, report)
