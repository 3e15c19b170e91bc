"""Labellers: find entity spans on tokenised sentences (never re-tokenising them)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence

from projection.data import Sentence, Span
from projection.registry import Registry
from projection.stage import Stage

ONTONOTES_TO_CONLL: dict[str, str] = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "DATE": "DATE",
    "MISC": "MISC",
}
"""Default label map: OntoNotes and CoNLL names -> PER/ORG/LOC/DATE/MISC; others are dropped."""


class Labeller(Stage):
    """Label sentences; ``label_map`` renames model labels and drops the unmapped."""

    kind = "labeller"

    def __init__(self, *, label_map: Mapping[str, str] | None = None) -> None:
        self.label_map = dict(ONTONOTES_TO_CONLL if label_map is None else label_map)

    @abstractmethod
    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]: ...

    def for_labels(self, labels: Sequence[str] | None) -> Labeller:
        """The labeller to run when only ``labels`` are kept (all when None).

        Itself, unless it is made of parts that serve different labels: then
        the parts no kept label needs may be left out, so that a run scoring
        PER, ORG and LOC does not pay for a model that only adds DATE.
        """
        return self

    def map_label(self, label: str) -> str | None:
        return self.label_map.get(label)


labellers = Registry("labeller")
labellers.register("gold", "projection.labellers.gold:GoldLabeller")
labellers.register("spacy", "projection.labellers.spacy_labeller:SpacyLabeller")
labellers.register("hf", "projection.labellers.huggingface:HuggingFaceLabeller")
labellers.register("ensemble", "projection.labellers.ensemble:EnsembleLabeller")
labellers.register("dates", "projection.labellers.dates:DateLabeller")
