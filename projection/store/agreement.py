"""How far reviewers agree: span-level F1 and Cohen's kappa on tokens, for every pair, per language.

Two reviewers are compared on the sentences both reviewed. Span F1 counts a
span as shared when both have it with the same tokens and label (it is
symmetric: 2 · shared / (spans of one + spans of the other)). Kappa compares
the label each gives every token of those sentences (``O`` outside a span;
entity types, not B-/I- prefixes) and corrects the share of tokens they agree
on for the agreement their label frequencies would give by chance.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from projection.data import Span

OUTSIDE = "O"

SentenceSpans = Mapping[str, Sequence[Span]]
"""Reviewer -> their spans of one sentence."""


@dataclass(frozen=True)
class SentenceVersions:
    """The reviewers' spans of one sentence of ``n_tokens`` tokens."""

    lang: str
    sentence_id: str
    n_tokens: int
    spans: SentenceSpans


@dataclass(frozen=True)
class PairAgreement:
    """Agreement of two reviewers on the sentences of one language both reviewed."""

    lang: str
    first: str
    second: str
    sentences: int
    spans_first: int
    spans_second: int
    shared_spans: int
    tokens: int
    kappa: float | None
    """None when it is undefined: both gave every token the same single label."""

    @property
    def span_f1(self) -> float | None:
        """2 · shared / (spans of both); None when neither has a span."""
        total = self.spans_first + self.spans_second
        return 2 * self.shared_spans / total if total else None


def token_labels(spans: Sequence[Span], n_tokens: int) -> list[str]:
    """The label of every token: its span's label, or ``O``."""
    labels = [OUTSIDE] * n_tokens
    for span in spans:
        labels[span.start : min(span.end, n_tokens)] = [span.label] * (min(span.end, n_tokens) - span.start)
    return labels


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two labellings of the same tokens (scikit-learn's); None where it is undefined."""
    from sklearn.metrics import cohen_kappa_score

    if not first or len(set(first) | set(second)) < 2:
        return None
    value = float(cohen_kappa_score(list(first), list(second)))
    return None if math.isnan(value) else value


def pair_agreement(lang: str, first: str, second: str, sentences: Sequence[SentenceVersions]) -> PairAgreement:
    """Agreement of ``first`` and ``second`` over ``sentences`` (each holding spans of both)."""
    labels_first: list[str] = []
    labels_second: list[str] = []
    n_first = n_second = shared = 0
    for sentence in sentences:
        mine, theirs = sentence.spans[first], sentence.spans[second]
        n_first += len(mine)
        n_second += len(theirs)
        shared += len({span.key for span in mine} & {span.key for span in theirs})
        labels_first += token_labels(mine, sentence.n_tokens)
        labels_second += token_labels(theirs, sentence.n_tokens)
    return PairAgreement(
        lang=lang,
        first=first,
        second=second,
        sentences=len(sentences),
        spans_first=n_first,
        spans_second=n_second,
        shared_spans=shared,
        tokens=len(labels_first),
        kappa=cohen_kappa(labels_first, labels_second),
    )


def pairwise_agreement(sentences: Sequence[SentenceVersions]) -> list[PairAgreement]:
    """Every pair of reviewers who reviewed at least one sentence in common, per language, in name order."""
    shared: dict[tuple[str, str, str], list[SentenceVersions]] = {}
    for sentence in sentences:
        for first, second in itertools.combinations(sorted(sentence.spans), 2):
            shared.setdefault((sentence.lang, first, second), []).append(sentence)
    return [pair_agreement(lang, first, second, found) for (lang, first, second), found in sorted(shared.items())]
