"""Projectors: carry the source side's entity spans onto the target tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from projection.data import Alignment, Explanation, Sentence, Span
from projection.registry import Registry
from projection.stage import Stage


@dataclass
class Projection:
    """One sentence's projected spans and the projector's explanations of them (and of what it dropped)."""

    spans: list[Span] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    markers: dict[str, Any] | None = None
    """How the sentence's entity markers fared (a :class:`~projection.markers.MarkerReport` as a dict), for
    projectors that translate with markers."""


class Projector(Stage):
    """Project ``source.spans`` onto ``target.tokens`` through an alignment, saying why.

    Most projectors work one sentence at a time and implement
    :meth:`explain_one`; those that need a model over the whole batch (NER
    candidates, back-translation) override :meth:`explain`. Every projected
    span has an :class:`~projection.data.Explanation`, and so has every
    source entity that was not projected, so the app can show where a span
    came from without recomputing anything.
    """

    kind = "projector"
    costly: ClassVar[bool] = False
    """True for projectors that translate and align on their own: slow, and (eflomal seeds itself at random)
    not repeatable, so a committee run caches their output like a shared stage."""

    def explain(
        self, sources: Sequence[Sentence], targets: Sequence[Sentence], alignments: Sequence[Alignment]
    ) -> list[Projection]:
        if not len(sources) == len(targets) == len(alignments):
            raise ValueError("sources, targets and alignments must have the same length")
        return [self.explain_one(s, t, a) for s, t, a in zip(sources, targets, alignments, strict=True)]

    def explain_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> Projection:
        raise NotImplementedError(f"{type(self).__name__} projects whole batches only")

    def project(
        self, sources: Sequence[Sentence], targets: Sequence[Sentence], alignments: Sequence[Alignment]
    ) -> list[list[Span]]:
        """The projected spans alone."""
        return [projection.spans for projection in self.explain(sources, targets, alignments)]

    def project_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> list[Span]:
        return self.explain_one(source, target, alignment).spans

    @property
    def origin(self) -> str:
        """The ``origin`` written on every span this projector makes."""
        return f"projected:{self.name}"


def links_between(alignment: Alignment, entity: Span, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The links from the words of ``entity`` into target words ``start`` .. ``end - 1``, sorted."""
    return tuple(sorted((i, j) for i, j in alignment.links if entity.start <= i < entity.end and start <= j < end))


projectors = Registry("projector")
projectors.register("heuristic", "projection.projectors.heuristic:HeuristicProjector")
projectors.register("garcia-ferrero", "projection.projectors.garcia_ferrero:GarciaFerreroProjector")
projectors.register("ngram-greedy", "projection.projectors.candidate_matching:NgramGreedyProjector")
projectors.register("ngram-exact", "projection.projectors.candidate_matching:NgramExactProjector")
projectors.register("ner-greedy", "projection.projectors.candidate_matching:NerGreedyProjector")
projectors.register("ner-exact", "projection.projectors.candidate_matching:NerExactProjector")
projectors.register("backtranslation", "projection.projectors.backtranslation:BacktranslationProjector")
projectors.register("model-transfer", "projection.projectors.model_transfer:ModelTransferProjector")
