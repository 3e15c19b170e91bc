"""Names from the data (data set titles, methods, sentence ids, paths) put into Markdown as plain text.

Streamlit renders no raw HTML in Markdown, but it does render Markdown: a
name like ``*x*`` or ``![a](http://…)`` would turn into italics or an image.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(text: object) -> str:
    """``text`` with every Markdown-special character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", str(text))
