"""Word splitting of raw text (translations, bitext sides) per language.

Languages written with spaces go through spaCy's rule-based tokenizer for
the language (``spacy.blank``), or the multi-language ``xx`` tokenizer where
spaCy has none; Chinese, Japanese, Thai, Lao, Khmer and Burmese are split
into characters (runs of Latin letters and digits kept whole), which needs no
extra segmenter package. Gold-tokenised data must never come here: callers
pass only raw text, so gold tokens and their spans stay exactly as given.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from projection.languages import find_language

if TYPE_CHECKING:
    from spacy.language import Language

CHARACTER_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
"""Languages written without spaces between words (by :func:`language_code`): split into characters."""

_zone_lock = threading.Lock()
"""spaCy's memory zones must not overlap; splitting is fast, so one lock for every language is enough."""
_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")


def language_code(lang: str) -> str:
    """spaCy's code for ``lang``: two letters where there are (``swa`` -> ``sw``, ``en_US`` -> ``en``).

    Languages come from :mod:`projection.languages`; a code it does not know
    is used lower-cased, without its region.
    """
    language = find_language(lang)
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0] if language is None else language.short


@functools.cache
def blank_pipeline(code: str) -> Language:
    """One blank spaCy pipeline (its tokenizer) per language per process; ``xx`` where spaCy has none for ``code``.

    spaCy also lacks a usable tokenizer when a language needs an optional
    segmenter that is not installed (Korean, Vietnamese): those fall back to
    ``xx`` too, which splits on spaces and punctuation.
    """
    try:
        import spacy  # imported on first use: a fully cached run never needs it

        return spacy.blank(code)
    except ImportError:
        return blank_pipeline("xx")


def split_characters(text: str) -> list[str]:
    """Characters as words, except runs of Latin letters or digits; combining marks stay on their base."""
    words: list[str] = []
    latin_run = False
    after_space = True
    for char in text:
        if char.isspace():
            after_space, latin_run = True, False
            continue
        is_latin = bool(_LATIN_OR_DIGIT.match(char))
        if not after_space and (unicodedata.category(char).startswith("M") or (is_latin and latin_run)):
            words[-1] += char
        else:
            words.append(char)
            latin_run = is_latin
        after_space = False
    return words


def split_words(texts: Sequence[str], lang: str) -> list[list[str]]:
    """Words of each raw text, in order; whitespace is dropped, every other character is kept."""
    code = language_code(lang)
    if code in CHARACTER_LANGUAGES:
        return [split_characters(text) for text in texts]
    nlp = blank_pipeline(code)
    with _zone_lock, nlp.memory_zone():  # frees the batch's new strings: memory stays flat over a long corpus
        return [
            [token.text for token in doc if not token.is_space] for doc in nlp.tokenizer.pipe(texts, batch_size=1000)
        ]
