"""The ``ensemble`` labeller: an installed spaCy model, our own trained source NER, and a DATE ruler.

``ensemble:MODEL`` labels with the spaCy pipeline ``MODEL`` (e.g.
``en_core_web_sm``: OntoNotes types, DATE among them) and, where
``projection train-labeller`` has trained a model for the language (see
:mod:`projection.labellers.trained_models`), with that model too; without
one it is ``MODEL`` alone. Where ``MODEL`` has no DATE type and the language
has date patterns (French), the :mod:`~projection.labellers.dates` ruler adds
DATE.

How the two models' PER/ORG/LOC (``trained_labels``) combine is the ``rule``:

- ``trained``: those labels from the trained model only;
- ``union``: the trained model's spans, then the base model's where they
  overlap none of them;
- ``agreement``: only spans both models find with the same boundaries and label.

Every other type (DATE, NORP, ...) comes from the base model, where it
overlaps no span already chosen. Rules were compared on CoNLL-2003 English
dev (see the README): the trained model was better on each of PER, ORG and
LOC, so ``trained`` is the default. The base model runs without its parser
(``sentence_boundaries=False``): each given sentence is one sentence for its
recogniser, which scored the same on CoNLL-2003 dev in two thirds of the time.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller
from projection.labellers.dates import PATTERNS, DateLabeller
from projection.labellers.spacy_labeller import DEFAULT_MODEL, SpacyLabeller, model_meta
from projection.labellers.trained_models import DEFAULT_MODELS_DIR, current_model

Rule = Literal["trained", "union", "agreement"]
RULES: tuple[Rule, ...] = ("trained", "union", "agreement")
TRAINED_LABELS = ("PER", "ORG", "LOC")


def overlaps(span: Span, chosen: Sequence[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in chosen)


def combine(trained: Sequence[Span], base: Sequence[Span], *, rule: Rule, trained_labels: Sequence[str]) -> list[Span]:
    """One sentence's spans from the trained model's and the base model's, by ``rule`` (see the module)."""
    if rule not in RULES:
        raise ProjectionError(f"Unknown ensemble rule {rule!r}; use {', '.join(RULES)}.")
    ours = [span for span in trained if span.label in trained_labels]
    theirs = [span for span in base if span.label in trained_labels]
    if rule == "agreement":
        keys = {span.key for span in theirs}
        chosen = [span for span in ours if span.key in keys]
    else:
        chosen = list(ours)
        if rule == "union":
            for span in theirs:
                if not overlaps(span, chosen):
                    chosen.append(span)
    for span in base:
        if span.label not in trained_labels and not overlaps(span, chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda span: (span.start, span.end))


class EnsembleLabeller(Labeller):
    """The base spaCy model combined with the trained source NER of its language and, where needed, dates."""

    name = "ensemble"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        rule: Rule = "trained",
        trained_labels: Sequence[str] = TRAINED_LABELS,
        trained_model: str | None = None,
        models_dir: str | Path = DEFAULT_MODELS_DIR,
        dates: bool = True,
        label_map: Mapping[str, str] | None = None,
        batch_size: int = 256,
        sentence_boundaries: bool = False,
    ) -> None:
        super().__init__(label_map=label_map)
        if rule not in RULES:
            raise ProjectionError(f"Unknown ensemble rule {rule!r}; use {', '.join(RULES)}.")
        self.rule = rule
        self.trained_labels = tuple(trained_labels)
        self.base: SpacyLabeller | None = SpacyLabeller(
            model, label_map=label_map, batch_size=batch_size, sentence_boundaries=sentence_boundaries
        )
        self.model = model
        meta = model_meta(model)
        lang = str(meta.get("lang"))
        found = Path(trained_model) if trained_model else current_model(Path(models_dir), lang)
        trained_map = {label: label for label in self.trained_labels}
        self.trained = None if found is None else SpacyLabeller(str(found), label_map=trained_map)
        has_date = "DATE" in meta.get("labels", {}).get("ner", [])
        self.dates = DateLabeller(lang, label_map=label_map) if dates and not has_date and lang in PATTERNS else None

    @property
    def origin(self) -> str:
        return f"ensemble:{self.model}"

    def for_labels(self, labels: Sequence[str] | None) -> EnsembleLabeller:
        """Without the base model (and the date ruler) when every kept label comes from the trained model alone."""
        if labels is None or self.trained is None or self.rule != "trained":
            return self
        if not set(labels) <= set(self.trained_labels):
            return self
        trained_only = copy.copy(self)
        trained_only.base, trained_only.dates = None, None
        return trained_only

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        base = [[] for _ in sentences] if self.base is None else self.base.label(sentences)
        if self.trained is not None:
            trained = self.trained.label(sentences)
            base = [
                combine(ours, theirs, rule=self.rule, trained_labels=self.trained_labels)
                for ours, theirs in zip(trained, base, strict=True)
            ]
        if self.dates is not None:
            dates = self.dates.label(sentences)
            base = [
                sorted([*spans, *(d for d in found if not overlaps(d, spans))], key=lambda s: (s.start, s.end))
                for spans, found in zip(base, dates, strict=True)
            ]
        return base

    def params(self) -> dict[str, Any]:
        return {
            "base": None if self.base is None else self.base.identity(),
            "trained": None if self.trained is None else self.trained.identity(),
            "rule": self.rule,
            "trained_labels": list(self.trained_labels),
            "dates": None if self.dates is None else self.dates.identity(),
        }
