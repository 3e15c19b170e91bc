"""Projectors: carry the source side's entity spans onto the target tokens."""

from __future__ import annotations

from collections.abc import Sequence

from projection.data import Alignment, Sentence, Span
from projection.registry import Registry
from projection.stage import Stage


class Projector(Stage):
    """Project ``source.spans`` onto ``target.tokens`` through an alignment.

    Most projectors work one sentence at a time and implement
    :meth:`project_one`; those that need a model over the whole batch (NER
    candidates, back-translation) override :meth:`project`.
    """

    kind = "projector"

    def project(
        self, sources: Sequence[Sentence], targets: Sequence[Sentence], alignments: Sequence[Alignment]
    ) -> list[list[Span]]:
        return [self.project_one(s, t, a) for s, t, a in zip(sources, targets, alignments, strict=True)]

    def project_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> list[Span]:
        raise NotImplementedError(f"{type(self).__name__} projects whole batches only")

    @property
    def origin(self) -> str:
        """The ``origin`` written on every span this projector makes."""
        return f"projected:{self.name}"


projectors = Registry("projector")
projectors.register("heuristic", "projection.projectors.heuristic:HeuristicProjector")
projectors.register("garcia-ferrero", "projection.projectors.garcia_ferrero:GarciaFerreroProjector")
projectors.register("ngram-greedy", "projection.projectors.candidate_matching:NgramGreedyProjector")
projectors.register("ngram-exact", "projection.projectors.candidate_matching:NgramExactProjector")
projectors.register("ner-greedy", "projection.projectors.candidate_matching:NerGreedyProjector")
projectors.register("ner-exact", "projection.projectors.candidate_matching:NerExactProjector")
projectors.register("backtranslation", "projection.projectors.backtranslation:BacktranslationProjector")
projectors.register("model-transfer", "projection.projectors.model_transfer:ModelTransferProjector")
