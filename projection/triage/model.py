"""What the rest of the corpus says: a target-language model cross-validated on the silver data itself.

The silver corpus is cut into ``folds`` parts; a spaCy NER model (the same
trainer as ``train-eval``) learns from all parts but one and labels the
part it did not see, decoded with a beam so that every candidate entity has
a probability. Per token these give class probabilities (O or a label),
which cleanlab's token-classification tools compare with the projected
labels: a projection the rest of the corpus contradicts gets a low label
quality, and an entity the model is sure of where nothing was projected is
flagged as missed. The training budget is split over the folds, so the whole
cross-validation costs about ``budget`` times one training run.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from projection.cache import Cache
from projection.data import ProjectionRecord, Sentence, Span
from projection.triage.signals import Flag, GroupSignals, quoted

Marginals = dict[tuple[int, int, str], float]
FoldProgress = Callable[[int, int], None]
MODEL_FLAG_THRESHOLD = 0.5
"""A model entity overlapping no projected span is flagged from this probability on."""


@dataclass(frozen=True)
class CrossValidation:
    """How the corpus model is cross-validated; ``trainer`` options go to :class:`SpacyTrainer`."""

    folds: int = 5
    seed: int = 0
    budget: float = 2.0
    beam_width: int = 16
    min_sentences: int = 50
    trainer: dict[str, Any] = field(default_factory=dict)

    def identity(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "seed": self.seed,
            "budget": self.budget,
            "beam_width": self.beam_width,
            "trainer": dict(sorted(self.trainer.items())),
        }


def fold_of(n: int, folds: int, seed: int) -> list[int]:
    """A seeded assignment of ``n`` sentences to ``folds`` folds of (nearly) equal size."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    assignment = [0] * n
    for position, index in enumerate(order):
        assignment[index] = position % folds
    return assignment


def held_out_marginals(
    sentences: Sequence[Sentence], labels: Sequence[str], options: CrossValidation, progress: FoldProgress | None
) -> list[Marginals]:
    """Every sentence's entity probabilities from the fold model that did not train on it."""
    from projection.training.spacy_trainer import SpacyTrainer

    defaults = SpacyTrainer()
    budget = max(1, round(options.budget * (defaults.max_updates or 4000) / options.folds))
    trainer_options = {"max_updates": budget, "seed": options.seed, **options.trainer}
    assignment = fold_of(len(sentences), options.folds, options.seed)
    found: list[Marginals] = [{} for _ in sentences]
    for fold in range(options.folds):
        train = [s for s, f in zip(sentences, assignment, strict=True) if f != fold]
        held_out = [k for k, f in enumerate(assignment) if f == fold]
        trainer = SpacyTrainer(labels=labels, **trainer_options)
        model = trainer.train(train, []).labeller
        marginals = model.entity_marginals([sentences[k] for k in held_out], beam_width=options.beam_width)
        for k, scored in zip(held_out, marginals, strict=True):
            found[k] = scored
        if progress:
            progress(fold + 1, options.folds)
    return found


def token_probabilities(marginals: Marginals, n_tokens: int, classes: Sequence[str]) -> np.ndarray:
    """``(n_tokens, len(classes))`` class probabilities per token; class 0 is O.

    A token's probability of label L is the mass of the candidate entities of
    label L covering it; O takes what the entities leave.
    """
    index = {label: k for k, label in enumerate(classes)}
    probs = np.zeros((n_tokens, len(classes)))
    for (start, end, label), p in marginals.items():
        if label in index and 0 <= start < end <= n_tokens:
            probs[start:end, index[label]] += p
    entity_mass = probs[:, 1:].sum(axis=1)
    over = entity_mass > 1.0
    probs[over, 1:] /= entity_mass[over, None]
    probs[:, 0] = np.clip(1.0 - probs[:, 1:].sum(axis=1), 0.0, 1.0)
    probs += 1e-6
    return probs / probs.sum(axis=1, keepdims=True)


def token_classes(record: ProjectionRecord, classes: Sequence[str]) -> np.ndarray:
    """The projected label of each token as a class index (0: O)."""
    index = {label: k for k, label in enumerate(classes)}
    given = np.zeros(len(record.target.tokens), dtype=np.int64)
    for span in record.projected:
        given[span.start : span.end] = index.get(span.label, 0)
    return given


