"""Moving through a data set's sentences: pure helpers behind the previous / next buttons."""

from __future__ import annotations

from collections.abc import Sequence


def step(ids: Sequence[str], current: str | None, delta: int) -> str:
    """The id ``delta`` places from ``current``, clamped to the first and last sentence."""
    if not ids:
        raise ValueError("no sentences to move through")
    index = ids.index(current) if current in ids else 0
    return ids[min(max(index + delta, 0), len(ids) - 1)]


def position_label(ids: Sequence[str], current: str) -> str:
    """``12 / 52`` (1-based)."""
    return f"{ids.index(current) + 1} / {len(ids)}"
