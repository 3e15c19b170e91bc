"""What the corrections store says about the data set on screen: versions, status, progress, disagreements.

The store keeps rows; these functions read them against a data set's records:
each sentence's versions that fit its present text, the spans it would be
exported with (:func:`projection.store.resolve`), how far review has got, who
reviewed the same sentences (agreement) and where they differ (adjudication).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from projection.app_support.datasets import Dataset
from projection.data import ProjectionRecord, Span
from projection.store import Resolution, SentenceReviews, Version, resolve
from projection.store.adjudication import disagree
from projection.store.agreement import SentenceVersions
from projection.store.versions import SentenceKey
from projection.writers.conll import REVIEW_STATUSES

Reviews = Mapping[SentenceKey, SentenceReviews]


ALL_SENTENCES = "All sentences"
GIVEN_TO_ME = "Given to me"
MOST_SUSPICIOUS = "Most suspicious unreviewed first"
RANDOM_SAMPLE = "Random sample"


def sentence_orders(
    dataset: Dataset, lang: str, given: Sequence[str], suspicious: Sequence[str] = (), *, sample: Sequence[str] = ()
) -> dict[str, list[str]]:
    """The ways to go through a language's sentences on Review, each an ordered list of sentence ids.

    Every sentence in the data set's order, the sentences the reviewer
    was given (:meth:`projection.store.CorrectionsStore.assignments`) that the
    data set has, in the order given, the unreviewed sentences most
    suspicious first (``suspicious``, from :mod:`projection.app_support.suspicion`),
    and the stored random sample's (:meth:`projection.store.CorrectionsStore.sample`).
    Another order is one more entry here.
    """
    ids = dataset.sentence_ids(lang)
    present = set(ids)
    return {
        ALL_SENTENCES: ids,
        GIVEN_TO_ME: [sentence_id for sentence_id in given if sentence_id in present],
        MOST_SUSPICIOUS: [sentence_id for sentence_id in suspicious if sentence_id in present],
        RANDOM_SAMPLE: [sentence_id for sentence_id in sample if sentence_id in present],
    }


def store_keys(dataset: Dataset) -> tuple[str, ...]:
    """Where the data set's rows are: its key, and its bare name for rows written before keys existed."""
    return (dataset.store_key, dataset.store_name)


def first_record(dataset: Dataset, lang: str, sentence_id: str, method: str | None = None) -> ProjectionRecord | None:
    """The sentence's record under ``method``, else under the first method that has it."""
    for name in [method, *dataset.methods(lang)] if method else dataset.methods(lang):
        found = dataset.record(lang, name, sentence_id)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class SentenceState:
    """One sentence as a reviewer sees it: their own version, the others', the adjudication, the orphans."""

    text_hash: str
    mine: Version | None
    others: tuple[Version, ...]
    adjudicated: Version | None
    orphans: tuple[Version, ...]


def sentence_state(reviews: SentenceReviews, text_hash: str, author: str) -> SentenceState:
    reviewers = reviews.reviewers(text_hash)
    mine = reviewers.pop(author, None)
    return SentenceState(
        text_hash=text_hash,
        mine=mine,
        others=tuple(reviewers.values()),
        adjudicated=reviews.adjudicated(text_hash),
        orphans=tuple(reviews.orphans(text_hash)),
    )


def resolution(dataset: Dataset, lang: str, method: str, sentence_id: str, reviews: Reviews) -> Resolution | None:
    """The spans and status a sentence would be exported with under ``method`` (None: no such record)."""
    record = dataset.record(lang, method, sentence_id)
    if record is None:
        return None
    return resolve(reviews.get((lang, sentence_id)), record.projected, dataset.text_hash(lang, sentence_id))


@dataclass(frozen=True)
class Progress:
    """How far review has got in one language: sentences by export status, by this reviewer, in dispute."""

    total: int
    statuses: Mapping[str, int]
    mine: int
    disputed: int

    @property
    def reviewed(self) -> int:
        """Sentences someone has reviewed (whatever came of it)."""
        return self.total - self.statuses[REVIEW_STATUSES[0]]


