"""The alignment of one sentence pair as a plotly heatmap.

Rows are source tokens, columns target tokens. Cells show the aligner's
similarity matrix where it has one (neural aligners), else its per-link
scores, else plain links; every link is also marked with a dot. Each source
entity gets a box around its rows and each projected span a dashed box
around its columns, both in the label's colour. Token labels are escaped:
plotly reads a little HTML in tick and hover text. Cells hover with token
numbers only (one text per cell would make the chart several times larger);
the link dots hover with both tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from projection.app_support.colours import label_colour, tint
from projection.app_support.tokens_html import chart_text
from projection.data import Alignment, Span

CELL_PX = 20
LONG_SENTENCE_ROWS_PX = 640
MIN_HEIGHT = 260


def cell_values(alignment: Alignment, n_src: int, n_tgt: int) -> tuple[np.ndarray, str | None]:
    """The matrix to colour and what its values are: ``similarity``, per-link ``score``, or None.

    Without either (a statistical aligner's plain links) the matrix is all
    zeros and the link dots alone show the alignment. Small number types keep
    the chart's payload small (plotly sends arrays as binary).
    """
    similarity = alignment.similarity
    if similarity is not None and np.shape(similarity) == (n_src, n_tgt):
        return np.asarray(similarity, dtype=np.float32), "similarity"
    if alignment.scores is None:
        return np.zeros((n_src, n_tgt), dtype=np.int8), None
    values = np.zeros((n_src, n_tgt), dtype=np.float32)
    for (i, j), score in zip(alignment.links, alignment.scores, strict=True):
        if 0 <= i < n_src and 0 <= j < n_tgt:
            values[i, j] = score
    return values, "score"


def link_scores(alignment: Alignment) -> dict[tuple[int, int], float | None]:
    scores = alignment.scores if alignment.scores is not None else [None] * len(alignment.links)
    return dict(zip(alignment.links, scores, strict=True))


def _box(x0: float, x1: float, y0: float, y1: float, colour: str, *, dash: str, fill: float) -> dict:
    return {
        "type": "rect",
        "xref": "x",
        "yref": "y",
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "line": {"color": colour, "width": 2, "dash": dash},
        "fillcolor": tint(colour, fill),
        "layer": "below",
    }


def alignment_figure(
    src_tokens: Sequence[str],
    tgt_tokens: Sequence[str],
    alignment: Alignment,
    *,
    src_spans: Sequence[Span] = (),
    projected: Sequence[Span] = (),
) -> go.Figure:
    """Heatmap of ``alignment`` with boxes around ``src_spans`` (rows) and ``projected`` spans (columns)."""
    n_src, n_tgt = len(src_tokens), len(tgt_tokens)
    values, value_name = cell_values(alignment, n_src, n_tgt)
    src_labels = [chart_text(token) for token in src_tokens]
    tgt_labels = [chart_text(token) for token in tgt_tokens]
    figure = go.Figure()
    figure.add_trace(
        go.Heatmap(
            z=values,
            x=list(range(n_tgt)),
            y=list(range(n_src)),
            hovertemplate="source token %{y} · target token %{x}"
            + (f"<br>{value_name} %{{z:.3f}}" if value_name else "")
            + "<extra></extra>",
            colorscale=[[0.0, "#f3f4f7"], [0.001, "#e3ebf7"], [1.0, "#3b6ea8"]],
            zmin=0.0,
            zmax=max(1.0, float(values.max()) if values.size else 1.0),
            showscale=value_name is not None,
            colorbar={"title": {"text": value_name or ""}, "thickness": 12, "len": 0.6},
            xgap=1,
            ygap=1,
        )
    )
    row_px = max(12, min(CELL_PX, LONG_SENTENCE_ROWS_PX // max(n_src, 1)))
    marker_px = max(6, min(10, row_px // 2))
    scores = link_scores(alignment)
    links = [(i, j) for i, j in alignment.links if 0 <= i < n_src and 0 <= j < n_tgt]
    figure.add_trace(
        go.Scatter(
            x=[j for _, j in links],
            y=[i for i, _ in links],
            mode="markers",
            marker={"symbol": "circle", "size": marker_px, "color": "#1f2a44", "line": {"width": 1, "color": "white"}},
            text=[
                f"{src_labels[i]} ↔ {tgt_labels[j]}"
                + ("" if scores.get((i, j)) is None else f"<br>score {scores[(i, j)]:.3f}")
                for i, j in links
            ],
            hovertemplate="link: %{text}<extra></extra>",
            showlegend=False,
        )
    )
    shapes = [
        _box(-0.5, n_tgt - 0.5, span.start - 0.5, span.end - 0.5, label_colour(span.label), dash="solid", fill=0.10)
        for span in src_spans
        if span.end <= n_src
    ]
    shapes += [
        _box(span.start - 0.5, span.end - 0.5, -0.5, n_src - 0.5, label_colour(span.label), dash="dash", fill=0.08)
        for span in projected
        if span.end <= n_tgt
    ]
    # fixed margins from the longest token: plotly's automatic margins measure every label on every redraw
    left = 7 * max((len(token) for token in src_tokens), default=4) + 16
    top = int(5.5 * max((len(token) for token in tgt_tokens), default=4)) + 16
    # rows shrink for long sentences (down to 12 px): the chart stays on screen and quick to redraw
    height = max(MIN_HEIGHT, row_px * n_src + top + 20)
    figure.update_layout(
        shapes=shapes,
        height=height,
        margin={"l": min(left, 220), "r": 10, "t": min(top, 200), "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="rgba(0,0,0,0)",
        font={"size": 11},
        hoverlabel={"bgcolor": "white"},
    )
    figure.update_xaxes(
        tickmode="array",
        tickvals=list(range(n_tgt)),
        ticktext=tgt_labels,
        side="top",
        tickangle=-60,
        showgrid=False,
        zeroline=False,
        range=[-0.5, n_tgt - 0.5],
        automargin=False,
    )
    figure.update_yaxes(
        tickmode="array",
        tickvals=list(range(n_src)),
        ticktext=src_labels,
        range=[n_src - 0.5, -0.5],
        automargin=False,
        showgrid=False,
        zeroline=False,
    )
    return figure
