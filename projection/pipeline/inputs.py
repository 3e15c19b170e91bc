"""Turning the files a user names into sentences: labelled files as they are, raw text split into words.

Labelled data (CoNLL, JSONL, a saved Hugging Face dataset) is already
tokenised and is never re-split; raw text (one sentence per line, e.g. a
MAFAND side) goes through :func:`projection.splitting.split_words`. Every
file is read by its reader (:mod:`projection.readers`), with the same
``on_error`` choice and ``notes`` for what the reading found.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.fileio import numbered_lines
from projection.readers import CONLL_SUFFIXES, detect_format, is_saved_dataset, read_sentences
from projection.readers.bitext import read_bitext
from projection.readers.conll import DOCSTART, split_columns
from projection.readers.notes import OnError, ReadNotes
from projection.readers.text import read_text
from projection.splitting import split_words
from projection.tags import is_tag

SAMPLED_LINES = 10


def is_raw_text(path: str | os.PathLike[str]) -> bool:
    """True for one-sentence-per-line text; False for CoNLL, JSONL or a saved dataset.

    A file with a CoNLL-like extension is CoNLL; otherwise a file is CoNLL
    when each of its first few non-blank lines is ``token ... TAG`` with a
    valid tag (one line alone could be a sentence that ends in, say, B-52).
    """
    path = Path(path)
    if is_saved_dataset(path) or path.suffix.lower() in CONLL_SUFFIXES or detect_format(path) == "jsonl":
        return False
    lines = (line for _, line in numbered_lines(path) if isinstance(line, str) and line.strip())
    sample = [split_columns(line) for line in itertools.islice(lines, SAMPLED_LINES)]
    sample = [columns for columns in sample if columns[0] != DOCSTART]
    return not sample or not all(len(columns) >= 2 and is_tag(columns[-1]) for columns in sample)


def raw_sentences(
    path: Path, lang: str, *, on_error: OnError = "fail", notes: ReadNotes | None = None
) -> list[Sentence]:
    """One sentence per line, split into words; ids are ``<stem>-<line index>`` (see :mod:`projection.readers.text`)."""
    lines = read_text(path, on_error=on_error, notes=notes)
    tokens = split_words([line.text for line in lines], lang)
    return [Sentence(line.id, lang, words) for line, words in zip(lines, tokens, strict=True)]


def load_sentences(
    path: str | os.PathLike[str],
    lang: str,
    *,
    label_set: Iterable[str] | None = None,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
) -> list[Sentence]:
    """Sentences from a labelled file (entities outside ``label_set`` read as O), or from raw text split into words."""
    path = Path(path)
    if not path.exists():
        raise ProjectionError(f"File not found: {path}.")
    if is_raw_text(path):
        return raw_sentences(path, lang, on_error=on_error, notes=notes)
    return read_sentences(path, lang, label_set=label_set, on_error=on_error, notes=notes)


def load_bitext(
    src: str | os.PathLike[str],
    tgt: str | os.PathLike[str] | None,
    src_lang: str,
    tgt_lang: str,
    *,
    label_set: Iterable[str] | None = None,
    on_error: OnError = "fail",
    notes: ReadNotes | None = None,
) -> tuple[list[Sentence], list[Sentence]]:
    """Both sides of a line-aligned bitext as sentences.

    Two raw files, or one raw two-column TSV (``tgt=None``), are read as one
    bitext, so that a bad pair is refused or skipped as a whole. Labelled
    files are read as they are, always with ``on_error="fail"``: their
    sentences pair up by position, which a skipped sentence would shift. The
    sides must have the same number of sentences.
    """
    if tgt is None or (is_raw_text(src) and is_raw_text(tgt)):
        bitext = read_bitext(src, tgt, src_lang, tgt_lang, on_error=on_error, notes=notes)
        src_tokens = split_words([pair.src for pair in bitext.pairs], src_lang)
        tgt_tokens = split_words([pair.tgt for pair in bitext.pairs], tgt_lang)
        return (
            [Sentence(pair.id, src_lang, words) for pair, words in zip(bitext.pairs, src_tokens, strict=True)],
            [Sentence(pair.id, tgt_lang, words) for pair, words in zip(bitext.pairs, tgt_tokens, strict=True)],
        )
    sources = load_sentences(src, src_lang, label_set=label_set, notes=notes)
    targets = load_sentences(tgt, tgt_lang, label_set=label_set, notes=notes)
    if len(sources) != len(targets):
        raise ProjectionError(
            f"The bitext sides differ in length: {src} has {len(sources)} sentences, {tgt} has {len(targets)}."
        )
    return sources, targets
