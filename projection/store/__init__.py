"""The corrections store: human edits of projected spans and of alignments, kept as an append-only history."""

from projection.store.corrections import DEFAULT_URL_ENV, CorrectionsStore, default_url
from projection.store.edits import Edit, rebase_spans
from projection.store.keys import dataset_key, pair_hash, text_hash
from projection.store.merge import (
    STATUS,
    Corrections,
    GivenCorrections,
    MergeCounts,
    StoredCorrections,
    as_corrections,
    merged_record,
)
from projection.store.samples import Sample
from projection.store.schema import ADJUDICATION, LINKS, REVIEW, SPANS
from projection.store.versions import LinkVersion, Resolution, SentenceLinks, SentenceReviews, Version, resolve
from projection.writers.conll import REVIEW_STATUSES

__all__ = [
    "ADJUDICATION",
    "DEFAULT_URL_ENV",
    "LINKS",
    "REVIEW",
    "REVIEW_STATUSES",
    "SPANS",
    "STATUS",
    "Corrections",
    "CorrectionsStore",
    "Edit",
    "GivenCorrections",
    "LinkVersion",
    "MergeCounts",
    "Resolution",
    "Sample",
    "SentenceLinks",
    "SentenceReviews",
    "StoredCorrections",
    "Version",
    "as_corrections",
    "dataset_key",
    "default_url",
    "merged_record",
    "pair_hash",
    "rebase_spans",
    "resolve",
    "text_hash",
]
