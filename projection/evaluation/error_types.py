"""Why a projected span is wrong: a per-span error taxonomy for the Errors page and reports.

Kinds, for a matched (gold, predicted) pair:

- ``correct``: same boundaries, same label;
- ``wrong_label``: same boundaries, another label;
- ``boundary``: overlapping, other boundaries, same label;
- ``boundary_label``: overlapping, other boundaries and another label;

and for an unmatched span: ``missed`` (a gold span) or ``spurious`` (a
predicted span).

Matching, within one sentence: among overlapping (gold, predicted) pairs,
the pair sharing the most tokens is matched first (ties: same label first,
then leftmost gold, then leftmost prediction), each span at most once. When
the spans of each side do not overlap each other (valid IOB2), a prediction
with a gold span's exact boundaries can overlap no other span, so it is always
matched to that gold span. Every gold span appears in exactly one error (one of
the four pair kinds or ``missed``) and every predicted span in exactly one
(a pair kind or ``spurious``). A prediction that overlaps only gold spans
already matched to a better prediction (a gold entity split in two) is
``spurious``; a gold span overlapping only predictions taken by other gold
spans is ``missed``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from projection.data import Span
from projection.errors import ProjectionError
from projection.tags import keep_labels

CORRECT = "correct"
WRONG_LABEL = "wrong_label"
BOUNDARY = "boundary"
BOUNDARY_LABEL = "boundary_label"
MISSED = "missed"
SPURIOUS = "spurious"
KINDS: tuple[str, ...] = (CORRECT, WRONG_LABEL, BOUNDARY, BOUNDARY_LABEL, MISSED, SPURIOUS)


@dataclass(frozen=True)
class SpanError:
    """One gold span, one predicted span, or a matched pair of both, with its kind."""

    kind: str
    gold: Span | None
    predicted: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "gold": None if self.gold is None else self.gold.to_dict(),
            "predicted": None if self.predicted is None else self.predicted.to_dict(),
        }


def _pair_kind(gold: Span, predicted: Span) -> str:
    same_boundaries = (gold.start, gold.end) == (predicted.start, predicted.end)
    same_label = gold.label == predicted.label
    if same_boundaries:
        return CORRECT if same_label else WRONG_LABEL
    return BOUNDARY if same_label else BOUNDARY_LABEL


def _shared_tokens(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _position(error: SpanError) -> int:
    span = error.gold if error.gold is not None else error.predicted
    return span.start if span is not None else 0


def classify_sentence(gold: Sequence[Span], predicted: Sequence[Span]) -> list[SpanError]:
    """The errors of one sentence, ordered by position (gold start, else predicted start)."""
    overlapping = sorted(
        (-_shared_tokens(gs, ps), gs.label != ps.label, gs.start, ps.start, g, k)
        for g, gs in enumerate(gold)
        for k, ps in enumerate(predicted)
        if gs.overlaps(ps)
    )
    gold_match: dict[int, int] = {}
    used: set[int] = set()
    for *_, g, k in overlapping:
        if g not in gold_match and k not in used:
            gold_match[g] = k
            used.add(k)
    errors = [
        SpanError(_pair_kind(span, predicted[gold_match[g]]), span, predicted[gold_match[g]])
        if g in gold_match
        else SpanError(MISSED, span, None)
        for g, span in enumerate(gold)
    ]
    errors += [SpanError(SPURIOUS, None, span) for k, span in enumerate(predicted) if k not in used]
    return sorted(errors, key=_position)


def classify(
    gold: Sequence[list[Span]], predicted: Sequence[list[Span]], *, labels: Iterable[str] | None = None
) -> list[list[SpanError]]:
    """Errors per sentence; only ``labels`` count (all when None), as in :func:`~projection.evaluation.evaluate`."""
    if len(gold) != len(predicted):
        raise ProjectionError(
            f"Cannot compare {len(gold)} gold sentences with {len(predicted)} predicted sentences; "
            "they must describe the same sentences."
        )
    wanted = None if labels is None else list(labels)
    return [
        classify_sentence(keep_labels(g, wanted), keep_labels(p, wanted)) for g, p in zip(gold, predicted, strict=True)
    ]


def count_errors(errors: Iterable[Iterable[SpanError]]) -> dict[str, int]:
    """How often each kind occurs (every kind listed, in :data:`KINDS` order)."""
    counts = dict.fromkeys(KINDS, 0)
    for sentence in errors:
        for error in sentence:
            counts[error.kind] += 1
    return counts


@dataclass(frozen=True)
class ErrorExample:
    """One error with the sentence it occurs in, for reports and the Errors page."""

    sentence: int
    sentence_id: str
    tokens: list[str]
    error: SpanError

    def describe(self) -> str:
        """``missed  gold LOC "Sao Paulo"`` -> a one-line human-readable form."""
        parts = [self.error.kind]
        for side, span in (("gold", self.error.gold), ("predicted", self.error.predicted)):
            if span is not None:
                parts.append(f'{side} {span.label} "{" ".join(self.tokens[span.start : span.end])}"')
        return f"[{self.sentence_id}] " + "  ".join(parts) + "  | " + " ".join(self.tokens)


def error_examples(
    errors: Sequence[Sequence[SpanError]],
    tokens: Sequence[Sequence[str]],
    ids: Sequence[str] | None = None,
    *,
    kinds: Iterable[str] | None = None,
    limit: int | None = None,
) -> dict[str, list[ErrorExample]]:
    """Examples per kind (all kinds, or ``kinds``), in sentence order, at most ``limit`` each.

    ``tokens`` are the tokens the spans index (the target sentences).
    """
    if len(tokens) != len(errors) or (ids is not None and len(ids) != len(errors)):
        raise ProjectionError("error_examples needs one token list (and one id, if ids are given) per sentence.")
    wanted = list(KINDS if kinds is None else kinds)
    unknown = set(wanted) - set(KINDS)
    if unknown:
        raise ProjectionError(f"Unknown error kinds {sorted(unknown)}; the kinds are {', '.join(KINDS)}.")
    examples: dict[str, list[ErrorExample]] = {kind: [] for kind in wanted}
    for index, sentence_errors in enumerate(errors):
        for error in sentence_errors:
            bucket = examples.get(error.kind)
            if bucket is not None and (limit is None or len(bucket) < limit):
                sentence_id = str(index) if ids is None else str(ids[index])
                bucket.append(ErrorExample(index, sentence_id, list(tokens[index]), error))
    return examples
