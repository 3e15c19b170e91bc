"""Training a target-language NER model on silver (projected) data.

A :class:`Trainer` turns labelled sentences into a :class:`TrainedModel`,
whose ``labeller`` is an ordinary :class:`~projection.labellers.Labeller`: the
same interface that labels source sentences in the pipeline labels the gold
test set here. Trainers are chosen by name (``spacy``, ``hf:MODEL``) like every
other stage.
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.evaluation import evaluate
from projection.labellers import Labeller
from projection.registry import Registry
from projection.stage import Stage


@dataclass
class EpochRecord:
    """One evaluation point of a training run: the loss since the last one and the dev score."""

    epoch: int
    updates: int
    loss: float
    dev_f1: float | None


EpochCallback = Callable[[EpochRecord], None]


@dataclass
class TrainingReport:
    """What happened during training, for the run JSON.

    ``seconds`` is wall-clock time; ``cpu_seconds`` the process's CPU time,
    which says more on a machine shared with other work.
    """

    n_train: int
    n_dev: int
    best_epoch: int
    best_dev_f1: float | None
    seconds: float
    cpu_seconds: float
    history: list[EpochRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class EpochTracker:
    """Early stopping shared by the trainers: the history, the best dev epoch, and when to stop.

    ``snapshot`` returns the weights to keep when an epoch is the best so far
    (with no dev set every epoch is); ``report`` gives the run's
    :class:`TrainingReport`, timed from the tracker's creation.
    """

    def __init__(self, patience: int, on_epoch: EpochCallback | None = None) -> None:
        self.patience = patience
        self.on_epoch = on_epoch
        self.history: list[EpochRecord] = []
        self.best_epoch = 0
        self.best_f1: float | None = None
        self.best_weights: Any = None
        self._started, self._cpu_started = time.perf_counter(), time.process_time()

    def finish_epoch(self, record: EpochRecord, snapshot: Callable[[], Any]) -> bool:
        """Record ``record``; keep ``snapshot()`` if it is the best epoch so far; whether patience has run out."""
        if record.dev_f1 is None or self.best_f1 is None or record.dev_f1 > self.best_f1:
            self.best_weights, self.best_f1, self.best_epoch = snapshot(), record.dev_f1, record.epoch
        self.history.append(record)
        if self.on_epoch:
            self.on_epoch(record)
        return record.epoch - self.best_epoch >= self.patience

    def report(self, n_train: int, n_dev: int) -> TrainingReport:
        return TrainingReport(
            n_train=n_train,
            n_dev=n_dev,
            best_epoch=self.best_epoch,
            best_dev_f1=self.best_f1,
            seconds=time.perf_counter() - self._started,
            cpu_seconds=time.process_time() - self._cpu_started,
            history=self.history,
        )


@dataclass
class TrainedModel:
    """A trained NER model (as a labeller of tokenised sentences) and how it was trained."""

    labeller: Labeller
    report: TrainingReport


class Trainer(Stage):
    """Train an NER model on sentences whose ``spans`` are the (silver) labels.

    ``labels`` are the entity types to learn; spans of other types are
    ignored. A sentence may mark tokens as unknown by carrying a span with
    label :data:`MISSING`: those tokens are neither entity nor O in training
    (partial annotation), where the trainer supports it.
    """

    kind = "trainer"

    @abstractmethod
    def train(
        self, train: Sequence[Sentence], dev: Sequence[Sentence], *, on_epoch: EpochCallback | None = None
    ) -> TrainedModel:
        """Train on ``train``, pick the best epoch on ``dev`` (empty: the last); ``on_epoch`` sees each epoch."""


def dev_score(model: Labeller, dev: Sequence[Sentence], labels: Sequence[str]) -> float:
    """Span F1 of ``model`` on (silver) dev sentences: the signal that picks the best epoch."""
    predicted = model.label(dev)
    return evaluate([sentence.spans for sentence in dev], predicted, [len(s) for s in dev], labels=labels).f1


MISSING = "-"
"""Span label for tokens whose annotation is unknown (not an entity, not O)."""


def training_tags(sentence: Sentence, labels: Sequence[str]) -> list[str | None]:
    """IOB2 tag per token for training: ``None`` marks unknown tokens (:data:`MISSING` spans).

    Spans with other labels count as O; a span overlapping an earlier one (by
    start) is skipped, since an NER tag sequence cannot hold both.
    """
    tags: list[str | None] = ["O"] * len(sentence.tokens)
    for span in sorted(sentence.spans, key=lambda s: (s.start, -s.end)):
        if span.end > len(tags):
            raise ProjectionError(
                f"Sentence {sentence.id}: span {span.key} ends beyond the sentence's {len(tags)} tokens."
            )
        if span.label == MISSING:
            for i in range(span.start, span.end):
                if tags[i] == "O":
                    tags[i] = None
            continue
        if span.label not in labels or any(tag != "O" for tag in tags[span.start : span.end]):
            continue
        tags[span.start] = f"B-{span.label}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{span.label}"
    return tags


trainers = Registry("trainer")
trainers.register("spacy", "projection.training.spacy_trainer:SpacyTrainer")
trainers.register("hf", "projection.training.hf_trainer:HuggingFaceTrainer")
