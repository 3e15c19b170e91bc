"""The alignment heatmap: links, scores, entity boxes, escaped tick labels."""

from __future__ import annotations

import numpy as np

from projection.app_support.heatmap import (
    MAX_CLICKABLE_CELLS,
    OverlayLink,
    agreement_colour,
    alignment_figure,
    cell_values,
)
from projection.data import Alignment, Span

SRC = ["The", "European", "Central", "Bank", "<script>"]
TGT = ["El", "Banco", "Central", "Europeo", "x"]


def test_links_entity_rows_and_projected_columns_are_drawn() -> None:
    alignment = Alignment([(0, 0), (1, 3), (2, 2), (3, 1)])
    figure = alignment_figure(SRC, TGT, alignment, src_spans=[Span(1, 4, "ORG")], projected=[Span(1, 4, "ORG")])
    dots = figure.data[1]
    assert sorted(zip(dots.y, dots.x, strict=True)) == sorted(alignment.links)
    rows, columns = figure.layout.shapes
    assert (rows.y0, rows.y1, rows.x0, rows.x1) == (0.5, 3.5, -0.5, 4.5)
    assert (columns.x0, columns.x1, columns.y0, columns.y1) == (0.5, 3.5, -0.5, 4.5)
    assert columns.line.dash == "dash" and rows.line.dash == "solid"
    assert "&lt;script&gt;" in figure.layout.yaxis.ticktext
    assert "<script>" not in figure.layout.yaxis.ticktext
    # duplicate tokens must not merge columns: the axes are positional
    assert list(figure.layout.xaxis.tickvals) == list(range(len(TGT)))


def test_cells_show_similarity_then_scores_then_nothing() -> None:
    similarity = np.arange(25, dtype=np.float32).reshape(5, 5) / 25
    values, name = cell_values(Alignment([(0, 0)], similarity=similarity), 5, 5)
    assert name == "similarity" and np.allclose(values, similarity)
    values, name = cell_values(Alignment([(0, 1), (2, 2)], scores=[0.25, 0.75]), 5, 5)
    assert name == "score" and values[0, 1] == 0.25 and values[2, 2] == 0.75 and values.sum() == 1.0
    values, name = cell_values(Alignment([(0, 1)]), 5, 5)
    assert name is None and not values.any()
    figure = alignment_figure(SRC, TGT, Alignment([(0, 1)], scores=[0.5]))
    assert figure.data[0].showscale and "score 0.500" in figure.data[1].text[0]


def test_spans_and_links_beyond_the_sentence_are_left_out() -> None:
    figure = alignment_figure(SRC[:2], TGT[:2], Alignment([(0, 0), (5, 7)]), projected=[Span(1, 9, "LOC")])
    assert list(figure.data[1].x) == [0]
    assert figure.layout.shapes == ()


def test_quotes_and_markup_in_tokens_show_as_written_in_ticks_and_hover() -> None:
    # Plotly decodes &lt; &gt; &amp; and numeric entities, but shows "&quot;" as those six characters
    src, tgt = ['"', "<b>Lima</b>", "&"], ["«", '<a href="http://127.0.0.1:9/">x</a>', "'"]
    figure = alignment_figure(src, tgt, Alignment([(0, 0), (1, 1), (2, 2)]))
    assert list(figure.layout.yaxis.ticktext) == ['"', "&lt;b&gt;Lima&lt;/b&gt;", "&amp;"]
    assert list(figure.layout.xaxis.ticktext) == ["«", '&lt;a href="http://127.0.0.1:9/"&gt;x&lt;/a&gt;', "'"]
    assert figure.data[1].text[0] == '" ↔ «' and "<a" not in figure.data[1].text[1]


def test_a_clickable_chart_has_one_selectable_marker_per_cell_with_the_cell_value() -> None:
    figure = alignment_figure(SRC, TGT[:3], Alignment([(0, 1), (2, 2)], scores=[0.25, 0.75]), clickable=True)
    grid = figure.data[-1]
    cells = sorted(zip((int(y) for y in grid.y), (int(x) for x in grid.x), strict=True))
    assert cells == [(i, j) for i in range(len(SRC)) for j in range(3)]
    values = dict(
        zip(zip((int(y) for y in grid.y), (int(x) for x in grid.x), strict=True), grid.customdata, strict=True)
    )
    assert values[(0, 1)] == 0.25 and values[(2, 2)] == 0.75 and values[(1, 1)] == 0
    assert "click: add or remove this link" in grid.hovertemplate
    assert figure.data[0].hoverinfo == "skip"
    # a selection must not fade the other markers
    for trace in figure.data[1:]:
        assert trace.unselected.marker.opacity == 1
    assert len(alignment_figure(SRC, TGT, Alignment([(0, 0)])).data) == 2


def test_no_click_layer_beyond_the_size_limit() -> None:
    tokens = [f"w{k}" for k in range(MAX_CLICKABLE_CELLS // 100 + 1)]
    figure = alignment_figure(tokens, [f"t{k}" for k in range(100)], Alignment([(0, 0)]), clickable=True)
    assert len(figure.data) == 2


def test_an_edit_draws_added_links_as_diamonds_and_removed_ones_as_crosses() -> None:
    original = Alignment([(0, 0), (1, 3), (2, 2)])
    edited = Alignment([(0, 0), (1, 1), (2, 2)])
    figure = alignment_figure(SRC, TGT, edited, original=original)
    links, removed = figure.data[1], figure.data[2]
    symbols = dict(zip(zip(links.y, links.x, strict=True), links.marker.symbol, strict=True))
    assert symbols == {(0, 0): "circle", (1, 1): "diamond", (2, 2): "circle"}
    assert "added by your edit" in links.text[1]
    assert list(zip(removed.y, removed.x, strict=True)) == [(1, 3)] and removed.marker.symbol == "x"
    assert removed.hovertemplate.startswith("removed by your edit")
    assert len(alignment_figure(SRC, TGT, original, original=original).data) == 2


def test_overlay_links_are_grouped_by_agreement_with_a_legend_entry_and_a_colour_each() -> None:
    overlay = [
        OverlayLink(0, 0, 2, 2, "all agree"),
        OverlayLink(1, 3, 1, 2, "one"),
        OverlayLink(1, 1, 1, 2, "one too"),
        OverlayLink(2, 4, 0, 2, "a view only"),
        OverlayLink(9, 9, 2, 2, "outside"),
    ]
    figure = alignment_figure(SRC, TGT, Alignment([(0, 0)]), overlay=overlay)
    groups = [trace for trace in figure.data if trace.legendgroup == "overlay"]
    assert [trace.name for trace in groups] == ["2 of 2 aligners", "1 of 2 aligners", "no voting aligner"]
    assert [list(trace.text) for trace in groups] == [["all agree"], ["one", "one too"], ["a view only"]]
    assert len({trace.marker.color for trace in groups}) == 3
    assert groups[-1].marker.color == agreement_colour(0, 2)
    assert figure.layout.showlegend
