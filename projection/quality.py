"""The corpus's span precision and recall, estimated from its stored random sample's reviewed sentences.

A sampled sentence counts once someone has finished reviewing it: its
adjudicated version, else the newest version a reviewer marked reviewed, is
its reference (gold). Edits without the mark do not count, since a sentence
gone through halfway would be scored as if its remaining projected spans
were right. The projected spans of a method are scored against those
references and :func:`projection.evaluation.estimate.estimate_quality` gives
the intervals (a bootstrap over sentences). The app's Review page and
``python -m projection quality`` both read the estimate from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from projection.data import ProjectionRecord, Span
from projection.errors import ProjectionError
from projection.evaluation.estimate import DEFAULT_RESAMPLES, QualityEstimate, estimate_quality
from projection.store import CorrectionsStore, SentenceReviews, text_hash
from projection.store.samples import Sample
from projection.store.versions import SentenceKey

SHOWN_IDS = 3


def reference_spans(
    reviews: SentenceReviews | None, sentence_hash: str, projected: Sequence[Span]
) -> list[Span] | None:
    """What a sampled sentence is scored against (see the module doc); None while nobody has finished it.

    ``projected`` stands in for a version that approved what it was shown
    without recording it (review marks written before marks kept their spans).
    """
    if reviews is None:
        return None
    adjudicated = reviews.adjudicated(sentence_hash)
    if adjudicated is not None:
        return adjudicated.spans_or(projected)
    finished = [version for version in reviews.reviewers(sentence_hash).values() if version.reviewed]
    if not finished:
        return None
    return max(finished, key=lambda version: version.updated).spans_or(projected)


@dataclass(frozen=True)
class SampleQuality:
    """A method's estimate over a sample: how many of its sentences are reviewed, and the estimate (None: none)."""

    sample: Sample
    method: str
    reviewed: int
    estimate: QualityEstimate | None

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "reviewed": self.reviewed,
            "sample_size": self.sample.size,
            "estimate": None if self.estimate is None else self.estimate.to_dict(),
        }


def describe_ids(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(sentence_id) for sentence_id in ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS:,} more" if len(ids) > SHOWN_IDS else "")


def sample_quality(
    sample: Sample,
    records: Mapping[str, ProjectionRecord],
    reviews: Mapping[SentenceKey, SentenceReviews],
    *,
    method: str,
    labels: Iterable[str] | None = None,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> SampleQuality:
    """The estimate for ``method``, whose records (by sentence id) must hold every sampled sentence on its text."""
    misfits = sample.misfits({sentence_id: text_hash(record.target.tokens) for sentence_id, record in records.items()})
    if misfits:
        raise ProjectionError(
            f"The {method} records lack {len(misfits):,} of the sample's {sample.size:,} sentences, or have another "
            f"text of them ({describe_ids(misfits)}): the sample was drawn on other sentences. Give the records of "
            "the data set the sample was drawn on."
        )
    pairs = []
    for sentence_id, found_hash in zip(sample.sentence_ids, sample.text_hashes, strict=True):
        projected = records[sentence_id].projected
        reference = reference_spans(reviews.get((sample.lang, sentence_id)), found_hash, projected)
        if reference is not None:
            pairs.append((projected, reference))
    estimate = None
    if pairs:
        estimate = estimate_quality(pairs, labels=labels, confidence=confidence, resamples=resamples, seed=seed)
    return SampleQuality(sample, method, len(pairs), estimate)


def find_sample(store: CorrectionsStore, dataset: str, lang: str, hashes: Mapping[str, str]) -> Sample:
    """The sample of the data set named (or keyed) ``dataset`` in ``lang`` drawn on the sentences ``hashes``
    (sentence id -> text hash) has; the newest if several fit. Each way of not finding one says why."""
    samples = store.samples_named(dataset, lang)
    if not samples:
        elsewhere = sorted({sample.lang for sample in store.samples_named(dataset)})
        if elsewhere:
            raise ProjectionError(
                f"The data set {dataset!r} has a random sample in {', '.join(elsewhere)} but none in {lang!r}. "
                "Give --lang, or draw a sample of this language on the app's Review page."
            )
        if store.keys_named(dataset) or dataset in store.datasets():
            raise ProjectionError(
                f"The data set {dataset!r} has no random sample yet: draw one on the app's Review page "
                "(Go through: Random sample), review its sentences, then ask again."
            )
        named = store.sample_names()
        known = f" Data sets with a sample: {', '.join(map(repr, named))}." if named else " No data set has one yet."
        raise ProjectionError(
            f"The corrections store {store.url} knows no data set {dataset!r}. Give its name as the app's Data "
            f"page named it (or its key, as the Export page shows it).{known}"
        )
    for sample in samples:
        if not sample.misfits(hashes):
            return sample
    newest = samples[0]
    misfits = newest.misfits(hashes)
    raise ProjectionError(
        f"The random sample of {dataset!r} in {lang!r} was drawn on other sentences than these records': "
        f"{len(misfits):,} of its {newest.size:,} sentences are missing or have another text "
        f"({describe_ids(misfits)}). "
        "Give the records the app's data set was loaded from."
    )
