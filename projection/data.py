"""The data model: everything is indexed by tokens.

Character offsets exist only at the edges (the app, raw-text readers). A
pipeline step works on a *batch*, a ``dict[str, list]`` of plain JSON-able
columns (see :data:`BATCH_COLUMNS`), so that the same step runs in a Python
loop, in ``datasets.map`` and in Ray Data; the dataclasses below are the typed
view of one row, with ``to_dict``/``from_dict`` for the batch form.
"""

from __future__ import annotations

import itertools
import numbers
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


def _mapping(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{what} must be an object, not {type(data).__name__}")
    return data


def _required(data: Mapping[str, Any], key: str, what: str) -> Any:
    if data.get(key) is None:
        raise ValueError(f"{what} has no {key!r}")
    return data[key]


def _integer(value: Any, what: str) -> int:
    """``value`` as an int if it is one (a NumPy integer too); a float, string or bool is refused."""
    if not isinstance(value, bool):
        try:
            return operator.index(value)
        except TypeError:
            pass
    raise ValueError(f"{what} must be an integer, not {value!r}")


def _number(value: Any, what: str) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise ValueError(f"{what} must be a number, not {value!r}")


def _text(value: Any, what: str, *, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value):
        raise ValueError(f"{what} must be a{'' if empty else ' non-empty'} string, not {value!r}")
    return value


def _identifier(value: Any, what: str) -> str:
    """A sentence id: a string, or an integer written as one."""
    if isinstance(value, str):
        return value
    return str(_integer(value, what))


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValueError(f"{what} must be a list, not {type(value).__name__}")
    return list(value)


def _check_spans(spans: Sequence[Span], n_tokens: int, what: str, *, flat: bool = False) -> None:
    """Every span lies inside the sentence; with ``flat``, no two overlap (they must encode as IOB2 tags)."""
    for span in spans:
        if span.end > n_tokens:
            raise ValueError(f"{what} span {span.key} ends after the last token ({n_tokens} tokens)")
    if flat:
        ordered = sorted(spans, key=lambda span: (span.start, span.end))
        for before, after in itertools.pairwise(ordered):
            if before.overlaps(after):
                raise ValueError(f"{what} spans {before.key} and {after.key} overlap")


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
        """A span from its dict; wrong types or an empty or negative range raise ``ValueError``."""
        data = _mapping(data, "a span")
        score, origin = data.get("score"), data.get("origin")
        return cls(
            start=_integer(_required(data, "start", "a span"), "a span's start"),
            end=_integer(_required(data, "end", "a span"), "a span's end"),
            label=_text(_required(data, "label", "a span"), "a span's label", empty=False),
            score=None if score is None else _number(score, "a span's score"),
            origin="" if origin is None else _text(origin, "a span's origin"),
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
        """A sentence from its dict: tokens a list of strings, spans inside it; else ``ValueError``."""
        data = _mapping(data, "a sentence")
        tokens = _list(_required(data, "tokens", "a sentence"), "tokens")
        for token in tokens:
            _text(token, "every token")
        spans = spans_from_dicts(_list(data.get("spans"), "spans"))
        _check_spans(spans, len(tokens), "a")
        lang = data.get("lang")
        return cls(
            id=_identifier(_required(data, "id", "a sentence"), "a sentence id"),
            lang="" if lang is None else _text(lang, "a sentence's lang"),
            tokens=tokens,
            spans=spans,
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
        """An alignment from its dict (None: no links); malformed links, scores or matrix raise ``ValueError``."""
        if not data:
            return cls()
        data = _mapping(data, "an alignment")
        links = []
        for link in _list(data.get("links"), "alignment links"):
            if not isinstance(link, list | tuple) or len(link) != 2:
                raise ValueError(f"an alignment link must be a pair [source index, target index], not {link!r}")
            links.append((_integer(link[0], "a link's source index"), _integer(link[1], "a link's target index")))
        scores = data.get("scores")
        similarity = data.get("similarity")
        matrix = None
        if similarity is not None:
            matrix = np.asarray(similarity, dtype=np.float32)
            if matrix.ndim != 2:
                raise ValueError(f"the similarity matrix must have two dimensions, not {matrix.ndim}")
        return cls(
            links=links,
            scores=None if scores is None else [_number(s, "a link score") for s in _list(scores, "link scores")],
            similarity=matrix,
        )

    def check(self, n_src: int, n_tgt: int) -> None:
        """``ValueError`` unless every link and the similarity matrix fit sentences of these lengths."""
        for i, j in self.links:
            if not (0 <= i < n_src and 0 <= j < n_tgt):
                raise ValueError(
                    f"alignment link ({i}, {j}) is outside the sentences ({n_src} source, {n_tgt} target tokens)"
                )
        if self.similarity is not None and self.similarity.shape != (n_src, n_tgt):
            raise ValueError(
                f"the similarity matrix is {self.similarity.shape[0]} x {self.similarity.shape[1]} but the "
                f"sentences have {n_src} and {n_tgt} tokens"
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
        """A record from its dict, checked as every view of it relies on; else ``ValueError`` saying what is wrong.

        The target must have tokens (it is the sentence shown, reviewed and
        exported); every span lies inside its sentence; gold spans do not
        overlap (they are scored as IOB2 tags); alignment links, the
        similarity matrix and explanations point inside the sentences.
        Projected and source spans may overlap: some projectors make such
        spans, and formats built on tags refuse them on export.
        """
        data = _mapping(data, "a record")
        source, target = (_side(data, side) for side in ("source", "target"))
        if not target.tokens:
            raise ValueError("the target sentence has no tokens")
        alignment = Alignment.from_dict(data.get("alignment"))
        alignment.check(len(source.tokens), len(target.tokens))
        projected = spans_from_dicts(_list(data.get("projected"), "projected spans"))
        _check_spans(projected, len(target.tokens), "a projected")
        gold_items = data.get("gold")
        gold = None if gold_items is None else spans_from_dicts(_list(gold_items, "gold spans"))
        if gold is not None:
            _check_spans(gold, len(target.tokens), "a gold", flat=True)
        provenance = data.get("provenance")
        if provenance is not None and not isinstance(provenance, Mapping):
            raise ValueError(f"the provenance must be an object, not {type(provenance).__name__}")
        explanations = explanations_from_dicts(_list(data.get("explanations"), "explanations"))
        for explanation in explanations:
            _check_explanation(explanation, len(source.spans), len(source.tokens), len(target.tokens))
        return cls(
            id=_identifier(_required(data, "id", "the record"), "the record id"),
            source=source,
            target=target,
            alignment=alignment,
            projected=projected,
            gold=gold,
            provenance=dict(provenance or {}),
            explanations=explanations,
        )


def _side(data: Mapping[str, Any], side: str) -> Sentence:
    try:
        return Sentence.from_dict(_mapping(_required(data, side, "the record"), f"the {side}"))
    except ValueError as err:
        raise ValueError(f"in the {side}: {err}") from None


def _check_explanation(explanation: Explanation, n_entities: int, n_src: int, n_tgt: int) -> None:
    if explanation.entity is not None and not 0 <= explanation.entity < n_entities:
        raise ValueError(f"an explanation names entity {explanation.entity} but the source has {n_entities}")
    if explanation.span is not None and not 0 <= explanation.span[0] < explanation.span[1] <= n_tgt:
        raise ValueError(f"an explanation's span {explanation.span} is not inside the target ({n_tgt} tokens)")
    words = explanation.detail.get("backtranslation")  # links made through a back-translation start from its words
    Alignment(list(explanation.links)).check(len(words) if isinstance(words, list) else n_src, n_tgt)


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
