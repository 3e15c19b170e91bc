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

if TYPE_CHECKING:
    from spacy.language import Language

# ISO 639-3 (and a few NLLB-style) codes -> ISO 639-1, for languages with a
# two-letter code; spaCy names its languages by the two-letter code.
ISO_639_3_TO_1 = {
    "afr": "af", "amh": "am", "ara": "ar", "bam": "bm", "cat": "ca", "ces": "cs", "dan": "da", "deu": "de",
    "ell": "el", "eng": "en", "est": "et", "eus": "eu", "ewe": "ee", "fas": "fa", "fin": "fi", "fra": "fr",
    "gle": "ga", "glg": "gl", "hau": "ha", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "ibo": "ig",
    "ind": "id", "ita": "it", "jpn": "ja", "khm": "km", "kin": "rw", "kor": "ko", "lao": "lo", "lin": "ln",
    "lit": "lt", "lug": "lg", "lav": "lv", "mya": "my", "nld": "nl", "nya": "ny", "pol": "pl", "por": "pt",
    "ron": "ro", "rus": "ru", "sna": "sn", "som": "so", "spa": "es", "swa": "sw", "swh": "sw", "swe": "sv",
    "tha": "th", "tsn": "tn", "tur": "tr", "twi": "tw", "ukr": "uk", "urd": "ur", "vie": "vi", "wol": "wo",
    "xho": "xh", "yor": "yo", "zho": "zh", "cmn": "zh", "zul": "zu",
}  # fmt: skip

CHARACTER_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
"""Scripts written without spaces between words: split into characters."""

_zone_lock = threading.Lock()
"""spaCy's memory zones must not overlap; splitting is fast, so one lock for every language is enough."""
_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")


def language_code(lang: str) -> str:
    """The two-letter code for ``lang`` where there is one (``swa`` -> ``sw``, ``en_US`` -> ``en``)."""
    code = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return ISO_639_3_TO_1.get(code, code)


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
