"""Each reviewer's version of a sentence, the adjudicated version, and which of them a sentence ends up with.

Reviewers work independently: every reviewer's edits of a sentence make
their own version of it, starting from the projection, so that two people
who were given the same sentence can be compared (agreement) and their
disagreements settled (adjudication). A reviewer who marks a sentence
reviewed without changing it approves the spans they were shown; that is a
version too. What a sentence is exported with (:func:`resolve`): the
adjudicated version first; else the reviewers' version, when there is one
or all agree; else, when they disagree and nobody has adjudicated yet, the
newest review, flagged as disagreed.

Only versions made on the sentence's present text count; the others (made on
another text under the same name, or before rows carried their text's hash)
are orphans: shown, never applied. A sentence's link correction
(:class:`SentenceLinks`) is one shared version per data set key, and fits
only the sentence pair it was made on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from projection.data import Span, spans_from_dicts
from projection.link_edit import LinkEdit
from projection.store.edits import UNDO
from projection.store.schema import ADJUDICATION, REVIEW, EditRow, ReviewRow
from projection.writers.conll import ADJUDICATED, CORRECTED, NOT_REVIEWED, REVIEWED

SentenceKey = tuple[str, str]
"""``(lang, sentence id)``."""


@dataclass(frozen=True)
class Version:
    """One reviewer's spans of a sentence (``track`` review), or the adjudicated spans (``track`` adjudication).

    ``spans`` is None for a version that approved the projection without
    saying which spans it showed (review marks written before marks kept
    them). ``owner`` is the reviewer, or the last adjudicator.
    """

    dataset: str
    lang: str
    sentence_id: str
    owner: str
    track: str
    spans: tuple[Span, ...] | None
    edited: bool
    reviewed: bool
    method: str
    text_hash: str | None
    updated: datetime

    def spans_or(self, projected: Sequence[Span]) -> list[Span]:
        return list(projected if self.spans is None else self.spans)


@dataclass(frozen=True)
class SentenceReviews:
    """Every version the store holds for one sentence (of one or, looked up by name, several data set keys)."""

    lang: str
    sentence_id: str
    versions: tuple[Version, ...] = ()

    def fitting(self, text_hash: str) -> list[Version]:
        return [version for version in self.versions if version.text_hash == text_hash]

    def orphans(self, text_hash: str) -> list[Version]:
        """Versions made on another text than ``text_hash``'s: never applied."""
        return [version for version in self.versions if version.text_hash != text_hash]

    def reviewers(self, text_hash: str) -> dict[str, Version]:
        """The newest fitting review version of each reviewer."""
        found: dict[str, Version] = {}
        for version in sorted(self.fitting(text_hash), key=lambda v: v.updated):
            if version.track == REVIEW:
                found[version.owner] = version
        return found

    def adjudicated(self, text_hash: str) -> Version | None:
        """The newest fitting adjudicated version, if any."""
        found = [v for v in self.fitting(text_hash) if v.track == ADJUDICATION]
        return max(found, key=lambda v: v.updated) if found else None


@dataclass(frozen=True)
class Resolution:
    """The spans a sentence is exported with, its review status, and where they come from."""

    spans: list[Span]
    status: str
    version: Version | None = None
    disagreed: bool = False
    orphans: tuple[Version, ...] = ()


def same_spans(first: Iterable[Span], second: Iterable[Span]) -> bool:
    return sorted(span.key for span in first) == sorted(span.key for span in second)


def resolve(reviews: SentenceReviews | None, projected: Sequence[Span], text_hash: str) -> Resolution:
    """What the sentence whose tokens hash to ``text_hash`` is written with (see the module doc)."""
    if reviews is None:
        return Resolution(list(projected), NOT_REVIEWED)
    orphans = tuple(reviews.orphans(text_hash))
    adjudicated = reviews.adjudicated(text_hash)
    if adjudicated is not None:
        return Resolution(adjudicated.spans_or(projected), ADJUDICATED, adjudicated, orphans=orphans)
    reviewers = list(reviews.reviewers(text_hash).values())
    if not reviewers:
        return Resolution(list(projected), NOT_REVIEWED, orphans=orphans)
    newest = max(reviewers, key=lambda v: v.updated)
    spans = newest.spans_or(projected)
    disagreed = any(not same_spans(v.spans_or(projected), spans) for v in reviewers)
    status = REVIEWED if same_spans(spans, projected) else CORRECTED
    return Resolution(spans, status, newest, disagreed, orphans)


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def live_edits(rows: Sequence[EditRow]) -> list[EditRow]:
    """Edits (not undo rows) that no undo row has reverted, oldest first."""
    undone = {row.undoes for row in rows if row.undoes is not None}
    return [row for row in rows if row.action != UNDO and row.id not in undone]


