"""Spot-checking without gold: which projected spans are likely wrong, which entities were missed, and why.

Signal groups (:mod:`committee`, :mod:`support`, :mod:`consistency`,
:mod:`model`) each score every projected span of the default method where
their inputs exist; :mod:`ranking` combines them with weights learned on
gold data (:mod:`learn`, shipped as ``weights.json``) into a suspicion per
span and sentence, with reasons in words; :mod:`evaluation` measures a
ranking where gold exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from projection.data import ProjectionRecord
from projection.triage.evaluation import RankingQuality, ranking_quality
from projection.triage.model import CrossValidation
from projection.triage.ranking import SentenceTriage, SpanTriage, Triage, triage
from projection.triage.signals import Flag


def records_by_method(records: Iterable[ProjectionRecord]) -> dict[str, list[ProjectionRecord]]:
    """Records grouped by the method their provenance names (``unknown`` when it names none)."""
    grouped: dict[str, list[ProjectionRecord]] = defaultdict(list)
    for record in records:
        grouped[str(record.provenance.get("method") or "unknown")].append(record)
    return dict(grouped)


__all__ = [
    "CrossValidation",
    "Flag",
    "RankingQuality",
    "SentenceTriage",
    "SpanTriage",
    "Triage",
    "ranking_quality",
    "records_by_method",
    "triage",
]
