"""A SQLite corrections store is one file: checked before it is used, and created whole.

SQLite takes whatever file it is pointed at: an empty file opens as a new,
empty database (so a store truncated to nothing would silently lose every
edit), and a truncated or damaged one opens and fails at its first read.
A store file is therefore checked when the store opens, and each problem is
named with what to do about it. A new store is built beside its path and
linked into place, so that a store file never exists half-made and an empty
file is never one of ours.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from projection.errors import ProjectionError
from projection.scratch import owned_prefix, remove_orphans

SQLITE_HEADER = b"SQLite format 3\x00"
START_OVER = "to start a new, empty store, move it aside (or delete it)"


def check_store_file(path: Path) -> None:
    """Refuse an existing ``path`` that cannot be a store: a folder, an empty file, a file that is not SQLite."""
    if path.is_dir():
        raise ProjectionError(
            f"The corrections store {path} is a folder. Give the path of a store file (a new one is created)."
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as err:
        raise ProjectionError(
            f"The corrections store {path} cannot be read ({err.strerror}). Check its permissions."
        ) from None
    if not header:
        raise ProjectionError(
            f"The corrections store {path} is an empty file (0 bytes), not a corrections store: it was probably "
            f"truncated, e.g. by a full disk or an unfinished copy. Restore it from a backup; {START_OVER}."
        )
    if header != SQLITE_HEADER:
        raise ProjectionError(
            f"The corrections store {path} is not a corrections store: it is not a SQLite database. Check the path "
            f"(or PROJECTION_CORRECTIONS_URL); to start a new store there, move the file aside."
        )


def check_integrity(engine: Engine, path: Path) -> None:
    """SQLite's own check of every page: a truncated or damaged file is reported now, not at its first read."""
    try:
        with engine.connect() as connection:
            problems = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check")]
    except DBAPIError as err:
        problems = [str(err.orig)]
    if problems != ["ok"]:
        found = [line.strip() for problem in problems for line in problem.splitlines() if not line.startswith("***")]
        said = found[0] if found else "unreadable"
        raise ProjectionError(
            f"The corrections store {path} is damaged (SQLite: {said}); it may have been truncated or only "
            f"partly copied, and its edits cannot all be read. Restore it from a backup; {START_OVER}."
        )


def create_store_file(path: Path, build: Callable[[Path], None]) -> None:
    """Make a new store at ``path``: ``build`` fills a scratch file beside it, which is then linked into place.

    If another process created the store meanwhile, theirs is kept and the
    scratch file is dropped.
    """
    purpose = f".{path.name}"
    remove_orphans(path.parent, purpose, suffixes=(".tmp",))
    fd, name = tempfile.mkstemp(prefix=owned_prefix(purpose), suffix=".tmp", dir=path.parent)
    os.close(fd)
    scratch = Path(name)
    try:
        build(scratch)
        try:
            os.link(scratch, path)
        except FileExistsError:
            pass  # another process made the store first: theirs is kept
        except OSError:
            # a file system without hard links: a rename, which could only replace a store made this very moment
            if not path.exists():
                os.replace(scratch, path)
    finally:
        for leftover in ("", "-journal", "-wal", "-shm"):
            Path(f"{scratch}{leftover}").unlink(missing_ok=True)
