"""Bitext reader: raw sentence pairs from two line-aligned files or one two-column TSV.

The text is raw (not tokenised); :func:`projection.splitting.split_words`
turns each side into words. A pair whose source or target line is empty
(blank or only whitespace) cannot be projected: by default it is skipped and
its line number recorded in :attr:`Bitext.skipped_lines` (and logged as a
warning), so one stray empty line does not stop a run over thousands of
sentences; ``on_empty="error"`` refuses the input instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from projection.errors import ProjectionError
from projection.fileio import iter_lines

logger = logging.getLogger(__name__)

OnEmpty = Literal["skip", "error"]
ON_EMPTY = ("skip", "error")


@dataclass(frozen=True, slots=True)
class BitextPair:
    """One aligned pair of raw sentences; ``line`` is its 1-based line number in the input."""

    id: str
    src: str
    tgt: str
    line: int


@dataclass(slots=True)
class Bitext:
    """The pairs of a bitext, their languages, and the lines skipped because a side was empty."""

    src_lang: str
    tgt_lang: str
    pairs: list[BitextPair]
    skipped_lines: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.pairs)


def check_on_empty(on_empty: str) -> None:
    if on_empty not in ON_EMPTY:
        raise ProjectionError(f"Unknown on_empty value {on_empty!r}: use 'skip' or 'error'.")


def count_lines(path: Path) -> int:
    """Number of lines as :func:`projection.fileio.iter_lines` yields them, without decoding."""
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        raise ProjectionError(f"File not found: {path}.") from None
    except IsADirectoryError:
        raise ProjectionError(f"Expected a file but {path} is a directory.") from None


def iter_raw_pairs(src_path: Path, tgt_path: Path | None) -> Iterator[tuple[int, str, str]]:
    """``(line number, source, target)`` for every line, empty sides included, stripped of outer whitespace."""
    if tgt_path is None:
        for number, line in enumerate(iter_lines(src_path), start=1):
            if not line.strip():
                yield number, "", ""
                continue
            columns = line.split("\t")
            if len(columns) != 2:
                raise ProjectionError(
                    f"{src_path}, line {number}: expected two tab-separated columns (source, target) but found "
                    f"{len(columns)}. A bitext TSV has one sentence pair per line and exactly one tab per line."
                )
            yield number, columns[0].strip(), columns[1].strip()
        return
    src_count, tgt_count = count_lines(src_path), count_lines(tgt_path)
    if src_count != tgt_count:
        raise ProjectionError(
            f"The bitext files are not line-aligned: {src_path} has {src_count} lines but {tgt_path} has "
            f"{tgt_count}. Each line of one file must be the translation of the same line of the other."
        )
    pairs = zip(iter_lines(src_path), iter_lines(tgt_path), strict=True)
    for number, (src, tgt) in enumerate(pairs, start=1):
        yield number, src.strip(), tgt.strip()


def describe_empty(src_path: Path, tgt_path: Path | None, lines: list[int]) -> str:
    """The part of a message that says where empty pairs are."""
    where = str(src_path) if tgt_path is None else f"{src_path} / {tgt_path}"
    shown = ", ".join(str(n) for n in lines[:20]) + (f" and {len(lines) - 20} more" if len(lines) > 20 else "")
    return f"{where}: {len(lines)} sentence pair(s) with an empty side, at line(s) {shown}"


def iter_bitext(
    src_path: str | os.PathLike[str],
    tgt_path: str | os.PathLike[str] | None = None,
    *,
    on_empty: OnEmpty = "skip",
    skipped_lines: list[int] | None = None,
    id_prefix: str | None = None,
) -> Iterator[BitextPair]:
    """Sentence pairs one at a time, in bounded memory.

    ``tgt_path=None`` reads ``src_path`` as a TSV (source, tab, target). Line
    counts of two files are compared before the first pair is yielded. Empty
    pairs are skipped (their line numbers appended to ``skipped_lines`` when
    given) or, with ``on_empty="error"``, raise at the first one. Pair ids
    are ``f"{id_prefix}-{line - 1}"`` (default prefix: the source file's
    stem), so they stay stable whether or not empty lines are skipped.
    """
    check_on_empty(on_empty)
    src_path = Path(src_path)
    tgt = None if tgt_path is None else Path(tgt_path)
    prefix = src_path.stem if id_prefix is None else id_prefix
    for number, src, tgt_text in iter_raw_pairs(src_path, tgt):
        if not src or not tgt_text:
            if on_empty == "error":
                raise ProjectionError(
                    f"{describe_empty(src_path, tgt, [number])}. Remove or fill the line, or skip empty pairs "
                    "(on_empty='skip')."
                )
            if skipped_lines is not None:
                skipped_lines.append(number)
            continue
        yield BitextPair(id=f"{prefix}-{number - 1}", src=src, tgt=tgt_text, line=number)


def read_bitext(
    src_path: str | os.PathLike[str],
    tgt_path: str | os.PathLike[str] | None,
    src_lang: str,
    tgt_lang: str,
    *,
    on_empty: OnEmpty = "skip",
    id_prefix: str | None = None,
) -> Bitext:
    """All pairs of a bitext (two line-aligned files, or one TSV when ``tgt_path`` is None).

    Unequal line counts raise, naming both files and both counts. With
    ``on_empty="error"`` the error lists every empty pair's line number;
    with ``"skip"`` they are in :attr:`Bitext.skipped_lines` and logged.
    """
    check_on_empty(on_empty)
    skipped: list[int] = []
    pairs = list(iter_bitext(src_path, tgt_path, on_empty="skip", skipped_lines=skipped, id_prefix=id_prefix))
    tgt = None if tgt_path is None else Path(tgt_path)
    if skipped:
        where = describe_empty(Path(src_path), tgt, skipped)
        if on_empty == "error":
            raise ProjectionError(f"{where}. Remove or fill those lines, or skip empty pairs (on_empty='skip').")
        logger.warning("%s; skipped.", where)
    if not pairs:
        files = str(src_path) if tgt is None else f"{src_path} and {tgt}"
        raise ProjectionError(
            f"{files}: no sentence pairs to read (the input is empty or every pair has an empty side)."
        )
    return Bitext(src_lang=src_lang, tgt_lang=tgt_lang, pairs=pairs, skipped_lines=skipped)
