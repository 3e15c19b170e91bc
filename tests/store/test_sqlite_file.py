"""A SQLite store file that cannot be a working store is refused when it opens, with what to do about it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from projection.data import Span
from projection.errors import ProjectionError
from projection.store import CorrectionsStore


def filled_store(path: Path, n_sentences: int = 300) -> bytes:
    """A store with real edits, closed; returns its bytes."""
    store = CorrectionsStore(f"sqlite:///{path}")
    for k in range(n_sentences):
        spans = [Span(0, 2, "PER", origin="corrected"), Span(4, 5, "LOC", origin="corrected")]
        store.save("news", f"s{k}", [], spans, author="ana", lang="es", action="add")
    store.close()
    return path.read_bytes()


@pytest.mark.parametrize("cut", [1536, 4096, 0.5], ids=["1.5 KB", "one page", "half"])
def test_a_truncated_store_is_refused_when_it_opens(tmp_path: Path, cut: float) -> None:
    data = filled_store(tmp_path / "good.sqlite")
    damaged = tmp_path / "corrections.sqlite"
    damaged.write_bytes(data[: int(len(data) * cut)] if cut < 1 else data[: -int(cut)])

    with pytest.raises(ProjectionError) as raised:
        CorrectionsStore(f"sqlite:///{damaged}")
    message = str(raised.value)
    assert f"{damaged} is damaged" in message
    assert "Restore it from a backup" in message and "move it aside" in message
    assert "writable" not in message and "\n" not in message


def test_a_store_truncated_to_nothing_is_refused_not_taken_for_a_new_store(tmp_path: Path) -> None:
    empty = tmp_path / "corrections.sqlite"
    empty.write_bytes(b"")

    with pytest.raises(ProjectionError, match=r"is an empty file \(0 bytes\)") as raised:
        CorrectionsStore(f"sqlite:///{empty}")
    assert "Restore it from a backup" in str(raised.value) and "move it aside" in str(raised.value)
    assert empty.read_bytes() == b"", "the file is left as it was"


def test_a_file_that_is_not_sqlite_is_not_a_corrections_store(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("my notes, not a database\n" * 100)

    with pytest.raises(ProjectionError, match="not a corrections store: it is not a SQLite database") as raised:
        CorrectionsStore(f"sqlite:///{other}")
    assert "writable" not in str(raised.value)
    assert other.read_text().startswith("my notes")


def test_a_sqlite_database_of_something_else_is_not_a_corrections_store(tmp_path: Path) -> None:
    other = tmp_path / "app.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE users (name TEXT)")
    with pytest.raises(ProjectionError, match="not a corrections store: it has the tables users"):
        CorrectionsStore(f"sqlite:///{other}")
    with sqlite3.connect(other) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"users"}, "nothing was added to it"


def test_a_folder_is_not_a_store_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="is a folder"):
        CorrectionsStore(f"sqlite:///{tmp_path}")


def test_stores_opened_at_once_on_a_new_path_all_work_and_leave_no_scratch_file(tmp_path: Path) -> None:
    path = tmp_path / "corrections.sqlite"
    n_threads = 8
    barrier = threading.Barrier(n_threads)
    opened: list[CorrectionsStore] = []
    errors: list[BaseException] = []

    def open_and_write(k: int) -> None:
        try:
            barrier.wait()
            store = CorrectionsStore(f"sqlite:///{path}")
            store.save("news", f"s{k}", [], [Span(0, 1, "PER")], author=f"user{k}", lang="es", action="add")
            opened.append(store)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=open_and_write, args=(k,)) for k in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(sid for _, sid in opened[0].reviews("news")) == sorted(f"s{k}" for k in range(n_threads))
    for store in opened:
        store.close()
    assert {entry.name for entry in tmp_path.iterdir()} == {"corrections.sqlite"}
