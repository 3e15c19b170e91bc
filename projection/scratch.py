"""Scratch files and folders that a killed run does not leave behind for good.

A run stopped with SIGKILL (or a power cut) cannot clean up after itself, so
every scratch entry is named after the process that owns it
(``<purpose>-<pid>-<random>``). Before making a new entry, a run removes the
entries of the same purpose whose owner is no longer running: the next run
finds and removes what an interrupted one left.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

_OWNED = re.compile(r"-(\d+)-[A-Za-z0-9_]+(\.tmp|\.old)?$")


def scratch_root() -> Path:
    """This user's scratch folder under the system's temporary directory (``$TMPDIR`` is honoured)."""
    return Path(tempfile.gettempdir()) / f"projection-{os.getuid()}"


def is_running(pid: int) -> bool:
    """Whether a process with this id exists (a process of another user counts as running)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_of(name: str) -> int | None:
    """The pid in an entry name made by :func:`owned_prefix` (``...-<pid>-<random>[.tmp|.old]``)."""
    found = _OWNED.search(name)
    return int(found.group(1)) if found else None


def owned_prefix(purpose: str) -> str:
    """The name prefix of this process's scratch entries for ``purpose``."""
    return f"{purpose}-{os.getpid()}-"


def remove_orphans(folder: Path, purpose: str, *, suffixes: tuple[str, ...] = ()) -> int:
    """Remove ``purpose`` entries in ``folder`` whose owning process has ended; returns how many went.

    ``suffixes`` limits the removal to names ending so (entries made beside a
    user's own files), so that nothing but our own leftovers can match.
    """
    removed = 0
    try:
        entries = [
            entry for entry in folder.glob(f"{glob_escape(purpose)}-*") if not suffixes or entry.name.endswith(suffixes)
        ]
    except OSError:
        return 0
    for entry in entries:
        pid = owner_of(entry.name)
        if pid is None or is_running(pid):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError as err:
            logger.debug("could not remove the leftover %s: %s", entry, err)
            continue
        removed += 1
    if removed:
        logger.info("removed %d leftover %s entr%s in %s", removed, purpose, "y" if removed == 1 else "ies", folder)
    return removed


def glob_escape(text: str) -> str:
    """``text`` with glob's special characters taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", text)


@contextlib.contextmanager
def scratch_dir(purpose: str) -> Iterator[Path]:
    """A private folder for ``purpose``, removed on exit; orphans of earlier killed runs are removed first."""
    root = scratch_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    remove_orphans(root, purpose)
    folder = Path(tempfile.mkdtemp(prefix=owned_prefix(purpose), dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
