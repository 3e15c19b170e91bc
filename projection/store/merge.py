"""Stored reviews merged into projection records: what export writes, with each sentence's review status.

A record gets the spans :func:`projection.store.versions.resolve` chooses for
its sentence, provided they were made on the record's own text (the hash of
its target tokens); versions made on another text are orphans, counted and
never applied. ``provenance["review_status"]`` says which status the written
spans have, for the writers' status column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from projection.data import ProjectionRecord, Span
from projection.errors import ProjectionError
from projection.store.keys import text_hash
from projection.store.versions import Resolution, SentenceKey, SentenceReviews, resolve
from projection.writers.conll import ADJUDICATED, CORRECTED, NOT_REVIEWED, REVIEW_STATUSES, STATUS

UNKNOWN_LANG = "?"
"""The language of records whose target side names none (as the app lists them, and stores their reviews)."""


def record_lang(record: ProjectionRecord) -> str:
    return record.target.lang or UNKNOWN_LANG


class Corrections(Protocol):
    """Whatever can say which spans a record is exported with."""

    def resolve(self, record: ProjectionRecord) -> Resolution: ...


@dataclass(frozen=True)
class StoredCorrections:
    """The versions the store holds for a data set: of one language, or of each record's own when ``lang`` is
    None."""

    reviews: Mapping[SentenceKey, SentenceReviews]
    lang: str | None = None

    def resolve(self, record: ProjectionRecord) -> Resolution:
        lang = self.lang if self.lang is not None else record_lang(record)
        found = self.reviews.get((lang, record.id))
        return resolve(found, record.projected, text_hash(record.target.tokens))


@dataclass(frozen=True)
class GivenCorrections:
    """Corrected spans given by sentence id (not from the store): applied to whatever text carries the id,
    after checking that they fit in it."""

    spans: Mapping[str, Sequence[Span]]

    def resolve(self, record: ProjectionRecord) -> Resolution:
        spans = self.spans.get(record.id)
        if spans is None:
            return Resolution(list(record.projected), NOT_REVIEWED)
        length = len(record.target.tokens)
        beyond = [span for span in spans if span.end > length]
        if beyond:
            raise ProjectionError(
                f"The corrections of sentence {record.id!r} reach token {beyond[0].end - 1}, but the sentence has "
                f"{length} tokens: they were made on a different version of this data set. Export the data set "
                "the corrections were made on, or correct this sentence again."
            )
        return Resolution(list(spans), CORRECTED)


def as_corrections(given: Corrections | Mapping[str, Sequence[Span]] | None) -> Corrections | None:
    """A mapping of sentence ids to spans taken as :class:`GivenCorrections`; anything else as it is."""
    return GivenCorrections(given) if isinstance(given, Mapping) else given


@dataclass
class MergeCounts:
    """What merging did: sentences per review status, orphaned versions, unsettled disagreements."""

    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REVIEW_STATUSES, 0))
    orphans: int = 0
    disagreed: int = 0

    @property
    def corrected(self) -> int:
        """Sentences written with spans from the store that differ from or settle the projection."""
        return self.statuses[CORRECTED] + self.statuses[ADJUDICATED]

    def add(self, resolution: Resolution) -> None:
        self.statuses[resolution.status] += 1
        self.orphans += len(resolution.orphans)
        self.disagreed += resolution.disagreed


def merged_record(record: ProjectionRecord, resolution: Resolution) -> ProjectionRecord:
    """The record with the resolution's spans (ordered) and its review status in the provenance."""
    provenance = {**record.provenance, STATUS: resolution.status}
    if resolution.status in (CORRECTED, ADJUDICATED):
        provenance["corrected"] = True
    ordered = sorted(resolution.spans, key=lambda span: (span.start, span.end))
    return replace(record, projected=ordered, provenance=provenance)
