"""Candidate-matching projectors: score target candidates against source entities, then match.

Four registered variants: candidates are all n-grams (``ngram-*``) or the
spans a target-side NER model predicts (``ner-*``, the model's labels
discarded), and the matcher is greedy (``*-greedy``, the paper's argmax) or
exact (``*-exact``). Each projected span takes its source entity's label,
its score is c(e, t), and its origin is ``projected:<name>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal

import numpy as np

from projection.data import Alignment, Explanation, Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller, labellers
from projection.projectors import Projection, Projector, links_between
from projection.projectors.candidates import (
    DEFAULT_EXCLUDED_CHARS,
    CandidateSpans,
    ngram_candidates,
    span_candidates,
)
from projection.projectors.matching import Match, exact_match, greedy_match
from projection.projectors.scoring import alignment_scores, entity_link_counts

CandidateKind = Literal["ngram", "ner"]
MatcherKind = Literal["greedy", "exact"]


class CandidateMatchingProjector(Projector):
    """Project by matching source entities with target candidates.

    ``labeller`` (a :class:`Labeller` or a labeller spec such as
    ``spacy:fr_core_news_sm``) supplies NER candidates and is required for
    ``candidates="ner"``. ``max_len`` caps n-gram length (none by default, as
    in the paper); n-grams with a token containing one of ``excluded_chars``
    are never candidates.
    """

    name: ClassVar[str] = "candidate-matching"

    def __init__(
        self,
        *,
        candidates: CandidateKind = "ngram",
        matcher: MatcherKind = "greedy",
        labeller: Labeller | str | None = None,
        max_len: int | str | None = None,
        excluded_chars: str = DEFAULT_EXCLUDED_CHARS,
    ) -> None:
        if candidates not in ("ngram", "ner"):
            raise ProjectionError(f"Unknown candidate kind {candidates!r}: use 'ngram' or 'ner'.")
        if matcher not in ("greedy", "exact"):
            raise ProjectionError(f"Unknown matcher {matcher!r}: use 'greedy' or 'exact'.")
        if candidates == "ner" and labeller is None:
            raise ProjectionError(
                f"The {self.name} projector takes its candidates from a target-side NER model, but none was given. "
                f"Name one in the spec, e.g. '{self.name}:spacy:fr_core_news_sm'."
            )
        self.candidates = candidates
        self.matcher = matcher
        self.labeller = labellers.create(labeller) if isinstance(labeller, str) else labeller
        self.max_len = _parse_max_len(max_len)
        self.excluded_chars = excluded_chars

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"candidates": self.candidates, "matcher": self.matcher}
        if self.candidates == "ngram":
            params.update(max_len=self.max_len, excluded_chars=self.excluded_chars)
        else:
            assert self.labeller is not None
            params["labeller"] = self.labeller.identity()
        return params

    def explain(
        self, sources: Sequence[Sentence], targets: Sequence[Sentence], alignments: Sequence[Alignment]
    ) -> list[Projection]:
        if not len(sources) == len(targets) == len(alignments):
            raise ValueError("sources, targets and alignments must have the same length")
        predicted = self._target_predictions(targets)
        return [
            self.explain_with_candidates(source, target, alignment, spans)
            for source, target, alignment, spans in zip(sources, targets, alignments, predicted, strict=True)
        ]

    def explain_one(self, source: Sentence, target: Sentence, alignment: Alignment) -> Projection:
        return self.explain([source], [target], [alignment])[0]

    def explain_with_candidates(
        self, source: Sentence, target: Sentence, alignment: Alignment, predicted: Sequence[Span] | None = None
    ) -> Projection:
        """Project one sentence; ``predicted`` are the target model's spans (NER candidates only)."""
        order = sorted(range(len(source.spans)), key=lambda k: (source.spans[k].start, source.spans[k].end))
        entities = [source.spans[k] for k in order]
        if not entities:
            return Projection()
        if not target.tokens or not alignment.links:
            return Projection(
                [],
                [
                    Explanation("dropped", e.label, entity=k, reason="no-links")
                    for k, e in zip(order, entities, strict=True)
                ],
            )
        entity_starts = np.fromiter((span.start for span in entities), dtype=np.int64, count=len(entities))
        entity_ends = np.fromiter((span.end for span in entities), dtype=np.int64, count=len(entities))
        link_counts = entity_link_counts(
            entity_starts, entity_ends, alignment.matrix(len(source.tokens), len(target.tokens))
        )
        linked = link_counts.any(axis=0)
        if self.candidates == "ngram":
            candidates = ngram_candidates(
                target.tokens, max_len=self.max_len, excluded_chars=self.excluded_chars, required=linked
            )
        else:
            candidates = span_candidates(predicted or [], len(target.tokens), required=linked)
        if len(candidates) == 0:
            scores = np.zeros((len(entities), 0))
            matches = []
        else:
            scores = alignment_scores(link_counts, (entity_ends - entity_starts).astype(np.float64), candidates)
            if self.matcher == "greedy":
                matches = greedy_match(scores, candidates)
            else:
                matches = exact_match(scores, candidates, link_counts=link_counts)
        spans, explanations = [], []
        for match in matches:
            entity = entities[match.entity]
            start, end = int(candidates.starts[match.candidate]), int(candidates.ends[match.candidate])
            spans.append(Span(start, end, entity.label, score=match.score, origin=self.origin))
            explanations.append(
                Explanation(
                    "candidate",
                    entity.label,
                    entity=order[match.entity],
                    span=(start, end),
                    links=links_between(alignment, entity, start, end),
                    score=round(match.score, 6),
                    runner_up=runner_up(scores[match.entity], candidates, match.candidate),
                    detail={"candidates": self.candidates},
                )
            )
        matched = {match.entity for match in matches}
        for row, entity in enumerate(entities):
            if row in matched:
                continue
            explanations.append(self._dropped(row, order[row], entity, link_counts, scores, candidates, matches))
        return Projection(sorted(spans, key=lambda span: span.start), explanations)

    def _dropped(
        self,
        row: int,
        index: int,
        entity: Span,
        link_counts: np.ndarray,
        scores: np.ndarray,
        candidates: CandidateSpans,
        matches: Sequence[Match],
    ) -> Explanation:
        """Why entity ``row`` got no candidate: no links, every scoring candidate taken, or no candidate at all."""
        if not link_counts[row].any():
            return Explanation("dropped", entity.label, entity=index, reason="no-links")
        if scores.shape[1] == 0 or not (scores[row] > 0).any():
            return Explanation(
                "dropped", entity.label, entity=index, reason="no-candidate", detail={"candidates": self.candidates}
            )
        best = int(scores[row].argmax())
        start, end = int(candidates.starts[best]), int(candidates.ends[best])
        taken = next(
            (m for m in matches if candidates.starts[m.candidate] < end and start < candidates.ends[m.candidate]), None
        )
        detail: dict[str, Any] = {"best": [start, end], "best_score": round(float(scores[row, best]), 6)}
        if taken is not None:
            detail["to"] = [int(candidates.starts[taken.candidate]), int(candidates.ends[taken.candidate])]
        return Explanation("dropped", entity.label, entity=index, reason="overlap", detail=detail)

    def _target_predictions(self, targets: Sequence[Sentence]) -> list[list[Span] | None]:
        if self.candidates == "ngram":
            return [None] * len(targets)
        assert self.labeller is not None
        return [list(spans) for spans in self.labeller.label(targets)]


