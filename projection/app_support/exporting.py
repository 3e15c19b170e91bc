"""Export from the app through the command line's export, corrections merged, as bytes to download.

The records go through :func:`projection.export.export_records`, so the app
and ``python -m projection export`` merge corrections (sentences with
corrected links projected again through them first), check records against
the format and write them the same way. Any format registered in
:data:`projection.writers.writers` appears here. A writer that produces a
folder (a Hugging Face dataset, say), or a file with a companion (Label
Studio tasks and their labelling config), is zipped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from projection.app_support.datasets import Dataset
from projection.app_support.reviewing import Reviews, resolution
from projection.data import ProjectionRecord, Span
from projection.export import export_records as export_to_file
from projection.pipeline.reproject import runs_through_links
from projection.scratch import scratch_dir
from projection.store import Corrections, SentenceLinks, StoredCorrections
from projection.store.merge import resolve_links
from projection.store.versions import SentenceKey
from projection.writers import writers
from projection.writers.conll import NOT_REVIEWED, REVIEW_STATUSES

MIME_TYPES = {"conll": "text/plain", "jsonl": "application/x-ndjson", "json": "application/json"}
FILE_SUFFIXES = {"labelstudio": "json", "label-studio": "json", "label_studio": "json"}
Progress = Callable[[int, int], None]
Links = Mapping[SentenceKey, SentenceLinks]


@dataclass(frozen=True)
class ExportResult:
    """The exported bytes, the file name to offer, and what went into it."""

    data: bytes
    filename: str
    mime: str
    n_sentences: int
    n_corrected: int
    statuses: Mapping[str, int] | None = None
    """Sentences written per review status (None: corrections not merged)."""
    n_relinked: int = 0
    """Sentences projected again through their corrected links."""


@dataclass(frozen=True)
class ExportPlan:
    """What an export of a data set under one method would hold, by review status, before writing it; and
    the sentences to be projected again through corrected links, and the link corrections that do not fit."""

    statuses: Mapping[str, int]
    reviewed_ids: set[str]
    disputed: int
    orphans: int
    relinked: int = 0
    link_orphans: int = 0


def export_plan(
    dataset: Dataset, method: str, reviews: Mapping[str, Reviews], links: Mapping[str, Links] | None = None
) -> ExportPlan:
    """Sentences per status over the languages of ``reviews`` (language -> its reviews), reviewed ids, disputes;
    sentences with corrected links (``links``: language -> its link corrections) and orphaned ones."""
    statuses = dict.fromkeys(REVIEW_STATUSES, 0)
    reviewed: set[str] = set()
    disputed = orphans = 0
    for lang, found in reviews.items():
        statuses[NOT_REVIEWED] += len(dataset.records(lang, method))
        for found_lang, sentence_id in found:
            resolved = resolution(dataset, lang, method, sentence_id, found) if found_lang == lang else None
            if resolved is None:
                continue
            statuses[NOT_REVIEWED] -= 1
            statuses[resolved.status] += 1
            disputed += resolved.disagreed
            orphans += len(resolved.orphans)
            if resolved.status != NOT_REVIEWED:
                reviewed.add(sentence_id)
    relinked = link_orphans = 0
    for lang, found_links in (links or {}).items():
        for (found_lang, sentence_id), found in found_links.items():
            record = dataset.record(lang, method, sentence_id) if found_lang == lang else None
            if record is None:
                continue
            linked = resolve_links(found, record)
            link_orphans += len(linked.orphans)
            relinked += bool(linked.edit) and runs_through_links(method)
    return ExportPlan(statuses, reviewed, disputed, orphans, relinked, link_orphans)


def stored_corrections(reviews: Mapping[str, Reviews], links: Mapping[str, Links] | None = None) -> StoredCorrections:
    """The reviews and link corrections of several languages as one source of corrections (each record finds
    its own language's)."""
    return StoredCorrections(
        {key: found for lang_reviews in reviews.values() for key, found in lang_reviews.items()},
        links={key: found for lang_links in (links or {}).values() for key, found in lang_links.items()},
    )


def export_formats() -> list[str]:
    return writers.names


def _with_progress(records: Sequence[ProjectionRecord], progress: Progress | None) -> Iterator[ProjectionRecord]:
    total = len(records)
    step = max(1, total // 100)
    for done, record in enumerate(records, start=1):
        yield record
        if progress and (done % step == 0 or done == total):
            progress(done, total)


def _zip_folder(folder: Path) -> bytes:
    """Every file under ``folder``, with paths relative to it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))
    return buffer.getvalue()


def export_records(
    records: Sequence[ProjectionRecord],
    fmt: str,
    *,
    stem: str,
    corrections: Corrections | Mapping[str, Sequence[Span]] | None = None,
    only_ids: Collection[str] | None = None,
    comments: bool = True,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``records`` (optionally only ``only_ids``) with writer ``fmt``, corrections merged first.

    A record the format cannot hold raises :class:`~projection.errors.ProjectionError` naming it.
    """
    chosen = [record for record in records if only_ids is None or record.id in only_ids]
    suffix = FILE_SUFFIXES.get(fmt, fmt)
    with scratch_dir("app-export") as tmp:
        target = tmp / f"{stem}.{suffix}"
        report = export_to_file(
            _with_progress(chosen, progress), target, format=fmt, corrections=corrections, comments=comments
        )
        if target.is_dir() or report.companions:
            data, filename, mime = _zip_folder(tmp), f"{stem}.{suffix}.zip", "application/zip"
        else:
            data, filename, mime = target.read_bytes(), target.name, MIME_TYPES.get(suffix, "application/octet-stream")
    statuses = None if report.merge is None else dict(report.merge.statuses)
    relinked = 0 if report.merge is None else report.merge.relinked
    return ExportResult(data, filename, mime, report.n_written, report.n_corrected, statuses, relinked)
