"""Stored reviews merged into projection records: what export writes, with each sentence's review status.

A record gets the spans :func:`projection.store.versions.resolve` chooses for
its sentence, provided they were made on the record's own text (the hash of
its target tokens); versions made on another text are orphans, counted and
never applied. ``provenance["review_status"]`` says which status the written
spans have, for the writers' status column.

A sentence whose alignment was corrected (:class:`LinkResolution`) is
projected again through the corrected links before its spans are chosen
(:func:`projection.export.relinked_rows`), so a span correction of the same
sentence still wins; a link correction made on another sentence pair is an
orphan too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from projection.data import ProjectionRecord, Span
from projection.errors import ProjectionError
from projection.link_edit import LinkEdit
from projection.store.keys import pair_hash, text_hash
from projection.store.versions import LinkVersion, Resolution, SentenceKey, SentenceLinks, SentenceReviews, resolve
from projection.writers.conll import ADJUDICATED, CORRECTED, NOT_REVIEWED, REVIEW_STATUSES, STATUS

UNKNOWN_LANG = "?"
"""The language of records whose target side names none (as the app lists them, and stores their reviews)."""


def record_lang(record: ProjectionRecord) -> str:
    return record.target.lang or UNKNOWN_LANG


@dataclass(frozen=True)
class LinkResolution:
    """The correction of a record's links it is projected again through (empty: none), and those not applied."""

    edit: LinkEdit = field(default_factory=LinkEdit)
    orphans: tuple[LinkVersion, ...] = ()


def resolve_links(found: SentenceLinks | None, record: ProjectionRecord) -> LinkResolution:
    """The link correction made on this very sentence pair, and the ones made on another pair of its id."""
    if found is None:
        return LinkResolution()
    pair = pair_hash(record.source.tokens, record.target.tokens)
    return LinkResolution(found.fitting(pair), tuple(found.orphans(pair)))


class Corrections(Protocol):
    """Whatever can say which spans a record is exported with, and which corrected links it is projected through."""

    def resolve(self, record: ProjectionRecord) -> Resolution: ...

    def resolve_links(self, record: ProjectionRecord) -> LinkResolution: ...

    def corrects_links(self, ids: Collection[str] | None = None) -> bool:
        """Whether any of the sentences ``ids`` (None: any sentence) may have a link correction; only then are
        records read a window at a time to be projected again."""
        ...


@dataclass(frozen=True)
class StoredCorrections:
    """The versions the store holds for a data set: of one language, or of each record's own when ``lang`` is
    None."""

    reviews: Mapping[SentenceKey, SentenceReviews]
    lang: str | None = None
    links: Mapping[SentenceKey, SentenceLinks] = field(default_factory=dict)

    def _key(self, record: ProjectionRecord) -> SentenceKey:
        return (self.lang if self.lang is not None else record_lang(record), record.id)

    def resolve(self, record: ProjectionRecord) -> Resolution:
        found = self.reviews.get(self._key(record))
        return resolve(found, record.projected, text_hash(record.target.tokens))

    def resolve_links(self, record: ProjectionRecord) -> LinkResolution:
        return resolve_links(self.links.get(self._key(record)), record)

    def corrects_links(self, ids: Collection[str] | None = None) -> bool:
        return any(ids is None or sentence_id in ids for _, sentence_id in self.links)


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

    def resolve_links(self, record: ProjectionRecord) -> LinkResolution:
        return LinkResolution()

    def corrects_links(self, ids: Collection[str] | None = None) -> bool:
        return False


def as_corrections(given: Corrections | Mapping[str, Sequence[Span]] | None) -> Corrections | None:
    """A mapping of sentence ids to spans taken as :class:`GivenCorrections`; anything else as it is."""
    return GivenCorrections(given) if isinstance(given, Mapping) else given


@dataclass
class MergeCounts:
    """What merging did: sentences per review status, orphaned versions, unsettled disagreements, sentences
    projected again through corrected links and link corrections made on another sentence pair."""

    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REVIEW_STATUSES, 0))
    orphans: int = 0
    disagreed: int = 0
    relinked: int = 0
    link_orphans: int = 0

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
