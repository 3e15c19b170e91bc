"""The combination's learned numbers, kept as data: small boosted trees over the span features.

A span's suspicion is the logistic function of a baseline plus the leaf
values its features reach in each tree. Trees were chosen over a linear
weighting because the signals interact (agreement with a target-side model
means more for a propagated span than for a projected one; measured in the
README): on CoNLL-2002 esp.testa the trees ranked wrong spans clearly
better. A feature a data set cannot give (no committee, no alignments, too
few sentences for the model) is missing, and each split sends missing
values the way learning found best. Each split's change of log-odds is
credited to its feature, so a span's reasons are the features that raised
its suspicion most. The numbers are learned on data with gold
(:mod:`projection.triage.learn`) and shipped as ``weights.json`` beside
this module, which also says what they were learned on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projection.errors import ProjectionError

DEFAULT_WEIGHTS = Path(__file__).with_name("weights.json")
WEIGHT_SETS = ("target-model", "alignment-only")
"""A committee with a target-language NER model disagrees for other reasons than one that shares an
alignment; each kind of committee has its own learned set."""


@dataclass(frozen=True)
class Tree:
    """One regression tree in arrays; node 0 is the root. A value goes left when ``<= threshold``;
    a missing value goes left when ``missing_left``. ``value`` is every node's log-odds."""

    feature: Sequence[int]
    threshold: Sequence[float]
    missing_left: Sequence[bool]
    left: Sequence[int]
    right: Sequence[int]
    leaf: Sequence[bool]
    value: Sequence[float]

    def walk(self, row: Sequence[float | None], credit: dict[int, float]) -> float:
        """The leaf value ``row`` reaches; each split's change of value is added to its feature in ``credit``."""
        node = 0
        while not self.leaf[node]:
            x = row[self.feature[node]]
            go_left = self.missing_left[node] if x is None else x <= self.threshold[node]
            child = self.left[node] if go_left else self.right[node]
            credit[self.feature[node]] = credit.get(self.feature[node], 0.0) + self.value[child] - self.value[node]
            node = child
        return self.value[node]

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": list(self.feature),
            "threshold": list(self.threshold),
            "missing_left": [int(flag) for flag in self.missing_left],
            "left": list(self.left),
            "right": list(self.right),
            "leaf": [int(flag) for flag in self.leaf],
            "value": list(self.value),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tree:
        return cls(
            feature=[int(v) for v in data["feature"]],
            threshold=[float(v) for v in data["threshold"]],
            missing_left=[bool(v) for v in data["missing_left"]],
            left=[int(v) for v in data["left"]],
            right=[int(v) for v in data["right"]],
            leaf=[bool(v) for v in data["leaf"]],
            value=[float(v) for v in data["value"]],
        )


@dataclass(frozen=True)
class Weights:
    """Trees over the named ``features``; ``flag_precision`` maps a flag's group to the share of such flags
    that were real missed entities where gold was known."""

    features: Sequence[str]
    baseline: float
    trees: Sequence[Tree]
    flag_precision: Mapping[str, float] = field(default_factory=dict)
    trained_on: str = ""

    def suspicion(self, values: Mapping[str, float]) -> tuple[float, dict[str, float]]:
        """The span's suspicion (0-1) and each feature's share of it in log-odds (positive: more suspicious)."""
        row = [values.get(name) for name in self.features]
        credit: dict[int, float] = {}
        logit = self.baseline + sum(tree.walk(row, credit) for tree in self.trees)
        probability = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
        return probability, {self.features[index]: share for index, share in credit.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "baseline": self.baseline,
            "trees": [tree.to_dict() for tree in self.trees],
            "flag_precision": dict(sorted(self.flag_precision.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], trained_on: str = "") -> Weights:
        return cls(
            features=[str(name) for name in data["features"]],
            baseline=float(data["baseline"]),
            trees=[Tree.from_dict(tree) for tree in data["trees"]],
            flag_precision={group: float(p) for group, p in (data.get("flag_precision") or {}).items()},
            trained_on=trained_on,
        )


def weight_set_for(methods: Sequence[str]) -> str:
    """``target-model`` when a method uses a target-side NER model, else ``alignment-only``."""
    uses_model = any(method.startswith(("ner-", "model-transfer")) for method in methods)
    return "target-model" if uses_model else "alignment-only"


def load_weights(name: str, path: str | Path = DEFAULT_WEIGHTS) -> Weights:
    """The weight set ``name`` from a JSON file written by :func:`save_weights`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Weights.from_dict(data["sets"][name], trained_on=str(data.get("trained_on", "")))
    except FileNotFoundError:
        raise ProjectionError(f"Triage weights not found at {path}.") from None
    except (ValueError, KeyError, TypeError, IndexError) as err:
        raise ProjectionError(f"Triage weights at {path} are not valid ({type(err).__name__}: {err}).") from None


def save_weights(sets: Mapping[str, Weights], path: str | Path, *, trained_on: str) -> None:
    """Write weight sets by name, with a line saying what they were learned on."""
    from projection.fileio import atomic_write

    data = {"trained_on": trained_on, "sets": {name: weights.to_dict() for name, weights in sorted(sets.items())}}
    with atomic_write(path) as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")
