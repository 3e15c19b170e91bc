"""The paper's published results (Politov et al. 2025), per language and method, named as our methods are.

The tables in ``../shared/anchors/paper_results/*.csv`` have one row per
language x method; ``pipeline_type``, ``candidate_selection`` and
``candidate_matching`` say which method and ``aligner`` which aligner
(awesome or simalign). They are reference numbers from other data (XTREME,
MasakhaNER 2.0, EuroParl) and other models (NLLB, XLM-R), to set beside ours,
not to compare as equals.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projection.errors import ProjectionError

PAPER_RESULTS_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "anchors" / "paper_results"
DATASETS = ("xtreme40", "masakhaner2", "europarlner")

_PIPELINES = {"model_transfer": "model-transfer", "align_src": "heuristic", "align_tgt": "backtranslation"}
_CANDIDATES = {"dummy": "ngram", "ner": "ner"}
_MATCHING = {"argmax": "greedy", "exact": "exact"}


def method_name(pipeline_type: str, candidate_selection: str = "", candidate_matching: str = "") -> str:
    """Our name for a paper method: ``align_src`` -> ``heuristic``, ``candidates``/dummy/argmax -> ``ngram-greedy``.

    Back-translation with candidates is ``backtranslation:<candidate method>``,
    as the projector spec that runs it here.
    """
    if pipeline_type in _PIPELINES:
        return _PIPELINES[pipeline_type]
    if pipeline_type in ("candidates", "backtrans_candidates"):
        kind = _CANDIDATES.get(candidate_selection, candidate_selection)
        matcher = _MATCHING.get(candidate_matching, candidate_matching)
        name = f"{kind}-{matcher}"
        return f"backtranslation:{name}" if pipeline_type == "backtrans_candidates" else name
    return pipeline_type


@dataclass(frozen=True)
class PaperResult:
    """One row of a paper table."""

    dataset: str
    lang: str
    method: str
    aligner: str
    f1: float
    precision: float
    recall: float
    per_label_f1: dict[str, float] = field(default_factory=dict)
    proj_ratio: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "lang": self.lang,
            "method": self.method,
            "aligner": self.aligner,
            "f1": self.f1,
            "precision": self.precision,
            "recall": self.recall,
            "per_label_f1": dict(self.per_label_f1),
            "proj_ratio": self.proj_ratio,
        }


def _number(value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number


def load_paper_results(
    dataset: str = "xtreme40", lang: str | None = None, directory: str | os.PathLike[str] | None = None
) -> list[PaperResult]:
    """The rows of ``<dataset>_metrics.csv`` (for ``lang`` only, if given), best F1 first."""
    if dataset not in DATASETS:
        raise ProjectionError(f"Unknown paper table {dataset!r}; the paper's tables are {', '.join(DATASETS)}.")
    path = Path(directory or PAPER_RESULTS_DIR) / f"{dataset}_metrics.csv"
    if not path.is_file():
        raise ProjectionError(
            f"The paper's results table {path} is missing. It lives in ../shared/anchors/paper_results/ beside the "
            "checkout (from github.com/Cross-Lingual-NER/Projection-Data-Transfer-Cross-Lingual-NER, "
            "experiments_results/); pass its folder explicitly if it is elsewhere."
        )
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = []
    for row in rows:
        if lang is not None and row.get("lang") != lang:
            continue
        f1 = _number(row.get("overall_f1"))
        if f1 is None:
            continue
        labels = sorted(key.removesuffix("_f1") for key in row if key.endswith("_f1") and key != "overall_f1")
        per_label = {label: value for label in labels if (value := _number(row.get(f"{label}_f1"))) is not None}
        results.append(
            PaperResult(
                dataset=dataset,
                lang=row.get("lang", ""),
                method=method_name(
                    row.get("pipeline_type", ""), row.get("candidate_selection", ""), row.get("candidate_matching", "")
                ),
                aligner=row.get("aligner") or "-",
                f1=f1,
                precision=_number(row.get("overall_precision")) or 0.0,
                recall=_number(row.get("overall_recall")) or 0.0,
                per_label_f1=per_label,
                proj_ratio=_number(row.get("proj_ratio")),
            )
        )
    return sorted(results, key=lambda result: -result.f1)
