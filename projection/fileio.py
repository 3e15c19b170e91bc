"""File helpers shared by readers and writers: strict UTF-8 and atomic writes."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from projection.errors import ProjectionError


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """All lines of a UTF-8 text file without their line endings.

    Missing files and bytes that are not UTF-8 give a :class:`ProjectionError`
    naming the file and the line, since both are user mistakes.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProjectionError(f"File not found: {path}.") from None
    except IsADirectoryError:
        raise ProjectionError(f"Expected a file but {path} is a directory.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ProjectionError(
            f"{path}, line {line}: the file is not valid UTF-8 (byte {data[err.start]:#04x} at offset "
            f"{err.start}). Convert it to UTF-8, e.g. `iconv -f latin1 -t utf-8 {path.name}`."
        ) from None
    return text.splitlines()


def iter_lines(path: str | os.PathLike[str]) -> Iterator[str]:
    """The lines of a UTF-8 text file one at a time, for files too large to hold.

    Lines end at ``\\n`` only (``\\r\\n`` is stripped too); missing files and bytes
    that are not UTF-8 give the same :class:`ProjectionError` as :func:`read_lines`.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise ProjectionError(f"File not found: {path}.") from None
    except IsADirectoryError:
        raise ProjectionError(f"Expected a file but {path} is a directory.") from None
    with handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                raise ProjectionError(
                    f"{path}, line {number}: the file is not valid UTF-8 (byte {raw[err.start]:#04x} at offset "
                    f"{offset + err.start}). Convert it to UTF-8, e.g. `iconv -f latin1 -t utf-8 {path.name}`."
                ) from None
            offset += len(raw)
            yield line.rstrip("\r\n")


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path`` and move it into place only on success.

    An interrupted or failing write therefore never leaves a partial output.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Fill a temporary directory beside ``path`` and move it into place only on success.

    For outputs that are directories (a Hugging Face dataset, spaCy DocBin
    shards): an interrupted or failing write leaves ``path`` as it was. An
    existing ``path`` is replaced as a whole.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.replace(path, old / path.name)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
