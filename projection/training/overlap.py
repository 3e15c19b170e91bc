"""Test-set leakage: bitext sentences that are also sentences of the gold test set.

MasakhaNER 2.0 drew part of its test data from the same news sources as
MAFAND-MT, so a bitext used for silver training can contain the very test
sentences (in some languages most of them). Training on them, even with
silver labels, scores the model on sentences it has seen. Sentences are
compared after lower-casing and removing everything but letters and digits,
so tokenisation and spacing differences do not hide a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """``"Barack Obama ,"`` and ``"barack obama,"`` -> ``"barackobama"``."""
    return _NOT_WORD.sub("", text.lower())


def overlapping(texts: Sequence[str], test_sentences: Iterable[Sequence[str]]) -> list[int]:
    """Indices of ``texts`` (raw sentences) equal to a test sentence (its tokens) after :func:`normalise`.

    Sentences that normalise to nothing (only punctuation) never match.
    """
    test_keys = {key for tokens in test_sentences if (key := normalise("".join(tokens)))}
    return [k for k, text in enumerate(texts) if (key := normalise(text)) and key in test_keys]
