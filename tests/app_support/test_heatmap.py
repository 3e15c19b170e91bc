"""The alignment heatmap: links, scores, entity boxes, escaped tick labels."""

from __future__ import annotations

import numpy as np

from projection.app_support.heatmap import alignment_figure, cell_values
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
