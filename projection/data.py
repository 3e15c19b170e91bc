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

    def targets_of(self, source_indices: Iterable[int]) -> set[int]:
        wanted = set(source_indices)
        return {j for i, j in self.links if i in wanted}

    def inverted(self) -> Alignment:
        """The same links seen from the other side (target, source)."""
        similarity = None if self.similarity is None else self.similarity.T.copy()
        return Alignment(
            links=[(j, i) for i, j in self.links],
            scores=None if self.scores is None else list(self.scores),
            similarity=similarity,
        )

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


@dataclass(slots=True)
class ProjectionRecord:
    """One projected sentence pair and how it was made.

    ``source`` is the labelled side (its ``spans`` are the entities to carry
    over); ``target`` is the side that receives them (its own ``spans`` are
    unused: projections live in ``projected``, gold labels in ``gold``). In
    translate-train the source is the original sentence; in translate-test it
    is the English translation and the target is the original sentence.
    ``provenance`` names the method, models, versions and parameters.
    """

    id: str
    source: Sentence
    target: Sentence
    alignment: Alignment = field(default_factory=Alignment)
    projected: list[Span] = field(default_factory=list)
    gold: list[Span] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.to_dict(),
            "target": self.target.to_dict(),
            "alignment": self.alignment.to_dict(),
            "projected": spans_to_dicts(self.projected),
            "gold": None if self.gold is None else spans_to_dicts(self.gold),
            "provenance": dict(self.provenance),
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
        "provenance": [dict(r.provenance) for r in records],
    }


def batch_to_records(batch: Mapping[str, Sequence[Any]]) -> list[ProjectionRecord]:
    """Rows of a batch as records; missing columns take their empty defaults."""
    n = batch_size(batch)

    def column(name: str, default: Any = None) -> Sequence[Any]:
        values = batch.get(name)
        return [default] * n if values is None else values

    records = []
    for i, (sid, src_lang, tgt_lang, src_tokens, src_spans, tgt_tokens, gold, alignment, projected, prov) in enumerate(
        zip(
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
            strict=True,
        )
    ):
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
            )
        )
    return records
