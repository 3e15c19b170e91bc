"""File helpers shared by readers and writers: strict UTF-8 lines, output paths checked up front, atomic writes."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import shutil
import stat
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from projection.errors import ProjectionError
from projection.scratch import owned_prefix, remove_orphans

LINE_BREAKS = ("\r\n", "\r", "\n")
"""Where lines end, as in universal-newlines mode: ``\\n``, ``\\r\\n`` or a lone ``\\r`` (classic Mac OS).

Nothing else: Unicode separators such as U+2028 or NEL stay inside their
line, since a line number is also an alignment (a bitext, a translations file)."""
_BOM = b"\xef\xbb\xbf"
_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class NotUtf8:
    """A line whose bytes are not UTF-8: where the first bad byte is, for a message that names it."""

    path: Path
    line: int
    byte: int
    offset: int
    """Byte offset of the bad byte from the start of the file (of the decompressed data for ``.gz``)."""

    @property
    def message(self) -> str:
        return (
            f"{self.path}, line {self.line}: the file is not valid UTF-8 (byte {self.byte:#04x} at offset "
            f"{self.offset})"
        )

    @property
    def hint(self) -> str:
        return f"Convert it to UTF-8, e.g. `iconv -f latin1 -t utf-8 {self.path.name}`."

    def error(self) -> ProjectionError:
        return ProjectionError(f"{self.message}. {self.hint}")


def _open_bytes(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


@contextlib.contextmanager
def readable(path: Path) -> Iterator[IO[bytes]]:
    """``path`` open for reading bytes, decompressed when it ends in ``.gz``.

    A missing file, a folder and a damaged ``.gz`` file are user errors.
    """
    try:
        handle = _open_bytes(path)
    except FileNotFoundError:
        raise ProjectionError(f"File not found: {path}.") from None
    except IsADirectoryError:
        raise ProjectionError(f"Expected a file but {path} is a directory.") from None
    try:
        with handle:
            yield handle
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise ProjectionError(f"{path} is not a readable gzip file ({err}).") from None


def numbered_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, str | NotUtf8]]:
    """``(line number, text)`` for each line of a UTF-8 text file, one at a time, in bounded memory.

    Lines end at any of :data:`LINE_BREAKS` and come without it; a byte
    order mark at the start is dropped. A line whose bytes are not UTF-8
    comes as a :class:`NotUtf8` instead of its text, so that a reader can
    report that line and go on with the next.
    """
    path = Path(path)
    with readable(path) as raw:
        offset = len(_BOM) if raw.read(len(_BOM)) == _BOM else 0
        raw.seek(offset)
        # newline="" splits at every line break but keeps it, so that byte offsets can be counted; bad bytes
        # decode to lone surrogates, which encoding back to strict UTF-8 finds.
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
        for number, line in enumerate(text, start=1):
            try:
                size = len(line.encode("utf-8"))
            except UnicodeEncodeError as err:
                position = offset + len(line[: err.start].encode("utf-8", "surrogateescape"))
                yield number, NotUtf8(path, number, ord(line[err.start]) - 0xDC00, position)
                offset += len(line.encode("utf-8", "surrogateescape"))
                continue
            yield number, line.rstrip("\r\n")  # a line holds no CR or LF but its own line break
            offset += size


def iter_lines(path: str | os.PathLike[str]) -> Iterator[str]:
    """The lines of a UTF-8 text file one at a time, for files too large to hold (see :func:`numbered_lines`).

    Bytes that are not UTF-8 raise a :class:`ProjectionError` naming the
    file, the line and the byte offset, as do a missing file and a damaged
    ``.gz`` file: all are user mistakes.
    """
    for _, line in numbered_lines(path):
        if isinstance(line, NotUtf8):
            raise line.error()
        yield line


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """All lines of a UTF-8 text file without their line endings; see :func:`iter_lines`."""
    return list(iter_lines(path))


def count_lines(path: str | os.PathLike[str]) -> int:
    """The number of lines :func:`numbered_lines` yields, counted over the bytes without decoding them."""
    path = Path(path)
    lines = 0
    previous = b""
    with readable(path) as raw:
        if raw.read(len(_BOM)) != _BOM:
            raw.seek(0)
        while block := raw.read(_BLOCK):
            lines += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
            if previous.endswith(b"\r") and block.startswith(b"\n"):
                lines -= 1  # a CRLF split between two blocks is one line break
            previous = block
    if previous and not previous.endswith((b"\n", b"\r")):
        lines += 1  # the last line has no line break after it
    return lines


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or ".")


def _check_folder_writable(folder: Path, output: Path) -> None:
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        raise ProjectionError(f"Cannot write {output}: {existing} is not a folder.")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ProjectionError(
            f"Cannot write {output}: the folder {existing} is not writable by this user. "
            "Choose another output path, or change the folder's permissions."
        )


def output_file(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` will replace, checked before any work is done.

    A symlink is followed, so the write goes to its target and the link
    stays. Anything that exists and is not a regular file (a device such as
    ``/dev/null``, a FIFO, a socket, a folder) is refused, and so is a folder
    the user cannot write to.
    """
    given = Path(path)
    target = Path(os.path.realpath(given))
    if target.exists() and not target.is_file():
        kind = "a folder" if target.is_dir() else "not a regular file (a device, FIFO or socket)"
        shown = f"{given} (-> {target})" if target != given.absolute() else str(given)
        raise ProjectionError(
            f"Refusing to write {shown}: it is {kind}. Give the path of a regular file or of a new one."
        )
    _check_folder_writable(target.parent, given)
    return target


