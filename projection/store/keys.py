"""What a correction is attached to: a data set's key and the text of the sentence it was made on.

Corrections are token positions, so they are only meaningful on the exact
tokens they were made on. A data set is therefore keyed by its name *and* the
content of its sentences (:func:`dataset_key`): two data sets both called
``dev`` but holding different lines get different keys and never share a
correction. Each stored row also carries the hash of its sentence's tokens
(:func:`text_hash`), so that a correction met on a sentence with another text
(looked up by name from the command line, or written before rows carried the
hash) is refused rather than applied to the wrong words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

KEY_NAME_LENGTH = 120
"""The part of a data set's name kept in its key (the key column holds 200 characters)."""
TOKEN_SEPARATOR = "\x1f"
PAIR_SEPARATOR = "\x1e"


def text_hash(tokens: Sequence[str]) -> str:
    """A short fingerprint of a sentence's tokens (32 hex digits of SHA-256)."""
    return hashlib.sha256(TOKEN_SEPARATOR.join(tokens).encode("utf-8")).hexdigest()[:32]


def pair_hash(source_tokens: Sequence[str], target_tokens: Sequence[str]) -> str:
    """The fingerprint of a sentence pair, which a correction of its links (token positions on both sides) needs."""
    return text_hash([*source_tokens, PAIR_SEPARATOR, *target_tokens])


def dataset_key(name: str, sentences: Iterable[tuple[str, str, Sequence[str]]]) -> str:
    """``name@digest``: the name and a digest of every ``(lang, sentence id, tokens)`` of the data set.

    The order of the sentences does not matter, so a data set whose methods
    list their records in different orders keys the same; what does matter is
    every language, id and token.
    """
    lines = sorted(f"{lang}\t{sentence_id}\t{text_hash(tokens)}" for lang, sentence_id, tokens in sentences)
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]
    return f"{name[:KEY_NAME_LENGTH]}@{digest}"
