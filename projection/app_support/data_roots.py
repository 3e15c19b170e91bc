"""The folders the app may read when a user types a path: the project folder and ``$PROJECTION_DATA_ROOTS``.

Whoever can open the app can type any path into the Data page, and the server
would read it with its own rights (``/etc/shadow`` read as CoNLL is 24
"sentences"). So a typed path is resolved first (``~``, ``..`` and every
symlink, as :func:`os.path.realpath` does) and read only when the real path
lies in one of the roots; a folder is read only when nothing beneath it
leads outside them either. The roots are chosen by the person who starts the
app, never in the app. Uploads do not go through here: they are stored under
the app's own cache folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

from projection.errors import ProjectionError

ROOTS_ENV = "PROJECTION_DATA_ROOTS"
PROJECT_DIR = Path(__file__).resolve().parents[2]


def data_roots(environ: Mapping[str, str] | None = None) -> list[Path]:
    """The project folder, then each folder of ``$PROJECTION_DATA_ROOTS`` (``os.pathsep``-separated), resolved."""
    environ = os.environ if environ is None else environ
    listed = [entry for entry in environ.get(ROOTS_ENV, "").split(os.pathsep) if entry.strip()]
    roots: list[Path] = []
    for entry in [str(PROJECT_DIR), *listed]:
        root = Path(os.path.realpath(os.path.expanduser(entry.strip())))
        if root not in roots:
            roots.append(root)
    return roots


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether the resolved ``path`` is one of ``roots`` or lies beneath one."""
    return any(path.is_relative_to(root) for root in roots)


def _refusal(typed: str, roots: Sequence[Path], reason: str = "") -> ProjectionError:
    folders = ", ".join(str(root) for root in roots)
    example = f"{ROOTS_ENV}=/data/corpora{os.pathsep}/home/me/runs"
    return ProjectionError(
        f"{typed} {reason or 'is outside the folders this app may read'}. The app reads typed paths only "
        f"inside {folders}. Move or copy the data into one of them, upload the file instead, or restart the "
        f"app with its folder added to {ROOTS_ENV} (folders separated by {os.pathsep!r}), e.g. "
        f"{example} streamlit run app.py."
    )


def _real(text: str) -> Path:
    try:
        return Path(os.path.realpath(os.path.expanduser(text)))
    except (ValueError, OSError) as err:
        raise ProjectionError(f"{text!r} is not a usable path ({err}).") from None


def _check_tree(folder: Path, typed: str, roots: Sequence[Path]) -> None:
    """Refuse ``folder`` if a symlink beneath it (followed where it stays inside) resolves outside ``roots``."""
    visited = {folder}
    for current, dirs, files in os.walk(folder, followlinks=True):
        for name in [*dirs, *files]:
            entry = Path(current, name)
            if not entry.is_symlink():
                continue
            target = Path(os.path.realpath(entry))
            if not inside(target, roots):
                raise _refusal(typed, roots, f"holds {entry}, a link to {target}, which is outside the data folders")
        # a folder reached twice (a link loop, or two links to one place) is walked once
        kept = []
        for name in dirs:
            real = Path(os.path.realpath(Path(current, name)))
            if real not in visited:
                visited.add(real)
                kept.append(name)
        dirs[:] = kept


def confine(typed: str | os.PathLike[str], roots: Sequence[Path] | None = None) -> Path:
    """The real path of ``typed`` if the app may read it, else a :class:`ProjectionError` naming the roots.

    The roots are checked before the path's existence, so that nothing is
    learnt about files outside them. A path that does not exist inside a
    root is returned as it is (the reader then says it is missing); one that
    exists must be a regular file or a folder (a FIFO or a device would
    block the app or never end), and a folder must hold no link leading out.
    """
    text = os.fspath(typed).strip()
    roots = data_roots() if roots is None else list(roots)
    real = _real(text)
    if not inside(real, roots):
        raise _refusal(text, roots)
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    except OSError as err:
        raise ProjectionError(f"{text} cannot be read: {err.strerror or err}.") from None
    if stat.S_ISDIR(mode):
        _check_tree(real, text, roots)
    elif not stat.S_ISREG(mode):
        raise ProjectionError(f"{text} is neither a regular file nor a folder, so the app does not read it.")
    return real
