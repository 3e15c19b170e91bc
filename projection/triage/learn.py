"""Learning the combination on data with gold: a regularised logistic regression (scikit-learn), kept as data.

Each projected span of a gold-labelled run is an example (wrong = not
exactly a gold span). Features are standardised on the training spans; a
feature its group left out of a span it otherwise scored gets an indicator
of its own (the learned ``missing`` log-odds), and a group that gave a span
nothing counts as average, which is also how a data set without that group
(no committee, no alignments, too few sentences for the model) is scored.
The regularisation is strong because the gold data sets are small
and unlike the corpora ranked later: on the built-in example's ~270 spans,
weaker settings fitted that data's quirks. Flag precision per group is the
share of that group's flags that cover an entity the projection missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

import numpy as np

from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.triage.evaluation import gold_keys
from projection.triage.ranking import Triage
from projection.triage.signals import GROUPS
from projection.triage.weights import Weights, group_of

Example = tuple[dict[str, float], bool]
REGULARISATION = 0.01
"""Inverse L2 strength of the logistic regression; chosen by learning on one gold corpus and scoring the other
(``bench/bench_triage.py ranking``), never on the corpus scored."""


def span_examples(
    result: Triage, records: Sequence[ProjectionRecord], labels: Collection[str] | None = None
) -> list[Example]:
    """``(features, wrong)`` for every ranked span whose label counts."""
    by_id = {record.id: record for record in records}
    examples = []
    for sentence in result.sentences:
        gold = gold_keys(by_id[sentence.id], labels)
        for span in sentence.spans:
            if labels is None or span.label in labels:
                examples.append((dict(span.signals), (span.start, span.end, span.label) not in gold))
    return examples


def flag_outcomes(
    result: Triage, records: Sequence[ProjectionRecord], labels: Collection[str] | None = None
) -> dict[str, list[bool]]:
    """For each group, whether each of its flags covered a missed gold entity (before flags were merged)."""
    by_id = {record.id: record for record in records}
    outcomes: dict[str, list[bool]] = defaultdict(list)
    for sentence in result.sentences:
        record = by_id[sentence.id]
        projected = {span.key for span in record.projected}
        lost = [key for key in gold_keys(record, labels) if key not in projected]
        for flag in sentence.raw_flags:
            outcomes[flag.group].append(any(flag.overlaps(s, e) for s, e, _ in lost))
    return outcomes


def design(examples: Sequence[Example], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Feature values (NaN where missing) and, per feature, whether it is missing although its group gave
    the span other features."""
    values = np.array([[found.get(name, np.nan) for name in names] for found, _ in examples], dtype=float)
    rows = []
    for found, _ in examples:
        present = {group_of(name) for name in found}
        rows.append([name not in found and group_of(name) in present for name in names])
    return values, np.array(rows, dtype=float).reshape(len(examples), len(names))


def fit_weights(
    examples: Sequence[Example],
    flags: dict[str, list[bool]],
    *,
    trained_on: str,
    regularisation: float = REGULARISATION,
) -> Weights:
    """A logistic regression over the examples' standardised features (see the module docstring)."""
    from sklearn.linear_model import LogisticRegression

    names = sorted({name for found, _ in examples for name in found})
    outcome = np.array([wrong for _, wrong in examples], dtype=int)
    if not names or len(set(outcome)) < 2:
        raise ProjectionError("Learning triage weights needs span features and both wrong and right spans.")
    values, missing = design(examples, names)
    center = np.nan_to_num(np.nanmean(values, axis=0))
    spread = np.nan_to_num(np.nanstd(values, axis=0))
    scale = np.where(spread > 0, spread, 1.0)
    standard = np.nan_to_num((values - center) / scale)
    precision = {group: float(np.mean(found)) for group, found in flags.items() if found and group in GROUPS}
    model = LogisticRegression(C=regularisation, max_iter=5000).fit(np.hstack([standard, missing]), outcome)
    coefficients = model.coef_[0]
    return Weights(
        names,
        center.tolist(),
        scale.tolist(),
        coefficients[: len(names)].tolist(),
        coefficients[len(names) :].tolist(),
        float(model.intercept_[0]),
        precision,
        trained_on,
    )
