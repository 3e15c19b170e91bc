"""The data model: everything is indexed by tokens.

Character offsets exist only at the edges (the app, raw-text readers). A
pipeline step works on a *batch*, a ``dict[str, list]`` of plain JSON-able
columns (see :data:`BATCH_COLUMNS`), so that the same step runs in a Python
loop, in ``datasets.map`` and in Ray Data; the dataclasses below are the typed
view of one row, with ``to_dict``/``from_dict`` for the batch form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class Span:
    """Tokens ``start`` (inclusive) to ``end`` (exclusive) carrying ``label``.

    ``origin`` says where the span came from (``gold``, ``spacy``,
    ``projected:heuristic``, ``corrected`` ...); ``score`` is a model or
    matching score where one exists.
    """

    start: int
    end: int
    label: str
    score: float | None = None
    origin: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"span [{self.start}, {self.end}) is empty or negative")

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def key(self) -> tuple[int, int, str]:
        """Identity for comparisons that ignore score and origin."""
        return (self.start, self.end, self.label)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "score": self.score,
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Span:
        score = data.get("score")
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            label=str(data["label"]),
            score=None if score is None else float(score),
            origin=str(data.get("origin") or ""),
        )


def spans_to_dicts(spans: Iterable[Span]) -> list[dict[str, Any]]:
    return [span.to_dict() for span in spans]


def spans_from_dicts(items: Iterable[Mapping[str, Any]] | None) -> list[Span]:
    return [Span.from_dict(item) for item in items or []]


@dataclass(slots=True)
class Sentence:
    """A tokenised sentence in one language, with the spans it carries (if any)."""

    id: str
    lang: str
    tokens: list[str]
    spans: list[Span] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def text(self) -> str:
        """Tokens joined by spaces: the form handed to translators."""
        return " ".join(self.tokens)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "tokens": list(self.tokens),
            "spans": spans_to_dicts(self.spans),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Sentence:
        return cls(
            id=str(data["id"]),
            lang=str(data.get("lang") or ""),
            tokens=[str(token) for token in data["tokens"]],
            spans=spans_from_dicts(data.get("spans")),
        )


@dataclass(slots=True)
class Alignment:
    """Word alignment links (source index, target index).

    ``scores`` (one per link, same order) and ``similarity`` (the full
    ``len(src) x len(tgt)`` matrix) are filled by aligners that have them, for
    the app's heatmap and for score-aware projectors.
    """

    links: list[tuple[int, int]] = field(default_factory=list)
    scores: list[float] | None = None
    similarity: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.links = [(int(i), int(j)) for i, j in self.links]
        if self.scores is not None and len(self.scores) != len(self.links):
            raise ValueError("alignment scores must have one value per link")

    def __len__(self) -> int:
        return len(self.links)

    def matrix(self, n_src: int, n_tgt: int) -> np.ndarray:
        """Boolean link matrix of shape (n_src, n_tgt); out-of-range links are dropped."""
        out = np.zeros((n_src, n_tgt), dtype=bool)
        if self.links:
            pairs = np.asarray(self.links, dtype=np.int64)
            keep = (pairs[:, 0] < n_src) & (pairs[:, 1] < n_tgt) & (pairs >= 0).all(axis=1)
            out[pairs[keep, 0], pairs[keep, 1]] = True
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "links": [[i, j] for i, j in self.links],
            "scores": None if self.scores is None else [float(s) for s in self.scores],
            "similarity": None if self.similarity is None else self.similarity.tolist(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Alignment:
        if not data:
            return cls()
        similarity = data.get("similarity")
        return cls(
            links=[(int(i), int(j)) for i, j in data.get("links") or []],
            scores=None if data.get("scores") is None else [float(s) for s in data["scores"]],
            similarity=None if similarity is None else np.asarray(similarity, dtype=np.float32),
        )


EXPLANATION_KINDS = ("links", "candidate", "propagated", "model", "dropped")
DROP_REASONS = ("no-links", "length-ratio", "overlap", "punctuation", "marker-lost", "no-candidate")


@dataclass(frozen=True)
class Explanation:
    """A projector's own account of one decision: why a target span is there, or why an entity is not.

    ``kind`` is one of :data:`EXPLANATION_KINDS`: ``links`` (the span is the
    target words linked to the entity, ``links`` lists them), ``candidate``
    (a matched n-gram or NER candidate with ``score`` c(e,t) and the entity's
    next best candidate as ``runner_up`` = (start, end, score)),
    ``propagated`` (label propagation copied the phrase; ``detail["from"]``
    names sentences it was projected in), ``model`` (a target-side model's
    span) or ``dropped`` (the entity was not projected; ``reason`` is one of
    :data:`DROP_REASONS`, ``detail`` holds the numbers, e.g. the length ratio
    and its threshold). ``entity`` indexes ``source.spans``; ``span`` is the
    target ``(start, end)``, None for a dropped entity.
    """

    kind: str
    label: str
    entity: int | None = None
    span: tuple[int, int] | None = None
    links: tuple[tuple[int, int], ...] = ()
    score: float | None = None
    runner_up: tuple[int, int, float] | None = None
    reason: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in EXPLANATION_KINDS:
            raise ValueError(f"unknown explanation kind {self.kind!r}")
        if self.kind == "dropped" and self.reason not in DROP_REASONS:
            raise ValueError(f"a dropped entity needs a reason among {DROP_REASONS}, not {self.reason!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "entity": self.entity,
            "span": None if self.span is None else list(self.span),
            "links": [list(link) for link in self.links],
            "score": self.score,
            "runner_up": None if self.runner_up is None else list(self.runner_up),
            "reason": self.reason,
            "detail": dict(self.detail),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Explanation:
        span, runner_up, score = data.get("span"), data.get("runner_up"), data.get("score")
        return cls(
            kind=str(data["kind"]),
            label=str(data.get("label") or ""),
            entity=None if data.get("entity") is None else int(data["entity"]),
            span=None if span is None else (int(span[0]), int(span[1])),
            links=tuple((int(i), int(j)) for i, j in data.get("links") or ()),
            score=None if score is None else float(score),
            runner_up=None if runner_up is None else (int(runner_up[0]), int(runner_up[1]), float(runner_up[2])),
            reason=None if data.get("reason") is None else str(data["reason"]),
            detail=dict(data.get("detail") or {}),
        )


def explanations_to_dicts(explanations: Iterable[Explanation]) -> list[dict[str, Any]]:
    return [explanation.to_dict() for explanation in explanations]


def explanations_from_dicts(items: Iterable[Mapping[str, Any]] | None) -> list[Explanation]:
    return [Explanation.from_dict(item) for item in items or []]


@dataclass(slots=True)
class ProjectionRecord:
    """One projected sentence pair and how it was made.

    ``source`` is the labelled side (its ``spans`` are the entities to carry
    over); ``target`` is the side that receives them (its own ``spans`` are
    unused: projections live in ``projected``, gold labels in ``gold``). In
    translate-train the source is the original sentence; in translate-test it
    is the English translation and the target is the original sentence.
    ``provenance`` names the method, models, versions and parameters;
    ``explanations`` says why each projected span is there and why each
    unprojected source entity is not, as the projector decided it.
    """

    id: str
    source: Sentence
    target: Sentence
    alignment: Alignment = field(default_factory=Alignment)
    projected: list[Span] = field(default_factory=list)
    gold: list[Span] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    explanations: list[Explanation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.to_dict(),
            "target": self.target.to_dict(),
            "alignment": self.alignment.to_dict(),
            "projected": spans_to_dicts(self.projected),
            "gold": None if self.gold is None else spans_to_dicts(self.gold),
            "provenance": dict(self.provenance),
            "explanations": explanations_to_dicts(self.explanations),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProjectionRecord:
        gold = data.get("gold")
        return cls(
            id=str(data["id"]),
            source=Sentence.from_dict(data["source"]),
            target=Sentence.from_dict(data["target"]),
            alignment=Alignment.from_dict(data.get("alignment")),
            projected=spans_from_dicts(data.get("projected")),
            gold=None if gold is None else spans_from_dicts(gold),
            provenance=dict(data.get("provenance") or {}),
            explanations=explanations_from_dicts(data.get("explanations")),
        )


Batch = dict[str, list]
"""Columns of equal length; one row per sentence pair. See :data:`BATCH_COLUMNS`."""

BATCH_COLUMNS: dict[str, str] = {
    "id": "sentence id (str)",
    "src_lang": "language of the labelled side (str)",
    "tgt_lang": "language of the receiving side (str)",
    "src_tokens": "tokens of the labelled side (list[str])",
    "src_spans": "entities on the labelled side (list[span dict])",
    "tgt_tokens": "tokens of the receiving side (list[str])",
    "gold_spans": "gold entities on the receiving side, or None",
    "alignment": "alignment dict: links [[i, j]], scores, similarity",
    "projected_spans": "spans carried onto the receiving side (list[span dict])",
    "explanations": "why each projected span is there, why each dropped entity is not (list[explanation dict])",
    "provenance": "method, models, versions and parameters (dict)",
}


def batch_size(batch: Mapping[str, Sequence[Any]]) -> int:
    """Number of rows; all columns must agree."""
    sizes = {len(column) for column in batch.values()}
    if len(sizes) > 1:
        raise ValueError(f"batch columns differ in length: {sorted(sizes)}")
    return sizes.pop() if sizes else 0


def records_to_batch(records: Sequence[ProjectionRecord]) -> Batch:
    return {
        "id": [r.id for r in records],
        "src_lang": [r.source.lang for r in records],
        "tgt_lang": [r.target.lang for r in records],
        "src_tokens": [list(r.source.tokens) for r in records],
        "src_spans": [spans_to_dicts(r.source.spans) for r in records],
        "tgt_tokens": [list(r.target.tokens) for r in records],
        "gold_spans": [None if r.gold is None else spans_to_dicts(r.gold) for r in records],
        "alignment": [r.alignment.to_dict() for r in records],
        "projected_spans": [spans_to_dicts(r.projected) for r in records],
        "explanations": [explanations_to_dicts(r.explanations) for r in records],
        "provenance": [dict(r.provenance) for r in records],
    }


def batch_to_records(batch: Mapping[str, Sequence[Any]]) -> list[ProjectionRecord]:
    """Rows of a batch as records; missing columns take their empty defaults."""
    n = batch_size(batch)

    def column(name: str, default: Any = None) -> Sequence[Any]:
        values = batch.get(name)
        return [default] * n if values is None else values

    records = []
    rows = zip(
        column("id"),
        column("src_lang", ""),
        column("tgt_lang", ""),
        column("src_tokens", []),
        column("src_spans", []),
        column("tgt_tokens", []),
        column("gold_spans"),
        column("alignment"),
        column("projected_spans", []),
        column("provenance", {}),
        column("explanations", []),
        strict=True,
    )
    for i, (
        sid,
        src_lang,
        tgt_lang,
        src_tokens,
        src_spans,
        tgt_tokens,
        gold,
        alignment,
        projected,
        prov,
        why,
    ) in enumerate(rows):
        sid = str(i) if sid is None else str(sid)
        records.append(
            ProjectionRecord(
                id=sid,
                source=Sentence(sid, str(src_lang or ""), [str(t) for t in src_tokens], spans_from_dicts(src_spans)),
                target=Sentence(sid, str(tgt_lang or ""), [str(t) for t in tgt_tokens]),
                alignment=Alignment.from_dict(alignment),
                projected=spans_from_dicts(projected),
                gold=None if gold is None else spans_from_dicts(gold),
                provenance=dict(prov or {}),
                explanations=explanations_from_dicts(why),
            )
        )
    return records
