"""Tokens with their entity spans as HTML, every token and label escaped.

Token text comes from user files, so nothing from it is ever written into the
page unescaped: a token ``<script>alert(1)</script>`` shows as those
characters. Spans that overlap each other (some projectors produce them) are
drawn on extra lines below, so no span is ever hidden.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from projection.app_support.colours import label_colour, tint
from projection.data import Span


@dataclass(frozen=True)
class Mark:
    """A span to draw, with extra CSS classes (``pj-diff``, ``pj-k-missed`` ...) and a tooltip."""

    span: Span
    classes: str = ""
    note: str = ""


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def chart_text(text: object) -> str:
    """Text for a Plotly title, legend, tick or hover label, shown as written.

    Plotly reads a few tags there (``<a href>``, ``<b>``, ``<br>`` ...) and
    decodes numeric entities and ``&lt; &gt; &amp;`` (but not ``&quot;``), so
    ``<``, ``>`` and ``&`` are escaped and quotes are left as they are.
    """
    return html.escape(str(text), quote=False)


def span_tooltip(span: Span) -> str:
    parts = [span.label]
    if span.origin:
        parts.append(span.origin)
    if span.score is not None:
        parts.append(f"score {span.score:.2f}")
    parts.append(f"tokens {span.start}–{span.end - 1}")
    return " · ".join(parts)


def _as_marks(items: Iterable[Span | Mark]) -> list[Mark]:
    return [item if isinstance(item, Mark) else Mark(item) for item in items]


def _layers(marks: Sequence[Mark]) -> list[list[Mark]]:
    """Marks split into lines whose spans do not overlap (first line: leftmost first)."""
    layers: list[list[Mark]] = []
    for mark in sorted(marks, key=lambda m: (m.span.start, -m.span.end)):
        for layer in layers:
            if layer[-1].span.end <= mark.span.start:
                layer.append(mark)
                break
        else:
            layers.append([mark])
    return layers or [[]]


def _token(tokens: Sequence[str], index: int, show_index: bool) -> str:
    word = escape(tokens[index])
    number = f'<sub class="pj-i">{index}</sub>' if show_index else ""
    return f'<span class="pj-tok">{word}{number}</span>'


def _line(tokens: Sequence[str], marks: Sequence[Mark], show_index: bool, faded: bool) -> str:
    by_start = {mark.span.start: mark for mark in marks}
    parts: list[str] = []
    index = 0
    while index < len(tokens):
        mark = by_start.get(index)
        if mark is None or mark.span.end > len(tokens):
            parts.append(_token(tokens, index, show_index))
            index += 1
            continue
        span = mark.span
        colour = label_colour(span.label)
        inner = " ".join(_token(tokens, k, show_index) for k in range(span.start, span.end))
        classes = " ".join(["pj-ent", *mark.classes.split()])
        title = escape(mark.note or span_tooltip(span))
        style = f"--pj-c:{colour};--pj-bg:{tint(colour, 0.16)}"
        parts.append(
            f'<span class="{escape(classes)}" style="{style}" title="{title}">{inner}'
            f'<span class="pj-lbl">{escape(span.label)}</span></span>'
        )
        index = span.end
    line_class = "pj-line pj-faded" if faded else "pj-line"
    return f'<div class="{line_class}">{" ".join(parts)}</div>'


def render_tokens(
    tokens: Sequence[str],
    spans: Iterable[Span | Mark] = (),
    *,
    show_index: bool = False,
    caption: str | None = None,
) -> str:
    """One sentence as HTML: entity spans coloured by label, optional token numbers and a caption."""
    layers = _layers(_as_marks(spans))
    lines = [_line(tokens, layer, show_index, faded=k > 0) for k, layer in enumerate(layers)]
    head = f'<div class="pj-cap">{escape(caption)}</div>' if caption else ""
    return f'<div class="pj-sent">{head}{"".join(lines)}</div>'


def render_legend(labels: Iterable[str]) -> str:
    """Small coloured chips naming each label."""
    chips = []
    for label in labels:
        colour = label_colour(label)
        chips.append(
            f'<span class="pj-chip" style="--pj-c:{colour};--pj-bg:{tint(colour, 0.16)}">{escape(label)}</span>'
        )
    return f'<div class="pj-legend">{"".join(chips)}</div>'


def render_span_chip(tokens: Sequence[str], span: Span) -> str:
    """One span as a coloured chip followed by its token range (for lists of spans)."""
    colour = label_colour(span.label)
    words = escape(span_text(tokens, span))
    return (
        f'<span class="pj-line"><span class="pj-ent" style="--pj-c:{colour};--pj-bg:{tint(colour, 0.16)}" '
        f'title="{escape(span_tooltip(span))}">{words}<span class="pj-lbl">{escape(span.label)}</span></span> '
        f'<span class="pj-muted">tokens {span.start}–{span.end - 1}</span></span>'
    )


def span_text(tokens: Sequence[str], span: Span) -> str:
    """The words of a span, plain text (escape before putting it into HTML)."""
    return " ".join(tokens[span.start : span.end])
