"""A user's own files in the app: uploads saved to disk, size limits, and what kind of input a file is."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from projection.cache import DEFAULT_CACHE_DIR
from projection.errors import ProjectionError
from projection.languages import find_language
from projection.readers.jsonl import is_record, iter_objects

DEFAULT_UPLOAD_LIMIT_MB = 20
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def check_upload_size(name: str, size: int, limit_mb: float = DEFAULT_UPLOAD_LIMIT_MB) -> None:
    """Refuse an upload over the limit with a message that says what to do instead."""
    if size > limit_mb * 1024 * 1024:
        raise ProjectionError(
            f"{name} is {size / 1024 / 1024:.1f} MB, over this app's upload limit of {limit_mb:g} MB. "
            "Give the file's path on this machine instead (the 'Path' field), or project it with the command "
            "line (`python -m projection project ... --out OUT.jsonl`) and open the output folder here."
        )


def safe_name(name: str) -> str:
    """The file name of an upload without folders or unusual characters (the extension picks the reader)."""
    base = Path(name.replace("\\", "/")).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip("._")
    return cleaned or "upload"


def upload_folder(contents: Iterable[bytes], root: Path = DEFAULT_CACHE_DIR / "uploads") -> Path:
    """The folder for uploaded files, named by their content: the same upload lands in the same place,
    survives a restart of the app, and never piles up copies."""
    digest = hashlib.sha256()
    for data in contents:
        digest.update(hashlib.sha256(data).digest())
    return root / digest.hexdigest()[:16]


def save_upload(
    name: str, data: bytes, folder: Path | None = None, *, limit_mb: float = DEFAULT_UPLOAD_LIMIT_MB
) -> Path:
    """Write uploaded bytes under ``folder`` (default: :func:`upload_folder`), keeping a safe file name."""
    check_upload_size(name, len(data), limit_mb)
    folder = folder or upload_folder([data])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(name)
    path.write_bytes(data)
    return path


def language_of_file(name: str) -> str | None:
    """The language code a file's extension names, if it is one the language table knows (``dev.swa``: ``swa``)."""
    suffix = Path(name.strip().replace("\\", "/")).suffix.lstrip(".")
    return suffix if suffix and find_language(suffix) is not None else None


def read_refusal(err: OSError) -> ProjectionError:
    """The system's refusal to read a user's file or folder (permissions, a folder that vanished) as a message."""
    where = err.filename if err.filename is not None else "the file"
    return ProjectionError(
        f"Could not open {where}: {err.strerror or err}. Check that it still exists and that the user running the "
        "app may read it."
    )


def holds_records(path: Path) -> bool:
    """Whether a JSONL file holds projection records (the command line's output) rather than sentences."""
    for _, obj in iter_objects(path):
        return is_record(obj)
    return False
