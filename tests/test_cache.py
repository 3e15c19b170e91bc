from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from projection.cache import Cache, content_key
from projection.errors import ProjectionError


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


def stored_entry(root: Path) -> Path:
    """The one entry file the cache wrote under ``root``."""
    (entry,) = [path for path in root.rglob("*") if path.is_file()]
    return entry


class WritesMarker:
    """Unpickling this creates a file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_crafted_pickle_in_the_cache_is_never_loaded(tmp_path: Path) -> None:
    root, marker = tmp_path / "cache", tmp_path / "code-ran"
    cache = Cache(root)
    cache.columns("label", {"model": "m"}, {"in": [1]}, lambda: {"out": ["first"]})
    entry = stored_entry(root)
    crafted = pickle.dumps({"out": [WritesMarker(marker)]})
    entry.write_bytes(crafted)  # where the entry is
    entry.with_suffix(".pkl").write_bytes(crafted)  # where an entry of the pickle format was

    again = Cache(root)
    result = again.columns("label", {"model": "m"}, {"in": [1]}, lambda: {"out": ["recomputed"]})

    assert not marker.exists()
    assert result == {"out": ["recomputed"]} and again.misses == 1
    assert Cache(root).columns("label", {"model": "m"}, {"in": [1]}, lambda: {"out": ["third"]}) == result


def test_stage_outputs_come_back_equal_with_arrays_of_the_same_dtype_and_shape(tmp_path: Path) -> None:
    similarity = np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3)
    columns = {
        "alignment": [{"links": [[0, 0], [1, 2]], "scores": [0.5, 0.25], "similarity": similarity}, None],
        "src_spans": [[{"start": 0, "end": 2, "label": "PER", "score": None, "origin": "spacy"}], []],
        "translated": ["Juan vive en Madrid.", "¿Quién? «Nadie» — 東京"],
        "counts": [np.int64(3), np.bool_(True)],
        "masks": [np.array([[True, False]]), np.arange(4, dtype=np.uint16)],
    }
    Cache(tmp_path).columns("align", {}, {"in": [1, 2]}, lambda: columns)
    found = Cache(tmp_path).columns("align", {}, {"in": [1, 2]}, lambda: pytest.fail("served from the cache"))

    array = found["alignment"][0]["similarity"]
    assert isinstance(array, np.ndarray) and array.dtype == np.float32 and array.shape == (2, 3)
    assert np.array_equal(array, similarity)
    assert found["masks"][0].dtype == bool and found["masks"][0].shape == (1, 2)
    assert found["masks"][1].dtype == np.uint16 and found["masks"][1].tolist() == [0, 1, 2, 3]
    assert {key: found[key] for key in ("src_spans", "translated", "counts")} == {
        key: columns[key] for key in ("src_spans", "translated", "counts")
    }
    assert found["alignment"][0]["links"] == [[0, 0], [1, 2]] and found["alignment"][1] is None


def test_a_value_json_cannot_hold_is_refused_rather_than_stored_changed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    with pytest.raises(TypeError, match="cannot be stored in the cache"):
        cache.columns("s", {}, {"in": [1]}, lambda: {"out": [{1, 2}]})
    with pytest.raises(TypeError, match="cannot be stored in the cache"):
        cache.columns("s", {}, {"in": [2]}, lambda: {"out": [np.array([object()])]})


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda entry: entry.write_bytes(b""), id="empty"),
        pytest.param(lambda entry: entry.write_bytes(entry.read_bytes()[:-7]), id="truncated"),
        pytest.param(lambda entry: entry.write_bytes(b'["out", [1]]'), id="a list, not an entry"),
        pytest.param(lambda entry: entry.write_bytes(b'{"out": [1]}'), id="columns without the envelope"),
        pytest.param(
            lambda entry: entry.write_bytes(entry.read_bytes().replace(b'"columns":{', b'"columns":{"x":1,')),
            id="a column that is not a list",
        ),
        pytest.param(
            lambda entry: entry.write_bytes(entry.read_bytes().replace(b'"key":"', b'"key":"0')),
            id="the entry of another key",
        ),
        pytest.param(lambda entry: entry.write_bytes(b"\xff\xfe\x00garbage"), id="not text"),
        pytest.param(lambda entry: (entry.unlink(), entry.mkdir(), (entry / "x").write_text("x")), id="a folder"),
        pytest.param(lambda entry: (entry.unlink(), entry.symlink_to(entry.parent)), id="a link to a folder"),
        pytest.param(lambda entry: (entry.unlink(), entry.symlink_to(entry.parents[3] / "outside")), id="a link out"),
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path: Path, damage: Callable[[Path], object]) -> None:
    outside = tmp_path / "outside"
    outside.write_text("the user's file")
    cache = Cache(tmp_path / "cache")
    cache.columns("s", {}, {"in": [1]}, lambda: {"out": [1], "more": ["a"]})
    entry = stored_entry(tmp_path / "cache")
    damage(entry)

    again = Cache(tmp_path / "cache")
    assert again.columns("s", {}, {"in": [1]}, lambda: {"out": [2], "more": ["b"]}) == {"out": [2], "more": ["b"]}
    assert again.misses == 1
    assert entry.is_file() and not entry.is_symlink()
    assert outside.read_text() == "the user's file"
    assert Cache(tmp_path / "cache").columns("s", {}, {"in": [1]}, lambda: {"out": [3]}) == {"out": [2], "more": ["b"]}


def test_a_file_where_a_stage_folder_belongs_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "s").write_text("not a folder")
    cache = Cache(tmp_path)
    assert cache.columns("s", {}, {"in": [1]}, lambda: {"out": [1]}) == {"out": [1]}
    assert Cache(tmp_path).columns("s", {}, {"in": [1]}, lambda: {"out": [2]}) == {"out": [1]}


@pytest.mark.parametrize("where", ["a file", "inside a file"])
def test_a_cache_folder_that_is_a_file_is_one_clear_error(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("x")
    root = blocker if where == "a file" else blocker / "sub"
    with pytest.raises(ProjectionError, match=r"cache folder .* is not a folder") as raised:
        Cache(root)
    assert str(blocker) in str(raised.value) and "--no-cache" in str(raised.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_cache_folder_that_cannot_be_written_is_one_clear_error(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ProjectionError, match="not writable"):
            Cache(tmp_path / "cache")
    finally:
        tmp_path.chmod(0o700)


def test_the_command_line_reports_a_cache_folder_that_is_a_file_before_any_work(tmp_path: Path) -> None:
    data = tmp_path / "gold.conll"
    data.write_text("Juan B-PER\nvive O\nen O\nMadrid B-LOC\n. O\n", encoding="utf-8")
    blocker = tmp_path / "cache"
    blocker.write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "projection", "evaluate", "--data", str(data), "--lang", "es",
         "--profile", "offline", "--cache-dir", str(blocker)],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=600,
        env={**os.environ, "COLUMNS": "1000"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"Error: The cache folder {blocker} is not a folder" in done.stderr
