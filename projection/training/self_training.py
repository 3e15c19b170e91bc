"""Target-side self-training: a model trained on silver data relabels that data, and is trained again.

Projection misses entities (the source NER missed them, or the alignment
did) and invents some (a wrong link); a model trained on the whole silver
corpus generalises over both. :func:`relabel` confronts each silver sentence
with the model's own reading of it:

- ``agree``: the projected spans the model also finds (same boundaries and
  label) stay; the words where the two disagree (a projected span the model
  does not find, a span the model finds over words projection called O)
  become unknown, neither entity nor O;
- ``add``: every projected span stays, and the model's spans whose beam
  probability is at least ``min_probability`` are added where they overlap
  no projected span (they may fill words marked unknown).

Words already unknown stay unknown under ``agree``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller
from projection.training import MISSING

SelfTrainingRule = Literal["agree", "add"]
SELF_TRAINING_RULES: tuple[SelfTrainingRule, ...] = ("agree", "add")


@dataclass(frozen=True)
class SelfTrainingOptions:
    """How many relabel-and-retrain rounds follow the first training (0: none), and by which rule."""

    rounds: int = 0
    rule: SelfTrainingRule = "agree"
    min_probability: float = 0.9

    def __post_init__(self) -> None:
        if self.rounds < 0:
            raise ProjectionError(f"Self-training rounds must be 0 or more, not {self.rounds}.")
        if self.rule not in SELF_TRAINING_RULES:
            raise ProjectionError(f"Unknown self-training rule {self.rule!r}; use {', '.join(SELF_TRAINING_RULES)}.")
        if not 0.0 <= self.min_probability <= 1.0:
            raise ProjectionError(f"min_probability must be in [0, 1], not {self.min_probability}.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RelabelStats:
    """What one round changed, for the run JSON."""

    n_sentences: int = 0
    n_projected: int = 0
    n_agreed: int = 0
    n_added: int = 0
    n_unknown_spans: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def _unknown(span: Span) -> list[Span]:
    return [Span(i, i + 1, MISSING, origin="self-training:unknown") for i in range(span.start, span.end)]


def model_spans(
    model: Labeller, sentences: Sequence[Sentence], labels: Sequence[str]
) -> list[list[tuple[Span, float]]]:
    """The model's spans of ``labels`` in each sentence with a probability (1.0 where it gives none)."""
    marginals = getattr(model, "entity_marginals", None)
    if marginals is None:
        return [[(span, 1.0) for span in found if span.label in labels] for found in model.label(sentences)]
    # A beam's candidates overlap one another; the greedy parse says which spans the model picks.
    picked = model.label(sentences)
    scored = marginals(sentences)
    return [
        [(span, scores.get((span.start, span.end, span.label), 0.0)) for span in found if span.label in labels]
        for found, scores in zip(picked, scored, strict=True)
    ]


def relabel(
    silver: Sequence[Sentence], model: Labeller, options: SelfTrainingOptions, labels: Sequence[str]
) -> tuple[list[Sentence], RelabelStats]:
    """The silver sentences with their spans confronted with ``model``'s, by ``options.rule``."""
    stats = RelabelStats(n_sentences=len(silver))
    predictions = model_spans(model, silver, labels)
    relabelled = []
    for sentence, predicted in zip(silver, predictions, strict=True):
        projected = [span for span in sentence.spans if span.label != MISSING]
        unknown = [span for span in sentence.spans if span.label == MISSING]
        stats.n_projected += len(projected)
        if options.rule == "agree":
            found = {span.key for span, _ in predicted}
            kept = [span for span in projected if span.key in found]
            disputed = [span for span in projected if span.key not in found]
            disputed += [span for span, _ in predicted if span.key not in {s.key for s in projected}]
            new_unknown = [piece for span in disputed for piece in _unknown(span) if not _overlaps(piece, kept)]
            stats.n_agreed += len(kept)
            spans = kept + unknown + new_unknown
            stats.n_unknown_spans += len(disputed)
        else:
            added = [
                span
                for span, probability in predicted
                if probability >= options.min_probability and not _overlaps(span, projected)
            ]
            stats.n_added += len(added)
            spans = projected + added + [piece for piece in unknown if not _overlaps(piece, added)]
        relabelled.append(Sentence(sentence.id, sentence.lang, list(sentence.tokens), spans))
    return relabelled, stats
