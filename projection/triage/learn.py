"""Learning the combination on data with gold: boosted trees over span features (scikit-learn), exported as data.

Each projected span of a gold-labelled run is an example (wrong = not
exactly a gold span). So that the trees still work where a group cannot be
computed (no committee, no alignments, too few sentences for the model),
every example is also shown with each subset of groups missing, which is
what a data set without them looks like at ranking time. Flag precision per
group is the share of that group's flags that cover an entity the
projection missed.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Sequence

import numpy as np

from projection.data import ProjectionRecord
from projection.triage.evaluation import gold_keys
from projection.triage.ranking import Triage
from projection.triage.signals import GROUPS
from projection.triage.weights import Tree, Weights

Example = tuple[dict[str, float], bool]
TREE_SETTINGS = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "l2_regularization": 1.0}


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


def with_groups_hidden(rows: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """``rows`` repeated once per subset of groups (all but one at most) with those groups' features missing."""
    groups = sorted({name.split(".")[0] for name in names})
    copies = []
    for size in range(len(groups)):
        for hidden in itertools.combinations(groups, size):
            mask = np.array([name.split(".")[0] in hidden for name in names])
            copy = rows.copy()
            copy[:, mask] = np.nan
            copies.append(copy)
    return np.vstack(copies)


def exported_trees(model: object) -> list[Tree]:
    """The fitted trees of a ``HistGradientBoostingClassifier`` as plain arrays."""
    trees = []
    for (predictor,) in model._predictors:  # type: ignore[attr-defined]
        nodes = predictor.nodes
        trees.append(
            Tree(
                feature=nodes["feature_idx"].tolist(),
                threshold=nodes["num_threshold"].tolist(),
                missing_left=nodes["missing_go_to_left"].astype(bool).tolist(),
                left=nodes["left"].tolist(),
                right=nodes["right"].tolist(),
                leaf=nodes["is_leaf"].astype(bool).tolist(),
                value=nodes["value"].tolist(),
            )
        )
    return trees


def fit_weights(
    examples: Sequence[Example], flags: dict[str, list[bool]], *, trained_on: str, seed: int = 0
) -> Weights:
    """Boosted trees over the examples' features, robust to missing groups (see the module docstring)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    names = sorted({name for values, _ in examples for name in values})
    rows = np.array([[values.get(name, np.nan) for name in names] for values, _ in examples], dtype=float)
    outcome = np.array([wrong for _, wrong in examples], dtype=int)
    augmented = with_groups_hidden(rows, names)
    repeats = len(augmented) // len(rows)
    model = HistGradientBoostingClassifier(**TREE_SETTINGS, random_state=seed, early_stopping=False)
    model.fit(augmented, np.tile(outcome, repeats))
    precision = {group: float(np.mean(found)) for group, found in flags.items() if found and group in GROUPS}
    baseline = float(np.ravel(model._baseline_prediction)[0])  # type: ignore[attr-defined]
    return Weights(names, baseline, exported_trees(model), precision, trained_on)
