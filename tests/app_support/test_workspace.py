"""The workspace keeps the app's data sets on disk: written whole, read back checked, removed on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from projection.app_support.datasets import Dataset, group_records, load_example
from projection.app_support.workspace import MANIFEST, entries, load_entry, remove_dataset, save_dataset
from projection.errors import ProjectionError


def example() -> Dataset:
    (found,) = [d for d in load_example() if d.name == "example-apertium"]
    return found


def test_a_data_set_reads_back_as_it_was_saved(tmp_path: Path) -> None:
    original = example()
    folder = save_dataset(original, tmp_path)
    (entry,) = entries(tmp_path)
    assert entry.folder == folder and (folder / MANIFEST).is_file()
    again = load_entry(folder)
    assert (again.ident, again.store_key, again.title, again.source) == (
        original.ident, original.store_key, original.title, original.source
    )  # fmt: skip
    assert again.methods("es") == original.methods("es")
    for method in original.methods("es"):
        written = [r.to_dict() for r in original.records("es", method)]
        assert [r.to_dict() for r in again.records("es", method)] == written
    assert not any(path.name.startswith(".entry") for path in tmp_path.iterdir())


def test_saving_again_replaces_the_entry_and_removing_takes_it_away(tmp_path: Path) -> None:
    original = example()
    save_dataset(original, tmp_path)
    smaller = original.with_runs({})
    smaller.runs["es"] = {"heuristic": original.records("es", "heuristic")}
    save_dataset(Dataset(original.name, "renamed", smaller.runs, store_name=original.store_name), tmp_path)
    (entry,) = entries(tmp_path)
    assert load_entry(entry.folder).title == "renamed" and load_entry(entry.folder).methods("es") == ["heuristic"]
    assert remove_dataset(original.ident, tmp_path) and entries(tmp_path) == []
    assert not remove_dataset(original.ident, tmp_path)
    assert entries(tmp_path / "never-made") == []


def test_a_damaged_entry_is_refused_with_what_to_do(tmp_path: Path) -> None:
    folder = save_dataset(Dataset("d", "d", group_records([("x", example().records("es", "heuristic")[:2])])), tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    (folder / next(iter(manifest["files"]["es"].values()))).write_bytes(b"not gzip")
    with pytest.raises(ProjectionError, match=r"cannot be read .* Load the data set again on the Data page"):
        load_entry(folder)
    (folder / MANIFEST).write_text("{", encoding="utf-8")
    with pytest.raises(ProjectionError, match="cannot be read"):
        load_entry(folder)


def test_a_workspace_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    with pytest.raises(ProjectionError, match="could not be kept in the workspace"):
        save_dataset(example(), blocked / "workspace")
