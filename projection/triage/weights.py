"""The combination's learned numbers, kept as data: a regularised logistic regression over span features.

A span's suspicion is the logistic function of an intercept plus, for each
feature, its coefficient times the feature's standardised value (its
distance from the training mean in training standard deviations). Boosted
trees fitted on one corpus did worse on another than the committee alone
(learned on the built-in example, scored on CoNLL-2002 esp.testa: ROC AUC
0.66 against 0.79); a strongly regularised linear weighting keeps to the
directions that hold across corpora (measured in the README). Where a
group computed a span's features but lacks one of them (a phrase with no
other occurrence has no consistency share), the feature adds its learned
``missing`` log-odds; a group that gives the span nothing at all (not
computed, or no explanation to read) adds nothing, as if the span were
average there. Each feature's term is its share of the suspicion, so a
span's reasons are the features that raised it most. The numbers are
learned on data with gold (:mod:`projection.triage.learn`) and shipped as
``weights.json`` beside this module, which also says what they were
learned on.
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


def group_of(feature: str) -> str:
    """``committee.agree`` -> ``committee``."""
    return feature.split(".")[0]


@dataclass(frozen=True)
class Weights:
    """Per named feature: training ``center`` and ``scale``, the ``coefficient`` of its standardised value and
    the log-odds it adds when ``missing``; ``flag_precision`` maps a flag's group to the share of such flags
    that were real missed entities where gold was known."""

    features: Sequence[str]
    center: Sequence[float]
    scale: Sequence[float]
    coefficient: Sequence[float]
    missing: Sequence[float]
    intercept: float
    flag_precision: Mapping[str, float] = field(default_factory=dict)
    trained_on: str = ""

    def __post_init__(self) -> None:
        sizes = {len(self.features), len(self.center), len(self.scale), len(self.coefficient), len(self.missing)}
        if len(sizes) != 1:
            raise ProjectionError("Triage weights need a center, scale, coefficient and missing value per feature.")

    def suspicion(self, values: Mapping[str, float]) -> tuple[float, dict[str, float]]:
        """The span's suspicion (0-1) and each feature's share of it in log-odds (positive: more suspicious)."""
        present = {group_of(name) for name in values}
        shares: dict[str, float] = {}
        for k, name in enumerate(self.features):
            if name in values:
                shares[name] = self.coefficient[k] * (values[name] - self.center[k]) / self.scale[k]
            elif group_of(name) in present:
                shares[name] = self.missing[k]
        logit = self.intercept + sum(shares.values())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit)))), shares

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "features": {
                name: {
                    "center": self.center[k],
                    "scale": self.scale[k],
                    "coefficient": self.coefficient[k],
                    "missing": self.missing[k],
                }
                for k, name in enumerate(self.features)
            },
            "flag_precision": dict(sorted(self.flag_precision.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], trained_on: str = "") -> Weights:
        features = data["features"]
        names = [str(name) for name in features]
        column = {key: [float(features[name][key]) for name in names] for key in ("center", "scale", "coefficient")}
        if any(value <= 0 for value in column["scale"]):
            raise ValueError("every scale must be positive")
        return cls(
            features=names,
            center=column["center"],
            scale=column["scale"],
            coefficient=column["coefficient"],
            missing=[float(features[name].get("missing", 0.0)) for name in names],
            intercept=float(data["intercept"]),
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
    except (ValueError, KeyError, TypeError, AttributeError, ProjectionError) as err:
        raise ProjectionError(f"Triage weights at {path} are not valid ({type(err).__name__}: {err}).") from None


def save_weights(sets: Mapping[str, Weights], path: str | Path, *, trained_on: str) -> None:
    """Write weight sets by name, with a line saying what they were learned on."""
    from projection.fileio import atomic_write

    data = {"trained_on": trained_on, "sets": {name: weights.to_dict() for name, weights in sorted(sets.items())}}
    with atomic_write(path) as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")
