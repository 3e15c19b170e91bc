"""Back-translation refinement: project through a same-language alignment instead of a cross-language one.

The source sentence (e.g. the English translation of a Spanish sentence, with
its entities found by English NER) is translated back into the target
language with its entities marked (EasyProject markers, see
:mod:`projection.markers`), giving a target-language sentence whose entity
spans are known. That sentence is aligned with the original target sentence
(same language, so alignment is easier) and the spans are projected through
that alignment with an inner projector (the heuristic or a candidate
matcher). Entities whose markers are lost in translation and cannot be found
again are counted and their sentences listed in :attr:`last_report`.

translate-test flow: target (es, gold) -> es-en MT -> English NER -> mark ->
en-es back-translation -> align original es with back-translated es -> project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from projection.aligners import Aligner, aligners
from projection.data import Alignment, Explanation, Sentence
from projection.errors import ProjectionError
from projection.markers import DEFAULT_THRESHOLD, MarkerReport, Markers, easyproject
from projection.projectors import Projection, Projector, projectors
from projection.translators import Translator, translators


class BacktranslationProjector(Projector):
    """``backtranslation[:INNER]``: marked back-translation, same-language alignment, then ``INNER`` (heuristic).

    ``translator`` is a spec or instance translating source -> target
    language (default ``apertium``; a spec is built for the languages of the
    sentences it is given). ``aligner`` aligns the back-translation with the
    original target sentence (default ``eflomal``; ``surface`` needs no
    model). The cross-language alignments handed to :meth:`project` are not
    used.
    """

    name: ClassVar[str] = "backtranslation"
    costly: ClassVar[bool] = True

    def __init__(
        self,
        projector: Projector | str = "heuristic",
        *,
        translator: Translator | str = "apertium",
        aligner: Aligner | str = "eflomal",
        markers: Markers | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.inner = projectors.create(projector) if isinstance(projector, str) else projector
        if isinstance(self.inner, BacktranslationProjector):
            raise ProjectionError("backtranslation cannot wrap itself: name a projector such as heuristic.")
        self.translator_spec = translator
        self.aligner = aligners.create(aligner) if isinstance(aligner, str) else aligner
        self.markers = markers or Markers()
        self.threshold = float(threshold)
        self.last_report: MarkerReport | None = None
        self.last_backtranslations: list[Sentence] = []
        self.last_alignments: list[Alignment] = []

    def params(self) -> dict[str, Any]:
        translator = self.translator_spec
        return {
            "projector": self.inner.identity(),
            "translator": translator if isinstance(translator, str) else translator.identity(),
            "aligner": self.aligner.identity(),
            "markers": [self.markers.open, self.markers.close],
            "threshold": self.threshold,
        }

    def explain(
        self, sources: Sequence[Sentence], targets: Sequence[Sentence], alignments: Sequence[Alignment]
    ) -> list[Projection]:
        if not len(sources) == len(targets) == len(alignments):
            raise ValueError("sources, targets and alignments must have the same length")
        if not sources:
            return []
        source_lang, target_lang = sources[0].lang, targets[0].lang
        if not source_lang or not target_lang:
            raise ProjectionError(
                "Back-translation needs the languages of both sides (the sentences' lang is empty): "
                "run it through the pipeline, or set Sentence.lang."
            )
        transfer = easyproject(
            sources,
            self._translator(source_lang, target_lang),
            target_lang,
            markers=self.markers,
            threshold=self.threshold,
            origin=self.origin,
        )
        backtranslations = transfer.sentences
        same_language = self.aligner.align([s.tokens for s in backtranslations], [t.tokens for t in targets])
        inner = self.inner.explain(backtranslations, list(targets), same_language)
        self.last_report = transfer.report
        self.last_backtranslations = backtranslations
        self.last_alignments = same_language
        return [
            through_backtranslation(source, projection, backtranslation, owners, self.origin, report)
            for source, projection, backtranslation, owners, report in zip(
                sources, inner, backtranslations, transfer.entities, transfer.by_sentence, strict=True
            )
        ]

    def explain_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> Projection:
        return self.explain([source], [target], [alignment])[0]

    def _translator(self, source_lang: str, target_lang: str) -> Translator:
        if isinstance(self.translator_spec, Translator):
            return self.translator_spec
        return translators.create(self.translator_spec, src_lang=source_lang, tgt_lang=target_lang)


def through_backtranslation(
    source: Sentence,
    inner: Projection,
    backtranslation: Sentence,
    owners: Sequence[int],
    origin: str,
    markers: MarkerReport,
) -> Projection:
    """The inner projection told in terms of the source entities.

    The inner projector worked on the back-translation's spans; each is
    mapped back to the source entity it was read as (``owners``), its links
    (back-translation word -> target word) are kept with the back-translated
    words in ``detail`` so that they can be shown, and the entities whose
    markers were lost are dropped with the reason ``marker-lost``.
    """
    detail = {"via": "back-translation", "backtranslation": list(backtranslation.tokens)}
    explanations = [
        replace(
            explanation,
            entity=None if explanation.entity is None else owners[explanation.entity],
            detail={**explanation.detail, **detail},
        )
        for explanation in inner.explanations
    ]
    read_back = set(owners)
    explanations += [
        Explanation("dropped", entity.label, entity=index, reason="marker-lost")
        for index, entity in enumerate(source.spans)
        if index not in read_back
    ]
    return Projection([replace(span, origin=origin) for span in inner.spans], explanations, markers.to_dict())
