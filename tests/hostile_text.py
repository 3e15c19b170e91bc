"""Hostile text for the app's tests, and oracles that say what a page would make of it.

The records hold HTML, Markdown and Plotly markup in every field a page shows
(tokens, labels, language, method names, sentence ids); the data set's name
is hostile too. :func:`markdown_problems` parses a Markdown body with
markdown-it (CommonMark, raw HTML on) and adds the two rewrites Streamlit's
renderer makes on the text afterwards (GitHub's autolink literals and
``:material/…:`` icons), so it finds anything that would not show as text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from markdown_it import MarkdownIt

from projection.data import Alignment, ProjectionRecord, Sentence, Span

IMG = "<img src=x onerror=alert(1)>"
A_JS = '<a href="javascript:alert(1)">js</a>'
MD_IMAGE = "![t](http://127.0.0.1:9/x.png)"
MD_LINK = "[x](javascript:alert(1))"
BOLD = "**bold**"
HOSTILE = (IMG, A_JS, MD_IMAGE, MD_LINK, BOLD)
TRAP_HOST = "127.0.0.1:9"

LANG = "[es](javascript:alert(1))"
LABELS = ("<a href=javascript:alert(2)>PER</a>", MD_IMAGE)
METHODS = ('<a href="javascript:alert(3)">heuristic</a>', f"{BOLD} [m](http://127.0.0.1:9/m)")
SENTENCE_IDS = (MD_IMAGE, MD_LINK, IMG)
DATASET_NAME = f"{IMG} {MD_IMAGE} {BOLD}"

# the GFM autolink literals as Streamlit's renderer finds them in text (JavaScript's \w is ASCII)
_AUTOLINKS = (
    re.compile(r"(https?://|www(?=\.))[-.\w]+", re.IGNORECASE | re.ASCII),
    re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII),
)
# Streamlit's own Markdown: :red[...] colour, :material/...: icons, $...$ maths
_STREAMLIT_SOURCE = (
    re.compile(r"(?<!\\):[a-z-]+(?<!\\)\["),
    re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$"),
)
APP_ICONS = (":material/translate:",)
"""Icons the app's own headings use."""
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# every link counts, also those whose address markdown-it would refuse (javascript:) and a browser might not
_MARKDOWN.validateLink = lambda url: True
_PLOTLY_TAG = re.compile(r"<(?!br>|/?extra>)", re.IGNORECASE)


def hostile_records() -> list[ProjectionRecord]:
    """Three sentences under two methods, with gold, so every page (and every chart) has something to draw."""
    per, image = LABELS
    records = []
    for method_index, method in enumerate(METHODS):
        for index, sentence_id in enumerate(SENTENCE_IDS):
            target = ["Ana", *HOSTILE, "visitó", "Lima"]
            source = ["Ana", IMG, "visited", "Lima"]
            gold = [Span(0, 1, per), Span(len(target) - 1, len(target), image)]
            # the methods differ, and each makes some errors: a wrong label, a boundary, a spurious span
            projected = [Span(0, 1, per if method_index == 0 else image), Span(1 + index, 3 + index, per)]
            records.append(
                ProjectionRecord(
                    id=sentence_id,
                    source=Sentence(sentence_id, "en", source, [Span(0, 1, per), Span(3, 4, image)]),
                    target=Sentence(sentence_id, LANG, target),
                    alignment=Alignment([(0, 0), (1, 1), (2, 6), (3, 7)], scores=[0.9, 0.4, 0.8, 0.7]),
                    projected=projected,
                    gold=gold,
                    provenance={"method": method, "labels": list(LABELS)},
                )
            )
    return records


def markdown_problems(body: str) -> list[str]:
    """Everything in a Markdown body that Streamlit would render as a link, an image, HTML or markup."""
    problems = [f"Streamlit markup {m.group(0)!r}" for rule in _STREAMLIT_SOURCE for m in rule.finditer(body)]
    for block in _MARKDOWN.parse(body):
        if block.type == "html_block":
            problems.append(f"HTML block {block.content!r}")
        children = block.children or []
        for token, following in pairwise([*children, None]):
            if token.type in ("link_open", "image", "html_inline"):
                problems.append(f"{token.type} {token.attrs or token.content!r}")
            elif token.type in ("strong_open", "em_open") and following is not None and following.content == "bold":
                problems.append(f"{token.type} around the data's 'bold'")
            elif token.type == "text":
                text = token.content
                for icon in APP_ICONS:
                    text = text.replace(icon, "")
                problems += [f"autolink {m.group(0)!r}" for rule in _AUTOLINKS for m in rule.finditer(text)]
                if ":material/" in text:
                    problems.append(f"icon in {text!r}")
    return problems


def shown_text(body: str) -> str:
    """What a reader sees of a Markdown body: its words (tags dropped, entities decoded, no word joiners)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", _MARKDOWN.render(body))).replace("\u2060", "")
    return " ".join(text.split())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def plotly_problems(spec: str) -> list[str]:
    """Strings of a Plotly figure (JSON) that Plotly would read as tags: any ``<`` but its own ``<br>``/``<extra>``."""
    return [text for text in _strings(json.loads(spec)) if _PLOTLY_TAG.search(text) or "&quot;" in text]
