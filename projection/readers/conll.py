"""CoNLL reader: ``token ... TAG`` per line, a blank line between sentences.

The token is the first column and the tag the last (columns in between, such
as CoNLL-2003's part-of-speech and chunk tags, are ignored); columns are split
on tabs when the line has one, else on runs of spaces, so a token may contain
other whitespace such as a no-break space. ``-DOCSTART-`` lines are skipped.
The tagging scheme (IOB1, IOB2 or BIOES) is detected over the whole file and
the tags are decoded to spans with origin ``gold``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.fileio import iter_lines
from projection.tags import SCHEMES, detect_scheme, keep_labels, parse_tag, tags_to_spans

_SPACES = re.compile(r" +")
DOCSTART = "-DOCSTART-"


@dataclass(slots=True)
class TaggedLines:
    """One sentence as it stands in the file, before decoding; ``line`` is its first line number."""

    line: int
    tokens: list[str]
    tags: list[str]


def split_columns(line: str) -> list[str]:
    """Columns of one non-blank line: tab-separated if it has a tab, else space-separated."""
    stripped = line.strip(" \t")
    if "\t" in stripped:
        return [column.strip(" ") for column in stripped.split("\t") if column.strip(" ")]
    return _SPACES.split(stripped)


def iter_tagged_lines(path: Path) -> Iterator[TaggedLines]:
    """The file's sentences as token and tag lists, each tag checked, one sentence in memory at a time."""
    current: TaggedLines | None = None
    for number, line in enumerate(iter_lines(path), start=1):
        if not line.strip():
            if current is not None:
                yield current
                current = None
            continue
        columns = split_columns(line)
        if columns[0] == DOCSTART:
            if current is not None:
                yield current
                current = None
            continue
        if len(columns) < 2:
            raise ProjectionError(
                f"{path}, line {number}: expected a token and a tag separated by spaces or a tab, but the line has "
                f"one column ({line.strip()!r}). Each line of a CoNLL file is `token TAG` (extra columns in between "
                "are allowed) and sentences are separated by a blank line."
            )
        tag = columns[-1]
        try:
            parse_tag(tag)
        except ValueError:
            raise ProjectionError(
                f"{path}, line {number}: unknown tag {tag!r}. Tags must be O or a prefix B-, I-, E- or S- followed "
                "by a label (IOB1, IOB2 or BIOES), e.g. B-PER; the tag is read from the last column."
            ) from None
        if current is None:
            current = TaggedLines(number, [], [])
        current.tokens.append(columns[0])
        current.tags.append(tag)
    if current is not None:
        yield current


def check_scheme(scheme: str) -> str:
    """``scheme`` upper-cased if it is ``auto`` or one of :data:`projection.tags.SCHEMES`."""
    normalised = scheme.upper()
    if normalised == "AUTO":
        return "auto"
    if normalised not in SCHEMES:
        raise ProjectionError(f"Unknown tagging scheme {scheme!r}: use auto, {', '.join(SCHEMES)}.")
    return normalised


def iter_conll(
    path: str | os.PathLike[str],
    lang: str,
    *,
    scheme: str = "auto",
    label_set: Iterable[str] | None = None,
    id_prefix: str | None = None,
) -> Iterator[Sentence]:
    """Sentences of a CoNLL file, one at a time, in bounded memory.

    With ``scheme="auto"`` the file is read twice: once to detect the scheme
    over all its tags, once to decode. Spans whose label is not in
    ``label_set`` (when given) are dropped, i.e. count as O. Sentence ids are
    ``f"{id_prefix}-{index}"`` (default prefix: the file name's stem, index from 0).
    """
    path = Path(path)
    scheme = check_scheme(scheme)
    if scheme == "auto":
        scheme = detect_scheme(sentence.tags for sentence in iter_tagged_lines(path))
    labels = None if label_set is None else set(label_set)
    prefix = path.stem if id_prefix is None else id_prefix
    index = -1
    for index, sentence in enumerate(iter_tagged_lines(path)):
        spans = keep_labels(tags_to_spans(sentence.tags, scheme, origin="gold"), labels)
        yield Sentence(id=f"{prefix}-{index}", lang=lang, tokens=sentence.tokens, spans=spans)
    if index < 0:
        raise ProjectionError(
            f"{path} contains no sentences. A CoNLL file has one `token TAG` line per token and a blank line "
            "between sentences."
        )


def read_conll(
    path: str | os.PathLike[str],
    lang: str,
    *,
    scheme: str = "auto",
    label_set: Iterable[str] | None = None,
    id_prefix: str | None = None,
) -> list[Sentence]:
    """All sentences of a CoNLL file; see :func:`iter_conll`."""
    return list(iter_conll(path, lang, scheme=scheme, label_set=label_set, id_prefix=id_prefix))
