"""Content-addressed results of pipeline stages.

A result is stored under the hash of everything that determines it: the
stage's identity (name, parameters, model and library versions) and its input
columns. Re-running a pipeline, resuming an interrupted one, or reopening the
app therefore finds every stage already done, and a changed model or option
can never be served a stale result.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from projection.fileio import atomic_write

DEFAULT_CACHE_DIR = Path(os.environ.get("PROJECTION_CACHE", Path(__file__).resolve().parents[1] / "cache"))
FORMAT_VERSION = 1


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


class Cache:
    """A directory of results keyed by :func:`content_key`; ``root=None`` disables caching."""

    def __init__(self, root: str | os.PathLike[str] | None = DEFAULT_CACHE_DIR) -> None:
        self.root = None if root is None else Path(root)
        self.hits = 0
        self.misses = 0

    def path(self, stage: str, key: str) -> Path:
        assert self.root is not None
        return self.root / stage / key[:2] / f"{key}.pkl"

    def get(self, stage: str, key: str) -> Any | None:
        if self.root is None:
            return None
        path = self.path(stage, key)
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            return None

    def put(self, stage: str, key: str, value: Any) -> None:
        if self.root is None:
            return
        with atomic_write(self.path(stage, key), "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def columns(
        self,
        stage: str,
        identity: Mapping[str, Any],
        inputs: Mapping[str, Any],
        compute: Callable[[], dict[str, list]],
    ) -> dict[str, list]:
        """Output columns of ``stage`` for ``inputs``: from the cache, or computed and stored."""
        key = content_key(stage, identity, inputs)
        found = self.get(stage, key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        result = compute()
        self.put(stage, key, result)
        return result