def _edit_version(rows: Sequence[EditRow]) -> Version | None:
    """The version a track's rows (of one owner, oldest first) leave, None when every edit is undone."""
    if not live_edits(rows):
        return None
    last = rows[-1]
    return Version(
        dataset=last.dataset,
        lang=last.lang,
        sentence_id=last.sentence_id,
        owner=last.author,
        track=last.track,
        spans=tuple(spans_from_dicts(last.after)),
        edited=True,
        reviewed=False,
        method=last.method,
        text_hash=last.text_hash,
        updated=_as_utc(last.created_at),
    )


def _reviewer_version(edited: Version | None, mark: ReviewRow | None) -> Version | None:
    """A reviewer's version: their edits, with their newest mark; or only the mark, if it says reviewed."""
    if mark is None:
        return edited
    marked_at = _as_utc(mark.created_at)
    if edited is not None:
        return replace(edited, reviewed=mark.reviewed, updated=max(edited.updated, marked_at))
    if not mark.reviewed:
        return None
    return Version(
        dataset=mark.dataset,
        lang=mark.lang,
        sentence_id=mark.sentence_id,
        owner=mark.author,
        track=REVIEW,
        spans=None if mark.spans is None else tuple(spans_from_dicts(mark.spans)),
        edited=False,
        reviewed=True,
        method=mark.method,
        text_hash=mark.text_hash,
        updated=marked_at,
    )


def collect_reviews(edits: Iterable[EditRow], marks: Iterable[ReviewRow]) -> dict[SentenceKey, SentenceReviews]:
    """Every sentence's versions from its rows (edits of the spans layer and review marks, in id order)."""
    tracks: dict[tuple[str, str, str, str, str], list[EditRow]] = {}
    for row in edits:
        owner = row.author if row.track == REVIEW else ""
        tracks.setdefault((row.dataset, row.lang, row.sentence_id, row.track, owner), []).append(row)
    newest_marks: dict[tuple[str, str, str, str], ReviewRow] = {}
    for mark in marks:
        newest_marks[(mark.dataset, mark.lang, mark.sentence_id, mark.author)] = mark
    versions: dict[SentenceKey, list[Version]] = {}
    reviewed_by: dict[tuple[str, str, str, str], Version | None] = {}
    for (dataset, lang, sentence_id, track, owner), rows in tracks.items():
        version = _edit_version(rows)
        if track == REVIEW:
            reviewed_by[(dataset, lang, sentence_id, owner)] = version
        elif version is not None:
            versions.setdefault((lang, sentence_id), []).append(version)
    for key in reviewed_by.keys() | newest_marks.keys():
        version = _reviewer_version(reviewed_by.get(key), newest_marks.get(key))
        if version is not None:
            versions.setdefault((key[1], key[2]), []).append(version)
    return {
        key: SentenceReviews(key[0], key[1], tuple(sorted(found, key=lambda v: v.updated)))
        for key, found in versions.items()
    }


@dataclass(frozen=True)
class LinkVersion:
    """The correction of a sentence's links that a data set key's rows leave; ``owner`` made its newest row."""

    dataset: str
    lang: str
    sentence_id: str
    owner: str
    edit: LinkEdit
    text_hash: str | None
    updated: datetime


@dataclass(frozen=True)
class SentenceLinks:
    """Every link correction the store holds for one sentence: one per data set key and sentence pair."""

    lang: str
    sentence_id: str
    versions: tuple[LinkVersion, ...] = ()

    def fitting(self, pair_hash: str) -> LinkEdit:
        """The newest correction made on the sentence pair hashing to ``pair_hash`` (empty: the aligner's links)."""
        found = [version for version in self.versions if version.text_hash == pair_hash]
        return max(found, key=lambda v: v.updated).edit if found else LinkEdit()

    def orphans(self, pair_hash: str) -> list[LinkVersion]:
        """Corrections made on another sentence pair than ``pair_hash``'s: never applied."""
        return [version for version in self.versions if version.text_hash != pair_hash and version.edit]


def collect_links(rows: Iterable[EditRow]) -> dict[SentenceKey, SentenceLinks]:
    """Every sentence's link corrections from the rows of the links layer, in id order."""
    by_key: dict[tuple[str, str, str, str | None], list[EditRow]] = {}
    for row in rows:
        by_key.setdefault((row.dataset, row.lang, row.sentence_id, row.text_hash), []).append(row)
    found: dict[SentenceKey, list[LinkVersion]] = {}
    for (dataset, lang, sentence_id, _), kept in by_key.items():
        if not live_edits(kept):
            continue
        last = kept[-1]
        version = LinkVersion(
            dataset,
            lang,
            sentence_id,
            last.author,
            LinkEdit.from_dict(last.after),
            last.text_hash,
            _as_utc(last.created_at),
        )
        found.setdefault((lang, sentence_id), []).append(version)
    return {key: SentenceLinks(key[0], key[1], tuple(versions)) for key, versions in found.items()}
