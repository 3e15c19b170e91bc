"""Merging corrections into projection records for export."""

from __future__ import annotations

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.store import merge_corrections


def record(sentence_id: str, tokens: list[str], projected: list[Span]) -> ProjectionRecord:
    return ProjectionRecord(
        id=sentence_id,
        source=Sentence(sentence_id, "en", tokens),
        target=Sentence(sentence_id, "es", tokens),
        alignment=Alignment([(i, i) for i in range(len(tokens))]),
        projected=projected,
        provenance={"method": "heuristic"},
    )


def test_corrected_sentences_get_their_corrected_spans_and_others_stay() -> None:
    records = [
        record("a", ["María", "vive", "en", "Lima"], [Span(0, 1, "PER"), Span(3, 4, "ORG")]),
        record("b", ["Hoy", "llueve"], []),
    ]
    corrections = {"a": [Span(3, 4, "LOC", origin="corrected"), Span(0, 1, "PER")], "zzz": [Span(0, 1, "PER")]}

    merged, n_corrected = merge_corrections(records, corrections)

    assert n_corrected == 1
    assert [span.key for span in merged[0].projected] == [(0, 1, "PER"), (3, 4, "LOC")]
    assert merged[0].provenance["corrected"] is True
    assert merged[1] is records[1]
    assert [span.key for span in records[0].projected] == [(0, 1, "PER"), (3, 4, "ORG")]


def test_corrections_beyond_the_sentence_end_are_refused() -> None:
    records = [record("a", ["Hoy", "llueve"], [])]
    with pytest.raises(ProjectionError, match="different version"):
        merge_corrections(records, {"a": [Span(1, 3, "LOC")]})
