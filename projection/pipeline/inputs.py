"""Turning the files a user names into sentences: labelled files as they are, raw text split into words.

Labelled data (CoNLL, JSONL, a saved Hugging Face dataset) is already
tokenised and is never re-split; raw text (one sentence per line, e.g. a
MAFAND side) goes through :func:`projection.splitting.split_words`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.fileio import iter_lines
from projection.readers import CONLL_SUFFIXES, detect_format, is_saved_dataset, read_sentences
from projection.readers.bitext import read_bitext
from projection.splitting import split_words
from projection.tags import parse_tag

logger = logging.getLogger(__name__)


def is_raw_text(path: str | os.PathLike[str]) -> bool:
    """True for one-sentence-per-line text; False for CoNLL, JSONL or a saved dataset.

    A file with a CoNLL-like extension is CoNLL; otherwise a file is CoNLL
    when its first non-blank line is ``token ... TAG`` with a valid tag.
    """
    path = Path(path)
    if is_saved_dataset(path) or path.suffix.lower() in CONLL_SUFFIXES or detect_format(path) == "jsonl":
        return False
    first = next((line.split() for line in iter_lines(path) if line.strip()), [])
    if len(first) < 2:
        return True
    try:
        parse_tag(first[-1])
    except ValueError:
        return True
    return False


def raw_sentences(path: Path, lang: str) -> list[Sentence]:
    """One sentence per non-empty line, split into words; ids are ``<stem>-<line index>``."""
    numbered = [(number, line.strip()) for number, line in enumerate(iter_lines(path)) if line.strip()]
    skipped = sum(1 for _ in iter_lines(path)) - len(numbered)
    if skipped:
        logger.warning("%s: %d empty line(s) skipped", path, skipped)
    if not numbered:
        raise ProjectionError(f"{path}: no sentences to read (the file is empty).")
    tokens = split_words([text for _, text in numbered], lang)
    return [Sentence(f"{path.stem}-{number}", lang, words) for (number, _), words in zip(numbered, tokens, strict=True)]


def load_sentences(path: str | os.PathLike[str], lang: str) -> list[Sentence]:
    """Sentences from a labelled file, or from raw text split into words."""
    path = Path(path)
    if not path.exists():
        raise ProjectionError(f"File not found: {path}.")
    return raw_sentences(path, lang) if is_raw_text(path) else read_sentences(path, lang)


def load_bitext(
    src: str | os.PathLike[str], tgt: str | os.PathLike[str] | None, src_lang: str, tgt_lang: str
) -> tuple[list[Sentence], list[Sentence]]:
    """Both sides of a line-aligned bitext as sentences.

    Two raw files, or one raw two-column TSV (``tgt=None``), are read as one
    bitext (pairs with an empty side skipped together, with a warning);
    labelled files are read as they are. The sides must have the same number
    of sentences.
    """
    if tgt is None or (is_raw_text(src) and is_raw_text(tgt)):
        bitext = read_bitext(src, tgt, src_lang, tgt_lang)
        src_tokens = split_words([pair.src for pair in bitext.pairs], src_lang)
        tgt_tokens = split_words([pair.tgt for pair in bitext.pairs], tgt_lang)
        return (
            [Sentence(pair.id, src_lang, words) for pair, words in zip(bitext.pairs, src_tokens, strict=True)],
            [Sentence(pair.id, tgt_lang, words) for pair, words in zip(bitext.pairs, tgt_tokens, strict=True)],
        )
    sources, targets = load_sentences(src, src_lang), load_sentences(tgt, tgt_lang)
    if len(sources) != len(targets):
        raise ProjectionError(
            f"The bitext sides differ in length: {src} has {len(sources)} sentences, {tgt} has {len(targets)}."
        )
    return sources, targets