def review_progress(dataset: Dataset, lang: str, method: str, reviews: Reviews, author: str) -> Progress:
    ids = dataset.sentence_ids(lang)
    statuses = dict.fromkeys(REVIEW_STATUSES, 0)
    statuses[REVIEW_STATUSES[0]] = len(ids)
    mine = disputed = 0
    for (found_lang, sentence_id), sentence in reviews.items():
        if found_lang != lang or dataset.record(lang, method, sentence_id) is None:
            continue
        resolved = resolution(dataset, lang, method, sentence_id, reviews)
        assert resolved is not None
        statuses[REVIEW_STATUSES[0]] -= 1
        statuses[resolved.status] += 1
        mine += author in sentence.reviewers(dataset.text_hash(lang, sentence_id))
        disputed += resolved.disagreed
    return Progress(len(ids), statuses, mine, disputed)


def reviewer_versions(dataset: Dataset, lang: str, reviews: Reviews) -> list[SentenceVersions]:
    """The sentences of ``lang`` at least two reviewers have a version of, with each one's spans."""
    found = []
    for (found_lang, sentence_id), sentence in reviews.items():
        record = first_record(dataset, lang, sentence_id) if found_lang == lang else None
        if record is None:
            continue
        versions = sentence.reviewers(dataset.text_hash(lang, sentence_id))
        if len(versions) >= 2:
            spans = {owner: version.spans_or(record.projected) for owner, version in versions.items()}
            found.append(SentenceVersions(lang, sentence_id, len(record.target.tokens), spans))
    order = {sentence_id: index for index, sentence_id in enumerate(dataset.sentence_ids(lang))}
    return sorted(found, key=lambda sentence: order.get(sentence.sentence_id, len(order)))


@dataclass(frozen=True)
class Dispute:
    """A sentence whose reviewers' versions differ, and its adjudicated version if it has one."""

    sentence: SentenceVersions
    adjudicated: Version | None


def disputes(dataset: Dataset, lang: str, reviews: Reviews) -> list[Dispute]:
    """Every sentence of ``lang`` whose reviewers disagree, in the data set's order."""
    found = []
    for sentence in reviewer_versions(dataset, lang, reviews):
        if disagree(sentence.spans):
            adjudicated = reviews[(lang, sentence.sentence_id)].adjudicated(
                dataset.text_hash(lang, sentence.sentence_id)
            )
            found.append(Dispute(sentence, adjudicated))
    return found


def spans_shown(mine: Version | None, projected: list[Span]) -> list[Span]:
    """What a reviewer edits: their own version if they have one, else the projection."""
    return projected if mine is None else mine.spans_or(projected)


def plan_rows(plan: Mapping[str, Sequence[str]]) -> list[dict[str, object]]:
    """One row per reviewer of an assignment plan: sentences given, and how many of them another has too."""
    given_to: dict[str, int] = {}
    for ids in plan.values():
        for sentence_id in ids:
            given_to[sentence_id] = given_to.get(sentence_id, 0) + 1
    return [
        {
            "reviewer": reviewer,
            "sentences": len(ids),
            "also given to another": sum(given_to[sentence_id] > 1 for sentence_id in ids),
        }
        for reviewer, ids in plan.items()
    ]


def assignment_rows(
    dataset: Dataset, lang: str, assigned: Mapping[str, Sequence[str]], reviews: Reviews
) -> list[dict[str, object]]:
    """One row per reviewer of the saved assignment: sentences given, and how many of them they reviewed."""
    present = set(dataset.sentence_ids(lang))
    rows = []
    for reviewer, ids in assigned.items():
        done = 0
        for sentence_id in ids:
            found = reviews.get((lang, sentence_id))
            if sentence_id in present and found is not None:
                done += reviewer in found.reviewers(dataset.text_hash(lang, sentence_id))
        rows.append({"reviewer": reviewer, "sentences": len(ids), "reviewed": done})
    return rows
