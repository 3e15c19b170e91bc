"""JSONL writer: one JSON object per line, the item's ``to_dict()``.

Records keep everything (tokens, spans with scores and origins, alignment,
provenance) and read back with :func:`projection.readers.jsonl.read_records`;
sentences read back with :func:`projection.readers.jsonl.read_jsonl`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from projection.data import ProjectionRecord, Sentence
from projection.fileio import atomic_write


def plain(value: Any) -> Any:
    """JSON form of NumPy scalars and arrays (model scores often are ``np.float32``)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def write_jsonl(items: Iterable[ProjectionRecord | Sentence], path: str | os.PathLike[str]) -> int:
    """Write records or sentences one per line, one at a time; returns the lines written."""
    written = 0
    with atomic_write(path) as handle:
        for item in items:
            handle.write(json.dumps(item.to_dict(), ensure_ascii=False, default=plain) + "\n")
            written += 1
    return written
