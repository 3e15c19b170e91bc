"""Content-addressed results of pipeline stages.

A result is stored under the hash of everything that determines it: the
stage's identity (name, parameters, model and library versions) and its input
columns. Re-running a pipeline, resuming an interrupted one, or reopening the
app therefore finds every stage already done, and a changed model or option
can never be served a stale result.

Entries are JSON, never pickle: the folder is shared by the app and the
command line, and whoever can write a file into it must not be able to make
either run code. Reading an entry is parsing data, and anything that is not a
well-formed entry of the requested key (truncated, hand-edited, a folder or a
link where the file belongs, an entry of the older pickle format) is a miss
that the next computation replaces.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from projection.errors import ProjectionError
from projection.fileio import atomic_write

DEFAULT_CACHE_DIR = Path(os.environ.get("PROJECTION_CACHE", Path(__file__).resolve().parents[1] / "cache"))
FORMAT_VERSION = 2
"""Part of every key and every entry: raised whenever keys or entries change meaning."""

ARRAY_TAG = "$ndarray"
"""The one key of the object that stands for a numpy array inside an entry."""
ARRAY_KINDS = "biufc"
"""numpy dtype kinds an entry can hold (booleans and numbers), stored as raw bytes with dtype and shape."""

Columns = dict[str, list]


def _default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot hash a {type(value).__name__} into a cache key")


def content_key(*parts: Any) -> str:
    """A stable SHA-256 of JSON-able parts (dict key order does not matter)."""
    digest = hashlib.sha256()
    for part in (FORMAT_VERSION, *parts):
        digest.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=_default).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def encode_entry(key: str, columns: Columns) -> bytes:
    """``columns`` as a JSON entry of ``key``.

    JSON holds what stage outputs are made of (strings, numbers, None,
    lists, dicts with string keys); numpy arrays keep their dtype and shape,
    numpy scalars become Python numbers, tuples become lists. Anything else
    (sets, objects, non-string keys) is refused with a ``TypeError`` rather
    than stored changed. JSON has no NaN: a float NaN is stored as null.
    """
    has_arrays = False

    def tagged(value: Any) -> Any:
        nonlocal has_arrays
        if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
            has_arrays = True
            data = base64.b64encode(np.ascontiguousarray(value).tobytes()).decode("ascii")
            return {ARRAY_TAG: {"dtype": value.dtype.str, "shape": list(value.shape), "data": data}}
        if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
            return value.item()
        raise TypeError(f"a {type(value).__name__} cannot be stored in the cache")

    options = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    try:
        body = orjson.dumps(columns, default=tagged, option=options)
    except orjson.JSONEncodeError as err:
        raise TypeError(f"this result cannot be stored in the cache: {err}") from None
    entry = {"format": FORMAT_VERSION, "key": key, "arrays": has_arrays, "columns": orjson.Fragment(body)}
    return orjson.dumps(entry)


def _array(spec: Any) -> np.ndarray:
    dtype = np.dtype(spec["dtype"])
    if dtype.kind not in ARRAY_KINDS:
        raise ValueError(f"arrays of dtype {dtype} are not cached")
    data = base64.b64decode(spec["data"], validate=True)
    return np.frombuffer(data, dtype=dtype).reshape([int(n) for n in spec["shape"]]).copy()


def _with_arrays(value: Any) -> Any:
    if isinstance(value, list):
        return [_with_arrays(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1 and ARRAY_TAG in value:
            return _array(value[ARRAY_TAG])
        return {name: _with_arrays(item) for name, item in value.items()}
    return value


def decode_entry(key: str, data: bytes) -> Columns | None:
    """The columns stored in ``data`` if it is a well-formed entry of ``key``, else None."""
    try:
        entry = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT_VERSION or entry.get("key") != key:
        return None
    columns = entry.get("columns")
    if not isinstance(columns, dict) or not all(isinstance(column, list) for column in columns.values()):
        return None
    if entry.get("arrays") is not True:
        return columns
    try:
        return _with_arrays(columns)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return None


def _usable_root(root: Path) -> Path:
    """``root``, created if missing; a path that cannot be a writable folder is the user's to fix."""
    advice = "Choose another with --cache-dir (PROJECTION_CACHE for the app), or pass --no-cache."
    blocker = next((path for path in (root, *root.parents) if path.exists() or path.is_symlink()), root)
    if (blocker.exists() or blocker.is_symlink()) and not blocker.is_dir():
        what = "it is" if blocker == root else f"{blocker} is"
        kind = "a file" if blocker.is_file() else "not a folder"
        raise ProjectionError(f"The cache folder {root} is not a folder: {what} {kind}. {advice}")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ProjectionError(f"The cache folder {root} cannot be created ({err.strerror}). {advice}") from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise ProjectionError(f"The cache folder {root} is not writable by this user. {advice}")
    return root


def _clear_way(path: Path) -> None:
    """Remove what stands where an entry or its folders belong: a file, a link, or a folder.

    A link is removed, never written through, so an entry cannot be made to
    overwrite a file outside the cache.
    """
    for folder in (path.parent.parent, path.parent):  # the stage's folder, then the key prefix's
        if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
            folder.unlink()
    if path.is_symlink():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


class Cache:
    """A directory of results keyed by :func:`content_key`; ``root=None`` disables caching.

    The root is checked (and created) here, so that a cache folder that
    cannot work is reported before any pipeline work. ``suffix``,
    :meth:`encode` and :meth:`decode` are the entry format.
    """

    suffix = ".json"

    def __init__(self, root: str | os.PathLike[str] | None = DEFAULT_CACHE_DIR) -> None:
        self.root = None if root is None else _usable_root(Path(root))
        self.hits = 0
        self.misses = 0

    def path(self, stage: str, key: str) -> Path:
        assert self.root is not None
        return self.root / stage / key[:2] / f"{key}{self.suffix}"

    def encode(self, key: str, columns: Columns) -> bytes:
        return encode_entry(key, columns)

    def decode(self, key: str, data: bytes) -> Columns | None:
        return decode_entry(key, data)

    def get(self, stage: str, key: str) -> Columns | None:
        """The stored columns of ``key``, or None when there is no usable entry."""
        if self.root is None:
            return None
        try:
            data = self.path(stage, key).read_bytes()
        except OSError:
            return None
        return self.decode(key, data)

    def put(self, stage: str, key: str, columns: Columns) -> Columns:
        """Store ``columns`` under ``key``, replacing whatever is there; returns them as a later read will."""
        if self.root is None:
            return columns
        data = self.encode(key, columns)
        path = self.path(stage, key)
        _clear_way(path)
        with atomic_write(path, "wb") as handle:
            handle.write(data)
        stored = self.decode(key, data)
        assert stored is not None, "an entry that was just encoded decodes"
        return stored

    def columns(
        self,
        stage: str,
        identity: Mapping[str, Any],
        inputs: Mapping[str, Any],
        compute: Callable[[], Columns],
    ) -> Columns:
        """Output columns of ``stage`` for ``inputs``: from the cache, or computed and stored.

        A computed result is returned as it was stored, so a run gives the
        same values whether or not its stages were cached.
        """
        key = content_key(stage, identity, inputs)
        found = self.get(stage, key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        result = compute()
        return result if self.root is None else self.put(stage, key, result)
