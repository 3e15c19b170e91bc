"""The Errors page's numbers: P/R/F1 per language and label, error-type counts, sentences by error type.

Only records with gold spans are scored, and only those the pages can show
(:func:`projection.app_support.displayable.display_problem`); the labels that
count are the data set's evaluation labels (other labels map to O, as in the
command line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from projection.app_support.datasets import Dataset
from projection.app_support.displayable import display_problem
from projection.data import ProjectionRecord
from projection.evaluation import KINDS, SpanError, classify, evaluate

ERROR_KINDS = tuple(kind for kind in KINDS if kind != "correct")
KIND_TITLES = {
    "correct": "correct",
    "wrong_label": "wrong label",
    "boundary": "boundary",
    "boundary_label": "boundary + label",
    "missed": "missed",
    "spurious": "spurious",
}


def gold_records(records: Sequence[ProjectionRecord]) -> list[ProjectionRecord]:
    """The records that are scored: those with gold that the pages can show."""
    return [record for record in records if record.gold is not None and display_problem(record) is None]


def unscored_problems(records: Sequence[ProjectionRecord]) -> list[str]:
    """Why each record with gold that is left out of the scores cannot be scored."""
    return [problem for record in records if record.gold is not None and (problem := display_problem(record))]


def sentence_errors(records: Sequence[ProjectionRecord], labels: Sequence[str] | None) -> list[list[SpanError]]:
    """The error taxonomy of each record with gold (records without gold are left out)."""
    scored = gold_records(records)
    return classify([r.gold or [] for r in scored], [r.projected for r in scored], labels=labels)


def error_label(error: SpanError) -> str:
    span = error.gold if error.gold is not None else error.predicted
    return span.label if span is not None else "?"


def metrics_rows(records: Sequence[ProjectionRecord], labels: Sequence[str] | None) -> list[dict]:
    """One row for the overall scores and one per label."""
    scored = gold_records(records)
    if not scored:
        return []
    metrics = evaluate(
        [r.gold or [] for r in scored],
        [r.projected for r in scored],
        [len(r.target.tokens) for r in scored],
        labels=labels or None,
    )
    n_gold = Counter(span.label for r in scored for span in r.gold or [])
    rows = [
        {
            "label": "overall",
            "precision": metrics.precision,
            "recall": metrics.recall,
            "f1": metrics.f1,
            "support": sum(n_gold[label] for label in metrics.per_label),
            "proj_ratio": metrics.proj_ratio,
        }
    ]
    for label, scores in metrics.per_label.items():
        n_predicted = sum(1 for r in scored for span in r.projected if span.label == label)
        rows.append(
            {
                "label": label,
                "precision": scores["precision"],
                "recall": scores["recall"],
                "f1": scores["f1"],
                "support": int(scores["support"]),
                "proj_ratio": n_predicted / n_gold[label] if n_gold[label] else None,
            }
        )
    return rows


def metrics_by_language(dataset: Dataset, method: str) -> pd.DataFrame:
    """P/R/F1, support and projection ratio per language and label for one method."""
    rows = []
    for lang in dataset.langs:
        if method in dataset.methods(lang):
            for row in metrics_rows(dataset.records(lang, method), dataset.labels(lang)):
                rows.append({"language": lang, **row})
    frame = pd.DataFrame(rows, columns=["language", "label", "precision", "recall", "f1", "support", "proj_ratio"])
    return frame.set_index(["language", "label"])


def methods_table(dataset: Dataset, lang: str) -> pd.DataFrame:
    """Overall and per-label F1 of every method on one language, best first."""
    rows = []
    for method in dataset.methods(lang):
        scored = metrics_rows(dataset.records(lang, method), dataset.labels(lang))
        if not scored:
            continue
        overall, *per_label = scored
        row = {
            "method": method,
            "f1": overall["f1"],
            "precision": overall["precision"],
            "recall": overall["recall"],
            "proj_ratio": overall["proj_ratio"],
        }
        row.update({f"F1 {item['label']}": item["f1"] for item in per_label})
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=["f1", "precision", "recall", "proj_ratio"])
    return pd.DataFrame(rows).set_index("method").sort_values("f1", ascending=False)


def error_counts(errors: Sequence[Sequence[SpanError]]) -> pd.DataFrame:
    """Long table of ``kind, label, count`` over all sentences (every kind present, zero counts included)."""
    counts: Counter[tuple[str, str]] = Counter()
    labels: set[str] = set()
    for sentence in errors:
        for error in sentence:
            label = error_label(error)
            labels.add(label)
            counts[(error.kind, label)] += 1
    rows = [
        {"kind": kind, "error type": KIND_TITLES[kind], "label": label, "count": counts[(kind, label)]}
        for kind in KINDS
        for label in sorted(labels)
    ]
    return pd.DataFrame(rows, columns=["kind", "error type", "label", "count"])


def error_counts_by_method(dataset: Dataset, lang: str) -> pd.DataFrame:
    """``method, kind, error type, count`` for every method of a language."""
    rows = []
    for method in dataset.methods(lang):
        records = dataset.records(lang, method)
        if not gold_records(records):
            continue
        counts: Counter[str] = Counter()
        for sentence in sentence_errors(records, dataset.labels(lang)):
            counts.update(error.kind for error in sentence)
        rows += [{"method": method, "kind": k, "error type": KIND_TITLES[k], "count": counts[k]} for k in KINDS]
    return pd.DataFrame(rows, columns=["method", "kind", "error type", "count"])


@dataclass(frozen=True)
class SentenceErrors:
    """A sentence's errors, for the filterable list."""

    sentence_id: str
    record: ProjectionRecord
    errors: list[SpanError]

    @property
    def kinds(self) -> Counter[str]:
        return Counter(error.kind for error in self.errors if error.kind != "correct")

    def matches(self, kinds: Collection[str], labels: Collection[str]) -> bool:
        """Whether some error has one of ``kinds`` on one of ``labels`` (an empty filter matches all)."""
        return any(
            error.kind != "correct"
            and (not kinds or error.kind in kinds)
            and (not labels or any(s is not None and s.label in labels for s in (error.gold, error.predicted)))
            for error in self.errors
        )

    def summary(self) -> str:
        return ", ".join(f"{count}× {KIND_TITLES[kind]}" for kind, count in sorted(self.kinds.items()))


def sentences_by_error(
    records: Sequence[ProjectionRecord],
    labels: Sequence[str] | None,
    *,
    kinds: Collection[str] = (),
    error_labels: Collection[str] = (),
) -> list[SentenceErrors]:
    """Sentences with at least one error of the chosen kinds and labels, in corpus order."""
    scored = gold_records(records)
    rows = [
        SentenceErrors(record.id, record, errors)
        for record, errors in zip(scored, sentence_errors(scored, labels), strict=True)
    ]
    return [row for row in rows if row.matches(kinds, error_labels)]
