"""Corrections merged into projection records: what export writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from projection.data import ProjectionRecord, Span
from projection.errors import ProjectionError


def merge_corrections(
    records: Sequence[ProjectionRecord], corrections: Mapping[str, Sequence[Span]]
) -> tuple[list[ProjectionRecord], int]:
    """Records whose projected spans are replaced by the corrected spans of their sentence.

    ``corrections`` maps sentence ids to their current corrected spans (as
    :meth:`CorrectionsStore.current` returns them). The input records are not
    changed; the second value is the number of records that received corrections.
    """
    merged: list[ProjectionRecord] = []
    n_corrected = 0
    for record in records:
        spans = corrections.get(record.id)
        if spans is None:
            merged.append(record)
            continue
        length = len(record.target.tokens)
        beyond = [span for span in spans if span.end > length]
        if beyond:
            raise ProjectionError(
                f"The corrections of sentence {record.id!r} reach token {beyond[0].end - 1}, but the sentence has "
                f"{length} tokens: they were made on a different version of this data set. Export the data set "
                "the corrections were made on, or correct this sentence again."
            )
        n_corrected += 1
        provenance = {**record.provenance, "corrected": True}
        ordered = sorted(spans, key=lambda span: (span.start, span.end))
        merged.append(replace(record, projected=ordered, provenance=provenance))
    return merged, n_corrected