def model_signals(
    records: Sequence[ProjectionRecord],
    options: CrossValidation,
    *,
    cache: Cache | None = None,
    progress: FoldProgress | None = None,
) -> GroupSignals:
    """Cross-validated model features of every projected span, and the entities it finds where none was projected."""
    if len(records) < options.min_sentences:
        return GroupSignals.unavailable(
            "model",
            f"{len(records)} sentences are too few to train a model on the rest of the corpus "
            f"(cross-validation needs at least {options.min_sentences})",
        )
    labels = sorted({span.label for record in records for span in record.projected})
    if not labels:
        return GroupSignals.unavailable("model", "nothing was projected, so there is no silver data to learn from")
    sentences = [Sentence(r.id, r.target.lang, r.target.tokens, list(r.projected)) for r in records]

    def compute() -> dict[str, list]:
        found = held_out_marginals(sentences, labels, options, progress)
        return {"marginals": [[[s, e, label, p] for (s, e, label), p in m.items()] for m in found]}

    inputs = {
        "tgt_tokens": [list(r.target.tokens) for r in records],
        "projected_spans": [[span.key for span in r.projected] for r in records],
    }
    stored = (cache or Cache(None)).columns("triage-model", {**options.identity(), "labels": labels}, inputs, compute)
    marginals = [{(int(s), int(e), str(label)): float(p) for s, e, label, p in m} for m in stored["marginals"]]
    return scored_by_cleanlab(records, marginals, ["O", *labels])


def scored_by_cleanlab(
    records: Sequence[ProjectionRecord], marginals: Sequence[Marginals], classes: Sequence[str]
) -> GroupSignals:
    """cleanlab's token label quality and label issues, turned into span features, words and flags.

    Besides the exact span's probability, ``bounds_probability`` (the same words with any label) and
    ``label_probability`` (the span's label, averaged over its words) tell a wrong cut from a wrong label."""
    from cleanlab.token_classification.filter import find_label_issues
    from cleanlab.token_classification.rank import get_label_quality_scores

    probs = [token_probabilities(m, len(r.target.tokens), classes) for r, m in zip(records, marginals, strict=True)]
    given = [token_classes(record, classes) for record in records]
    _, token_scores = get_label_quality_scores(given, probs)
    issues = {(int(k), int(i)) for k, i in find_label_issues(given, probs)}
    label_index = {label: c for c, label in enumerate(classes)}
    result = GroupSignals("model")
    for k, (record, scored, p) in enumerate(zip(records, marginals, probs, strict=True)):
        values, words = [], []
        for span in record.projected:
            tokens = range(span.start, span.end)
            value = {
                "span_probability": scored.get(span.key, 0.0),
                "bounds_probability": sum(
                    q for (start, end, _), q in scored.items() if (start, end) == (span.start, span.end)
                ),
                "label_probability": float(p[span.start : span.end, label_index[span.label]].mean())
                if span.label in label_index
                else 0.0,
                "token_quality": float(min(token_scores[k][i] for i in tokens)),
                "issue": 1.0 if any((k, i) in issues for i in tokens) else 0.0,
            }
            values.append(value)
            said = model_view(record, span, scored, p, classes)
            words.append(dict.fromkeys(value, said))
        result.values.append(values)
        result.words.append(words)
        result.flags.append(model_flags(record, scored))
    return result


def model_view(
    record: ProjectionRecord, span: Span, scored: Marginals, probs: np.ndarray, classes: Sequence[str]
) -> str:
    """What the model says about the span's words, in one phrase."""
    mean = probs[span.start : span.end].mean(axis=0)
    best = int(mean.argmax())
    if classes[best] != span.label:
        return f"cross-validated model: {classes[best]} with p={mean[best]:.2f}"
    exact = scored.get(span.key, 0.0)
    return f"cross-validated model: {span.label} with p={mean[best]:.2f}, this exact span p={exact:.2f}"


def model_flags(record: ProjectionRecord, scored: Marginals) -> list[Flag]:
    """The model's likely entities that overlap no projected span, most probable first, not overlapping each other."""
    flags: list[Flag] = []
    for (start, end, label), p in sorted(scored.items(), key=lambda item: -item[1]):
        if p < MODEL_FLAG_THRESHOLD:
            break
        if any(span.start < end and start < span.end for span in record.projected):
            continue
        if any(flag.overlaps(start, end) for flag in flags):
            continue
        text = f"cross-validated model: {quoted(record.target.tokens, start, end)} is {label} with p={p:.2f}"
        flags.append(Flag(start, end, label, p, [text], "model"))
    return flags
