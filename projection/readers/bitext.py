"""Bitext reader: raw sentence pairs from two line-aligned files or one two-column TSV.

The text is raw (not tokenised); :func:`projection.splitting.split_words`
turns each side into words. A pair that cannot be projected is a problem
of that pair: a side that is empty (blank or only whitespace), bytes that
are not UTF-8, a TSV line without exactly one tab. By default the first one
stops the reading with its line number (``on_error="fail"``); with
``"skip"`` each is listed in the notes and reading goes on. Files of
different lengths, or without a single line, cannot be read at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from projection.errors import ProjectionError
from projection.fileio import NotUtf8, count_lines, numbered_lines
from projection.readers.notes import OnError, Problem, ReadNotes, kept

ALIGNED = (
    "Each line of one file must be the translation of the same line of the other: fill the line, or remove it "
    "from both files."
)
TSV = "A bitext TSV has one sentence pair per line and exactly one tab per line."


@dataclass(frozen=True, slots=True)
class BitextPair:
    """One aligned pair of raw sentences; ``line`` is its 1-based line number in the input."""

    id: str
    src: str
    tgt: str
    line: int


@dataclass(slots=True)
class Bitext:
    """The usable pairs of a bitext and their languages."""

    src_lang: str
    tgt_lang: str
    pairs: list[BitextPair]

    def __len__(self) -> int:
        return len(self.pairs)


Side = str | NotUtf8 | Problem


def raw_pairs(src_path: Path, tgt_path: Path | None) -> Iterator[tuple[int, Side, Side]]:
    """``(line number, source, target)`` for every line; a side is its text, or why it cannot be read."""
    if tgt_path is None:
        for number, line in numbered_lines(src_path):
            if isinstance(line, NotUtf8) or not line.strip():
                yield number, line, line
                continue
            columns = line.split("\t")
            if len(columns) != 2:
                problem = Problem(
                    f"{src_path}, line {number}: expected two tab-separated columns (source, target) but found "
                    f"{len(columns)}",
                    hint=TSV,
                )
                yield number, problem, problem
                continue
            yield number, columns[0], columns[1]
        return
    src_count, tgt_count = count_lines(src_path), count_lines(tgt_path)
    if src_count != tgt_count:
        raise ProjectionError(
            f"The bitext files are not line-aligned: {src_path} has {src_count} lines but {tgt_path} has "
            f"{tgt_count}. Each line of one file must be the translation of the same line of the other."
        )
    for (number, src), (_, tgt) in zip(numbered_lines(src_path), numbered_lines(tgt_path), strict=True):
        yield number, src, tgt


def bitext_items(
    src_path: str | os.PathLike[str], tgt_path: str | os.PathLike[str] | None = None, *, id_prefix: str | None = None
) -> Iterator[tuple[BitextPair, str] | Problem]:
    """Each pair with where it is (``src / tgt, line n``), or the problem that makes it unusable, in bounded memory.

    ``tgt_path=None`` reads ``src_path`` as a TSV (source, tab, target). Line
    counts of two files are compared before the first pair is yielded. Pair
    ids are ``f"{id_prefix}-{line - 1}"`` (default prefix: the source file's
    stem), so they do not depend on whether bad pairs are skipped. Sides
    are stripped of outer whitespace.
    """
    src = Path(src_path)
    tgt = None if tgt_path is None else Path(tgt_path)
    prefix = src.stem if id_prefix is None else id_prefix
    described = str(src) if tgt is None else f"{src} / {tgt}"
    number = 0
    for number, src_side, tgt_side in raw_pairs(src, tgt):
        pair_id = f"{prefix}-{number - 1}"
        if not isinstance(src_side, str) or not isinstance(tgt_side, str):
            bad = tgt_side if isinstance(src_side, str) else src_side
            yield Problem(bad.message, pair_id, bad.hint)
            continue
        src_text, tgt_text = src_side.strip(), tgt_side.strip()
        where = f"{described}, line {number}"
        if src_text and tgt_text:
            yield BitextPair(pair_id, src_text, tgt_text, number), where
            continue
        if not src_text and not tgt_text:
            sides = "source and target sides are"
        else:
            sides = "source side is" if not src_text else "target side is"
        yield Problem(f"{where}: the {sides} empty", pair_id, ALIGNED)
    if number == 0:
        files = str(src) if tgt is None else f"{src} and {tgt}"
        raise ProjectionError(f"{files}: no sentence pairs to read (the input is empty).")


def iter_bitext(
    src_path: str | os.PathLike[str],
    tgt_path: str | os.PathLike[str] | None = None,
    *,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
    id_prefix: str | None = None,
) -> Iterator[BitextPair]:
    """Sentence pairs one at a time; a bad pair raises or is skipped and listed (see :func:`bitext_items`)."""
    described = str(src_path) if tgt_path is None else f"{src_path} / {tgt_path}"
    yield from kept(bitext_items(src_path, tgt_path, id_prefix=id_prefix), on_error, notes, described)


def read_bitext(
    src_path: str | os.PathLike[str],
    tgt_path: str | os.PathLike[str] | None,
    src_lang: str,
    tgt_lang: str,
    *,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
    id_prefix: str | None = None,
) -> Bitext:
    """All pairs of a bitext (two line-aligned files, or one TSV when ``tgt_path`` is None); see :func:`iter_bitext`."""
    pairs = list(iter_bitext(src_path, tgt_path, on_error=on_error, notes=notes, id_prefix=id_prefix))
    return Bitext(src_lang=src_lang, tgt_lang=tgt_lang, pairs=pairs)
