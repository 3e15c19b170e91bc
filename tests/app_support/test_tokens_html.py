"""HTML of tokens and spans: everything from the data escaped, every span visible."""

from __future__ import annotations

import re

from projection.app_support.tokens_html import Mark, render_legend, render_span_chip, render_tokens
from projection.data import Span


def test_a_script_token_is_rendered_as_text() -> None:
    tokens = ["Hola", "<script>alert(1)</script>", "&", '"quoted"']
    html = render_tokens(tokens, [Span(1, 2, "<b>PER</b>", origin='x" onmouseover="alert(2)')], show_index=True)
    assert "<script>" not in html and "<b>PER" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;PER&lt;/b&gt;" in html
    assert "&amp;" in html and "&quot;quoted&quot;" in html
    # the origin goes into a title attribute: its quote must not close the attribute
    assert 'onmouseover="alert' not in html


def test_each_span_wraps_its_tokens_with_its_label() -> None:
    tokens = ["La", "Organización", "Mundial", "de", "la", "Salud", "advirtió"]
    html = render_tokens(tokens, [Span(1, 6, "ORG")])
    entity = re.search(r'<span class="pj-ent"[^>]*>(.*?)<span class="pj-lbl">ORG</span></span>', html)
    assert entity is not None
    assert [w for w in re.findall(r'<span class="pj-tok">([^<]*)</span>', entity.group(1))] == tokens[1:6]
    assert html.count('class="pj-tok"') == len(tokens)


def test_overlapping_spans_are_all_drawn_on_extra_lines() -> None:
    tokens = ["el", "Banco", "Central", "Europeo"]
    html = render_tokens(tokens, [Span(1, 4, "ORG"), Span(2, 3, "LOC"), Span(1, 2, "PER"), Span(1, 3, "MISC")])
    # ORG on the first line; PER and LOC fit side by side on a second; MISC overlaps both, so a third
    assert html.count('class="pj-line"') == 1 and html.count("pj-line pj-faded") == 2
    for label in ("ORG", "LOC", "PER", "MISC"):
        assert f'<span class="pj-lbl">{label}</span>' in html


def test_marks_carry_their_classes_and_notes_and_indices_are_shown() -> None:
    html = render_tokens(["a", "b"], [Mark(Span(0, 1, "LOC"), "pj-diff pj-k-spurious", "note <x>")], show_index=True)
    assert 'class="pj-ent pj-diff pj-k-spurious"' in html
    assert 'title="note &lt;x&gt;"' in html
    assert '<sub class="pj-i">1</sub>' in html


def test_legend_and_chip_escape_labels_and_words() -> None:
    assert "&lt;i&gt;" in render_legend(["PER", "<i>"])
    chip = render_span_chip(["<a>", "b"], Span(0, 2, "PER"))
    assert "&lt;a&gt; b" in chip and "tokens 0–1" in chip


def test_chart_text_escapes_what_plotly_reads_as_tags_and_keeps_quotes() -> None:
    from projection.app_support.tokens_html import chart_text

    assert (
        chart_text('<a href="javascript:alert(1)">x</a> & "y"')
        == '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; &amp; "y"'
    )
    assert chart_text("O'Neill") == "O'Neill"
