"""Text from the data (tokens, labels, languages, methods, names, ids, paths, messages) put into Markdown as text.

Streamlit renders no raw HTML in Markdown, but it does render Markdown, and
more places than ``st.markdown`` take it: captions, alerts, toasts, progress
texts, metric and button labels, pills and the values of a select slider.
A name like ``*x*`` or ``![a](http://…)`` would turn into italics or an image
(fetched from that address), ``:red[x]`` into colour and ``$x$`` into maths;
backslashes keep all of those as text. Two things happen after that, on the
text itself, where backslashes do not reach: addresses (``http://…``,
``www.…``, ``a@b.org``) become links and ``:material/name:`` an icon. An
invisible word joiner after each ``:`` and ``@`` and after ``www`` breaks
them up. Selectbox and multiselect options are plain text and need nothing.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=&])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINK_START = re.compile(r"([:@]|www(?=\.))", re.IGNORECASE)


def plain(text: object) -> str:
    """``text`` on one line, shown as written: Markdown specials escaped, links and icons broken up.

    Line breaks become spaces: a following line of ``===`` would make the
    text a heading, a blank line would end the paragraph it sits in.
    """
    one_line = _LINE_BREAK.sub(" ", str(text))
    return _SPECIAL.sub(r"\\\1", _LINK_START.sub(rf"\1{WORD_JOINER}", one_line))