def output_directory(path: str | os.PathLike[str], *, replaceable: Callable[[Path], bool], force: bool) -> Path:
    """The folder a directory output (a Hugging Face dataset, spaCy shards) will replace, checked first.

    An existing file, or a folder that does not look like an earlier output
    of the same kind (``replaceable``) and is not empty, is refused unless
    ``force``: replacing it would lose the user's data without a word.
    """
    given = Path(path)
    target = Path(os.path.realpath(given))
    if not force and target.exists():
        if not target.is_dir():
            raise ProjectionError(
                f"Refusing to replace the file {given} with a folder: this format writes a folder. "
                "Choose another path, or pass --force to overwrite it."
            )
        if any(target.iterdir()) and not replaceable(target):
            raise ProjectionError(
                f"Refusing to replace the folder {given}: it is not empty and is not an earlier output of this "
                "format. Choose another path, or pass --force to overwrite it."
            )
    if target.exists() and not (target.is_dir() or target.is_file()):
        raise ProjectionError(f"Refusing to write {given}: it is not a regular file or folder.")
    _check_folder_writable(target.parent, given)
    return target


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path`` and move it into place only on success.

    An interrupted or failing write never leaves a partial output; the data
    is on disk (fsync) before the rename. The file gets the permissions an
    ordinary write would give it: those of the file it replaces, else the
    user's umask. A temporary file left by a killed run is removed by the
    next write to the same path (see :mod:`projection.scratch`).
    """
    target = output_file(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    purpose = f".{target.name}"
    remove_orphans(target.parent, purpose, suffixes=(".tmp", ".old"))
    fd, tmp_name = tempfile.mkstemp(prefix=owned_prefix(purpose), suffix=".tmp", dir=target.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        wanted = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~current_umask()
        os.chmod(tmp_name, wanted)
        os.replace(tmp_name, target)
        _fsync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def atomic_directory(
    path: str | os.PathLike[str], *, replaceable: Callable[[Path], bool] = lambda _: False, force: bool = False
) -> Iterator[Path]:
    """Fill a temporary directory beside ``path`` and move it into place only on success.

    For outputs that are directories (a Hugging Face dataset, spaCy DocBin
    shards): an interrupted or failing write leaves ``path`` as it was. An
    existing ``path`` is replaced as a whole only if :func:`output_directory`
    allows it (an earlier output of the same kind, an empty folder, or
    ``force``).
    """
    target = output_directory(path, replaceable=replaceable, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    purpose = f".{target.name}"
    remove_orphans(target.parent, purpose, suffixes=(".tmp", ".old"))
    tmp = Path(tempfile.mkdtemp(prefix=owned_prefix(purpose), suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~current_umask())
        if target.exists() or target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=owned_prefix(purpose), suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
        _fsync_folder(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
