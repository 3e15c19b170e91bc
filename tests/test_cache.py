from __future__ import annotations

from pathlib import Path

import numpy as np

from projection.cache import Cache, content_key


def test_key_ignores_dict_order_but_not_content() -> None:
    assert content_key({"a": 1, "b": [1, 2]}) == content_key({"b": [1, 2], "a": 1})
    assert content_key({"a": 1}) != content_key({"a": 2})
    assert content_key("align", {"a": 1}) != content_key("label", {"a": 1})


def test_columns_computes_once_then_serves_from_disk(tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> dict[str, list]:
        calls.append(1)
        return {"out": [np.arange(3), "x"]}

    first = Cache(tmp_path).columns("stage", {"name": "n"}, {"in": [1, 2]}, compute)
    again = Cache(tmp_path).columns("stage", {"name": "n"}, {"in": [1, 2]}, compute)
    assert len(calls) == 1
    assert again["out"][1] == "x" and list(again["out"][0]) == [0, 1, 2]
    assert list(first["out"][0]) == list(again["out"][0])


def test_changed_identity_or_input_recomputes(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    counter = iter(range(100))
    value = lambda: {"out": [next(counter)]}  # noqa: E731
    a = cache.columns("s", {"model": "v1"}, {"in": [1]}, value)
    b = cache.columns("s", {"model": "v2"}, {"in": [1]}, value)
    c = cache.columns("s", {"model": "v1"}, {"in": [2]}, value)
    assert len({a["out"][0], b["out"][0], c["out"][0]}) == 3
    assert cache.misses == 3 and cache.hits == 0


def test_disabled_cache_stores_nothing(tmp_path: Path) -> None:
    cache = Cache(None)
    cache.columns("s", {}, {"in": [1]}, lambda: {"out": [1]})
    assert cache.misses == 1
    assert not any(tmp_path.iterdir())


def test_corrupt_entry_is_recomputed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.columns("s", {}, {"in": [1]}, lambda: {"out": [1]})
    (entry,) = tmp_path.rglob("*.pkl")
    entry.write_bytes(b"")
    assert cache.columns("s", {}, {"in": [1]}, lambda: {"out": [2]}) == {"out": [2]}
