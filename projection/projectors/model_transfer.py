"""Model transfer, the baseline: a target-language NER model applied to the target directly.

No projection happens; it sits among the projectors so that the comparison
runs it on exactly the same sentences (``model-transfer:spacy:fr_core_news_sm``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from projection.data import Alignment, Explanation, Sentence
from projection.errors import ProjectionError
from projection.labellers import Labeller, labellers
from projection.projectors import Projection, Projector


class ModelTransferProjector(Projector):
    """Label the target sentences with ``labeller`` (a :class:`Labeller` or a spec); sources and alignments unused."""

    name: ClassVar[str] = "model-transfer"

    def __init__(self, labeller: Labeller | str | None = None) -> None:
        if labeller is None:
            raise ProjectionError(
                "model-transfer needs a target-language NER model: name it in the spec, "
                "e.g. 'model-transfer:spacy:fr_core_news_sm'."
            )
        self.labeller = labellers.create(labeller) if isinstance(labeller, str) else labeller

    def params(self) -> dict[str, Any]:
        return {"labeller": self.labeller.identity()}

    def explain(
        self, sources: Sequence[Sentence], targets: Sequence[Sentence], alignments: Sequence[Alignment]
    ) -> list[Projection]:
        if not len(sources) == len(targets) == len(alignments):
            raise ValueError("sources, targets and alignments must have the same length")
        found = self.labeller.label(targets)
        return [
            Projection(
                [replace(span, origin=self.origin) for span in spans],
                [Explanation("model", span.label, span=(span.start, span.end), score=span.score) for span in spans],
            )
            for spans in found
        ]

    def explain_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> Projection:
        return self.explain([source], [target], [alignment])[0]
