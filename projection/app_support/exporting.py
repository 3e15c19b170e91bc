"""Export from the app through the command line's export, corrections merged, as bytes to download.

The records go through :func:`projection.export.export_records`, so the app
and ``python -m projection export`` merge corrections, check records against
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

from projection.data import ProjectionRecord, Span
from projection.export import export_records as export_to_file
from projection.scratch import scratch_dir
from projection.writers import writers

MIME_TYPES = {"conll": "text/plain", "jsonl": "application/x-ndjson", "json": "application/json"}
FILE_SUFFIXES = {"labelstudio": "json", "label-studio": "json", "label_studio": "json"}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    """The exported bytes, the file name to offer, and what went into it."""

    data: bytes
    filename: str
    mime: str
    n_sentences: int
    n_corrected: int


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
    corrections: Mapping[str, Sequence[Span]] | None = None,
    only_ids: Collection[str] | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``records`` (optionally only ``only_ids``) with writer ``fmt``, corrections merged first.

    A record the format cannot hold raises :class:`~projection.errors.ProjectionError` naming it.
    """
    chosen = [record for record in records if only_ids is None or record.id in only_ids]
    suffix = FILE_SUFFIXES.get(fmt, fmt)
    with scratch_dir("app-export") as tmp:
        target = tmp / f"{stem}.{suffix}"
        report = export_to_file(_with_progress(chosen, progress), target, format=fmt, corrections=corrections)
        if target.is_dir() or report.companions:
            data, filename, mime = _zip_folder(tmp), f"{stem}.{suffix}.zip", "application/zip"
        else:
            data, filename, mime = target.read_bytes(), target.name, MIME_TYPES.get(suffix, "application/octet-stream")
    return ExportResult(data, filename, mime, report.n_written, report.n_corrected)
