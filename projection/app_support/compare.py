"""One sentence under every method: which spans the methods disagree on, and how each fares against gold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from projection.app_support.tokens_html import Mark
from projection.data import Span
from projection.evaluation import SpanError, classify_sentence
from projection.tags import keep_labels


@dataclass(frozen=True)
class MethodOutcome:
    """The spans one method projected for a sentence, compared with the other methods and with gold.

    ``agreement`` counts, for each span key, how many methods produced it;
    ``errors`` is the error taxonomy against gold (None without gold).
    """

    method: str
    spans: list[Span]
    n_methods: int
    agreement: Mapping[tuple[int, int, str], int]
    errors: list[SpanError] | None = None
    kinds: Counter[str] = field(default_factory=Counter)

    def differs(self, span: Span) -> bool:
        """Whether some other method did not produce exactly this span."""
        return self.agreement.get(span.key, 0) < self.n_methods

    @property
    def n_correct(self) -> int:
        return self.kinds.get("correct", 0)

    @property
    def n_wrong(self) -> int:
        return sum(count for kind, count in self.kinds.items() if kind != "correct")

    def marks(self) -> list[Mark]:
        """Spans to draw: disagreements outlined, each verdict against gold as a class, missed gold spans dashed."""
        verdict = {}
        missed = []
        for error in self.errors or []:
            if error.predicted is not None:
                verdict[error.predicted.key] = error.kind
            elif error.kind == "missed" and error.gold is not None:
                missed.append(error.gold)
        marks = []
        for span in self.spans:
            classes = []
            if self.differs(span):
                classes.append("pj-diff")
            kind = verdict.get(span.key)
            if kind:
                classes.append(f"pj-k-{kind}")
            agree = self.agreement.get(span.key, 0)
            note = f"{span.label} · {kind or 'no gold'} · {agree} of {self.n_methods} methods agree"
            marks.append(Mark(span, " ".join(classes), note))
        marks += [Mark(span, "pj-k-missed", f"{span.label} · missed (gold span not projected)") for span in missed]
        return marks


def compare_methods(
    spans_by_method: Mapping[str, Sequence[Span]],
    gold: Sequence[Span] | None,
    *,
    labels: Sequence[str] | None = None,
) -> list[MethodOutcome]:
    """Outcomes of each method on one sentence, in the order given.

    Only ``labels`` count (all when None), as in the evaluation; spans of
    other labels are still shown but never counted against a method.
    """
    agreement: Counter[tuple[int, int, str]] = Counter()
    for spans in spans_by_method.values():
        agreement.update({span.key for span in spans})
    outcomes = []
    for method, spans in spans_by_method.items():
        errors = None
        kinds: Counter[str] = Counter()
        if gold is not None:
            errors = classify_sentence(keep_labels(gold, labels), keep_labels(spans, labels))
            kinds = Counter(error.kind for error in errors)
        outcomes.append(MethodOutcome(method, list(spans), len(spans_by_method), agreement, errors, kinds))
    return outcomes
