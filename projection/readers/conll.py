"""CoNLL reader: ``token ... TAG`` per line, a blank line between sentences.

The token is the first column and the tag the last (columns in between, such
as CoNLL-2003's part-of-speech and chunk tags, are ignored); columns are split
on tabs when the line has one, else on runs of spaces, so a token may contain
other whitespace such as a no-break space. ``-DOCSTART-`` lines are skipped.

Lines of the form ``# name = value`` before a sentence's first token line
are comments, as in CoNLL-U; ``# id = ...`` gives the sentence its id (the
CoNLL writer writes it). Anywhere else, a line starting with ``#`` is a token
line like any other (``# O`` is the token ``#``), and a ``#`` line that is
not ``# name = value`` is never taken for a comment.
Tags of any scheme (IOB1, IOB2, BIOES) decode to spans with origin ``gold``
by one rule (see :mod:`projection.tags`); how labels are read, and what is
noted, is in :mod:`projection.readers.entities`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.fileio import NotUtf8, numbered_lines
from projection.readers.entities import Entities, normalised_label_set
from projection.readers.jsonl import DuplicateIds
from projection.readers.notes import OnError, Problem, ReadNotes, kept
from projection.tags import is_tag

_SPACES = re.compile(r" +")
_COMMENT = re.compile(r"^#\s+([A-Za-z_][\w.-]*)\s*=(.*)$")
ID_COMMENT = "id"
DOCSTART = "-DOCSTART-"
LAYOUT = (
    "Each line of a CoNLL file is `token TAG` (extra columns in between are allowed) and sentences are "
    "separated by a blank line."
)
TAGS = (
    "Tags are O or a prefix B-, I-, E- or S- followed by a label (IOB1, IOB2 or BIOES), e.g. B-PER; the tag is "
    "read from the last column."
)

Block = list[tuple[int, str | NotUtf8]]


def split_columns(line: str) -> list[str]:
    """Columns of one non-blank line: tab-separated if it has a tab, else space-separated."""
    stripped = line.strip(" \t")
    if "\t" in stripped:
        return [column.strip(" ") for column in stripped.split("\t") if column.strip(" ")]
    return _SPACES.split(stripped)


def blocks(path: Path) -> Iterator[Block]:
    """The file's sentences as numbered lines; blank lines and ``-DOCSTART-`` end a sentence."""
    lines: Block = []
    for number, line in numbered_lines(path):
        if isinstance(line, str) and (not line.strip() or split_columns(line)[0] == DOCSTART):
            if lines:
                yield lines
                lines = []
            continue
        lines.append((number, line))
    if lines:
        yield lines


def comments_of(block: Block) -> tuple[dict[str, str], Block]:
    """The ``# name = value`` comments heading a sentence, and its remaining lines."""
    comments: dict[str, str] = {}
    for position, (_, line) in enumerate(block):
        found = _COMMENT.match(line.strip()) if isinstance(line, str) else None
        if found is None:
            return comments, block[position:]
        comments[found.group(1)] = found.group(2).strip()
    return comments, []


def read_line(path: Path, number: int, line: str | NotUtf8, sentence_id: str) -> tuple[str, str] | Problem:
    """``(token, tag)`` of one line of a sentence, or the problem that makes the sentence unusable."""
    if isinstance(line, NotUtf8):
        return Problem(line.message, sentence_id, line.hint)
    columns = split_columns(line)
    if len(columns) < 2:
        return Problem(
            f"{path}, line {number}: expected a token and a tag separated by spaces or a tab, but the line has one "
            f"column ({line.strip()!r})",
            sentence_id,
            LAYOUT,
        )
    if not is_tag(columns[-1]):
        return Problem(f"{path}, line {number}: unknown tag {columns[-1]!r}", sentence_id, TAGS)
    return columns[0], columns[-1]


def conll_items(
    path: str | os.PathLike[str],
    lang: str,
    *,
    label_set: Iterable[str] | None = None,
    id_prefix: str | None = None,
    notes: ReadNotes | None = None,
) -> Iterator[tuple[Sentence, str] | Problem]:
    """Each sentence with where it starts, or the problem that makes it unusable; one sentence in memory.

    A sentence's id is its ``# id = ...`` comment, else ``f"{id_prefix}-{index}"``
    (default prefix: the file name's stem, index from 0, unusable sentences
    counted), so ids do not depend on whether bad sentences are skipped; an id
    used twice makes the second sentence unusable. A file without a single
    sentence raises.
    """
    path = Path(path)
    entities = Entities(str(path), normalised_label_set(label_set), notes)
    prefix = path.stem if id_prefix is None else id_prefix
    ids = DuplicateIds(path)
    index = -1
    for block in blocks(path):
        comments, lines = comments_of(block)
        if not lines:
            continue  # comment lines with no sentence under them
        index += 1
        sentence_id = comments.get(ID_COMMENT) or f"{prefix}-{index}"
        first = lines[0][0]
        duplicate = ids.problem((sentence_id,), block[0][0], f"sentence id {sentence_id!r}")
        if duplicate is not None:
            yield duplicate
            continue
        tokens: list[str] = []
        tags: list[str] = []
        for number, line in lines:
            read = read_line(path, number, line, sentence_id)
            if isinstance(read, Problem):
                yield read
                break
            tokens.append(read[0])
            tags.append(read[1])
        else:
            spans = entities.from_tags(tags, lambda i, first=first: f"{path}, line {first + i}")
            yield Sentence(sentence_id, lang, tokens, spans), f"{path}, sentence {index + 1} (line {first})"
    if index < 0:
        raise ProjectionError(
            f"{path} contains no sentences. A CoNLL file has one `token TAG` line per token and a blank line "
            "between sentences."
        )


def iter_conll(
    path: str | os.PathLike[str],
    lang: str,
    *,
    label_set: Iterable[str] | None = None,
    id_prefix: str | None = None,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
) -> Iterator[Sentence]:
    """Sentences of a CoNLL file, one at a time, in bounded memory.

    Spans whose label is not in ``label_set`` (when given) are dropped, i.e.
    count as O. A malformed sentence raises (``on_error="fail"``) or is
    skipped and listed in ``notes`` (``"skip"``); notes on tags and labels go
    to ``notes`` when given. See :func:`conll_items` for the ids.
    """
    items = conll_items(path, lang, label_set=label_set, id_prefix=id_prefix, notes=notes)
    yield from kept(items, on_error, notes, str(path))


def read_conll(
    path: str | os.PathLike[str],
    lang: str,
    *,
    label_set: Iterable[str] | None = None,
    id_prefix: str | None = None,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
) -> list[Sentence]:
    """All sentences of a CoNLL file; see :func:`iter_conll`."""
    return list(iter_conll(path, lang, label_set=label_set, id_prefix=id_prefix, on_error=on_error, notes=notes))
