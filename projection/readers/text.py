"""Raw text reader: one sentence per line, not tokenised (one side of a bitext, or text to translate).

A line that is empty (blank or only whitespace) or not UTF-8 is a problem
of that line: by default it stops the reading with its line number
(``on_error="fail"``); with ``"skip"`` it is listed in the notes. Line ids
are ``f"{id_prefix}-{line - 1}"`` (default prefix: the file's stem), the
same ids as the lines of a bitext.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from projection.errors import ProjectionError
from projection.fileio import NotUtf8, numbered_lines
from projection.readers.notes import OnError, Problem, ReadNotes, kept


@dataclass(frozen=True, slots=True)
class TextLine:
    """One raw sentence, stripped of outer whitespace; ``line`` is its 1-based line number."""

    id: str
    text: str
    line: int


def text_items(
    path: str | os.PathLike[str], *, id_prefix: str | None = None
) -> Iterator[tuple[TextLine, str] | Problem]:
    """Each line with where it is (``file, line n``), or the problem that makes it unusable.

    A file without a single line raises.
    """
    path = Path(path)
    prefix = path.stem if id_prefix is None else id_prefix
    number = 0
    for number, line in numbered_lines(path):
        line_id = f"{prefix}-{number - 1}"
        if isinstance(line, NotUtf8):
            yield Problem(line.message, line_id, line.hint)
        elif not line.strip():
            yield Problem(
                f"{path}, line {number}: the line is empty",
                line_id,
                "Each line holds one sentence; remove empty lines.",
            )
        else:
            yield TextLine(line_id, line.strip(), number), f"{path}, line {number}"
    if number == 0:
        raise ProjectionError(f"{path}: no sentences to read (the file is empty).")


def read_text(
    path: str | os.PathLike[str],
    *,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
    id_prefix: str | None = None,
) -> list[TextLine]:
    """All lines of a raw text file; a bad line raises or is skipped and listed (see :func:`text_items`)."""
    return list(kept(text_items(path, id_prefix=id_prefix), on_error, notes, str(path)))