def runner_up(row: np.ndarray, candidates: CandidateSpans, chosen: int) -> tuple[int, int, float] | None:
    """The entity's best candidate other than the chosen one, with its score (None when no other scores)."""
    others = row.copy()
    others[chosen] = 0.0
    best = int(others.argmax())
    if others[best] <= 0:
        return None
    return (int(candidates.starts[best]), int(candidates.ends[best]), round(float(others[best]), 6))


def _parse_max_len(max_len: int | str | None) -> int | None:
    if max_len is None or max_len == "":
        return None
    try:
        value = int(max_len)
    except (TypeError, ValueError):
        value = 0
    if value < 1:
        raise ProjectionError(
            f"The n-gram length cap must be a positive whole number, got {max_len!r} "
            "(e.g. 'ngram-greedy:5' for n-grams of at most 5 tokens; no cap by default)."
        )
    return value


class NgramGreedyProjector(CandidateMatchingProjector):
    name = "ngram-greedy"

    def __init__(self, max_len: int | str | None = None, **options: Any) -> None:
        super().__init__(candidates="ngram", matcher="greedy", max_len=max_len, **options)


class NgramExactProjector(CandidateMatchingProjector):
    name = "ngram-exact"

    def __init__(self, max_len: int | str | None = None, **options: Any) -> None:
        super().__init__(candidates="ngram", matcher="exact", max_len=max_len, **options)


class NerGreedyProjector(CandidateMatchingProjector):
    name = "ner-greedy"

    def __init__(self, labeller: Labeller | str | None = None, **options: Any) -> None:
        super().__init__(candidates="ner", matcher="greedy", labeller=labeller, **options)


class NerExactProjector(CandidateMatchingProjector):
    name = "ner-exact"

    def __init__(self, labeller: Labeller | str | None = None, **options: Any) -> None:
        super().__init__(candidates="ner", matcher="exact", labeller=labeller, **options)
