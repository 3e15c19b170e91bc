"""The workspace: the data sets loaded or projected in the app, kept on disk so that they outlive the session.

Every data set a user opens or projects on the Data page is written here
(``cache/workspace/``, or ``$PROJECTION_WORKSPACE``), one folder each: a
``manifest.json`` naming it and its record files, and one gzipped JSONL file
of projection records per language and method. A reload, a link with
``?sentence=``, another browser and a restarted server all find them again;
everyone using the server sees the same workspace. Entries are JSON and
JSONL read by the checking records reader, so nothing in the folder can run
code. A folder is written beside its place and renamed into it, so an entry
is never half-written; removing a data set removes its folder (its
corrections stay in the store).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from projection.app_support.datasets import Dataset
from projection.cache import DEFAULT_CACHE_DIR
from projection.errors import ProjectionError
from projection.readers.jsonl import read_records
from projection.scratch import owned_prefix, remove_orphans
from projection.writers.jsonl import plain

WORKSPACE_ENV = "PROJECTION_WORKSPACE"
MANIFEST = "manifest.json"
FORMAT = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def workspace_dir() -> Path:
    """``$PROJECTION_WORKSPACE``, else ``cache/workspace`` (read on every call, so tests can point it elsewhere)."""
    return Path(os.environ.get(WORKSPACE_ENV) or DEFAULT_CACHE_DIR / "workspace")


def entry_name(ident: str) -> str:
    """A folder name for a data set: a readable part of its name and a digest of its identity."""
    readable = _UNSAFE.sub("_", ident.split("@")[0]).strip("._")[:40] or "dataset"
    return f"{readable}-{hashlib.sha256(ident.encode('utf-8')).hexdigest()[:16]}"


@dataclass(frozen=True)
class Entry:
    """One data set's folder and when its manifest last changed (what a cached load is keyed by)."""

    folder: Path
    changed: int


def entries(root: Path | None = None) -> list[Entry]:
    """The workspace's data sets, oldest first (a missing workspace is an empty one)."""
    root = root or workspace_dir()
    found = []
    try:
        folders = list(root.iterdir())
    except FileNotFoundError:
        return []
    for folder in folders:
        manifest = folder / MANIFEST
        if folder.is_dir() and not folder.is_symlink() and manifest.is_file():
            found.append(Entry(folder, manifest.stat().st_mtime_ns))
    return sorted(found, key=lambda entry: (entry.changed, entry.folder.name))


def _record_files(dataset: Dataset) -> Iterator[tuple[str, str, str]]:
    for lang_index, lang in enumerate(dataset.langs):
        for method_index, method in enumerate(dataset.methods(lang)):
            yield lang, method, f"records-{lang_index}-{method_index}.jsonl.gz"


def save_dataset(dataset: Dataset, root: Path | None = None) -> Path:
    """Write ``dataset`` into the workspace (replacing an earlier entry of the same data set); returns its folder."""
    root = root or workspace_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        remove_orphans(root, ".entry", suffixes=("",))
        final = root / entry_name(dataset.ident)
        scratch = Path(tempfile.mkdtemp(prefix=owned_prefix(".entry"), dir=root))
        files: dict[str, dict[str, str]] = {}
        for lang, method, name in _record_files(dataset):
            with gzip.open(scratch / name, "wt", encoding="utf-8") as handle:
                for record in dataset.records(lang, method):
                    handle.write(json.dumps(record.to_dict(), ensure_ascii=False, default=plain) + "\n")
            files.setdefault(lang, {})[method] = name
        manifest = {
            "format": FORMAT,
            "ident": dataset.ident,
            "name": dataset.name,
            "title": dataset.title,
            "description": dataset.description,
            "source": dataset.source,
            "store_name": dataset.store_name,
            "files": files,
        }
        (scratch / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        try:
            scratch.rename(final)
        except OSError:
            if not (final / MANIFEST).is_file():
                raise
            shutil.rmtree(scratch)  # another session kept the same data set this very moment: theirs stays
    except OSError as err:
        raise ProjectionError(
            f"The data set {dataset.title} could not be kept in the workspace {root} ({err.strerror or err}); it "
            f"is loaded for this session only. Check that the folder is writable, or set {WORKSPACE_ENV}."
        ) from None
    return final


def load_entry(folder: Path) -> Dataset:
    """The data set of one workspace folder, its records checked as they are read."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        runs = {
            lang: {method: read_records(folder / Path(name).name) for method, name in methods.items()}
            for lang, methods in manifest["files"].items()
        }
        dataset = Dataset(
            name=str(manifest["name"]),
            title=str(manifest["title"]),
            runs=runs,
            description=str(manifest.get("description", "")),
            source=str(manifest.get("source", "")),
            store_name=str(manifest.get("store_name", "")),
        )
    except (ProjectionError, OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        reason = str(err) if isinstance(err, ProjectionError) else f"{type(err).__name__}: {err}"
        raise ProjectionError(
            f"The workspace entry {folder} cannot be read ({reason}); it is left out. Load the data set again on "
            "the Data page, or delete the folder."
        ) from None
    return dataset


def remove_dataset(ident: str, root: Path | None = None) -> bool:
    """Take a data set out of the workspace; returns whether it was there."""
    folder = (root or workspace_dir()) / entry_name(ident)
    if not (folder / MANIFEST).is_file():
        return False
    shutil.rmtree(folder)
    return True
