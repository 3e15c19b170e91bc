"""The corrections store: human edits of projected spans, kept as an append-only history."""

from projection.store.corrections import DEFAULT_URL_ENV, CorrectionsStore, default_url
from projection.store.edits import Edit, rebase_spans
from projection.store.merge import merge_corrections

__all__ = ["DEFAULT_URL_ENV", "CorrectionsStore", "Edit", "default_url", "merge_corrections", "rebase_spans"]
