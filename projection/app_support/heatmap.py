"""The alignment of one sentence pair as a plotly heatmap, optionally clickable and with other aligners' links.

Rows are source tokens, columns target tokens. Cells show the aligner's
similarity matrix where it has one (neural aligners), else its per-link
scores, else plain links; every link is also marked with a dot. Each source
entity gets a box around its rows and each projected span a dashed box
around its columns, both in the label's colour. Token labels are escaped:
plotly reads a little HTML in tick and hover text. Cells hover with token
numbers only (one text per cell would make the chart several times larger);
the link dots hover with both tokens.

Three optional layers serve link editing and aligner comparison:

- ``original``: the aligner's own links, when ``alignment`` is an edited
  copy; links the edit added are drawn as diamonds, links it removed as
  crosses;
- ``overlay``: links of other aligners as open squares, coloured by how
  many aligners propose each (one legend entry per count);
- ``clickable``: one nearly invisible marker in every cell, so that a click
  on any cell, linked or not, is a selection event (a heatmap trace gives
  none); traces keep their look while a point is selected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from projection.app_support.colours import label_colour, tint
from projection.app_support.tokens_html import chart_text
from projection.data import Alignment, Span

CELL_PX = 20
LONG_SENTENCE_ROWS_PX = 640
MIN_HEIGHT = 260
MAX_CLICKABLE_CELLS = 150 * 150
"""Above this many cells the chart has no click layer (the token selects still edit links)."""
LINK_COLOUR = "#1f2a44"
REMOVED_COLOUR = "#b3261e"
NO_VOTE_COLOUR = "#9e9e9e"
KEEP_LOOK = {"marker": {"opacity": 1}}
"""``selected`` / ``unselected`` style of every scatter trace: a click selects a point, and nothing should fade."""


@dataclass(frozen=True)
class OverlayLink:
    """A link of some aligner view: ``agreement`` of ``voters`` aligners propose it; ``text`` is its hover (escaped)."""

    source: int
    target: int
    agreement: int
    voters: int
    text: str


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


def agreement_colour(agreement: int, voters: int) -> str:
    """Grey for a link no voting aligner proposes, then lighter to darker blue-green as more agree."""
    if agreement <= 0 or voters <= 0:
        return NO_VOTE_COLOUR
    return sample_colorscale("YlGnBu", [0.35 + 0.65 * min(agreement, voters) / voters])[0]


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


def _link_text(src_labels: Sequence[str], tgt_labels: Sequence[str], i: int, j: int, score: float | None) -> str:
    return f"{src_labels[i]} ↔ {tgt_labels[j]}" + ("" if score is None else f"<br>score {score:.3f}")


def _overlay_traces(overlay: Sequence[OverlayLink], n_src: int, n_tgt: int, size: int) -> list[go.Scatter]:
    """One trace per agreement count, so that the legend names each colour."""
    inside = [link for link in overlay if 0 <= link.source < n_src and 0 <= link.target < n_tgt]
    traces = []
    for agreement in sorted({link.agreement for link in inside}, reverse=True):
        group = [link for link in inside if link.agreement == agreement]
        voters = group[0].voters
        traces.append(
            go.Scatter(
                x=[link.target for link in group],
                y=[link.source for link in group],
                mode="markers",
                marker={
                    "symbol": "square-open",
                    "size": size,
                    "color": agreement_colour(agreement, voters),
                    "line": {"width": 2.5},
                },
                text=[link.text for link in group],
                hovertemplate="%{text}<extra></extra>",
                name=f"{agreement} of {voters} aligners" if agreement else "no voting aligner",
                legendgroup="overlay",
                selected=KEEP_LOOK,
                unselected=KEEP_LOOK,
            )
        )
    return traces


def _cell_grid(values: np.ndarray, value_name: str | None, size: int) -> go.Scatter:
    n_src, n_tgt = values.shape
    rows, columns = np.meshgrid(np.arange(n_src, dtype=np.int16), np.arange(n_tgt, dtype=np.int16), indexing="ij")
    hover = "source token %{y} · target token %{x}"
    customdata = None
    if value_name is not None:
        customdata = values.astype(np.float32).ravel()
        hover += f"<br>{value_name} %{{customdata:.3f}}"
    return go.Scatter(
        x=columns.ravel(),
        y=rows.ravel(),
        customdata=customdata,
        mode="markers",
        marker={"symbol": "square", "size": size, "color": "rgba(31, 42, 68, 0.02)"},
        hovertemplate=hover + "<br>click: add or remove this link<extra></extra>",
        showlegend=False,
        selected={"marker": {"opacity": 1, "color": "rgba(31, 42, 68, 0.25)"}},
        unselected=KEEP_LOOK,
    )


def alignment_figure(
    src_tokens: Sequence[str],
    tgt_tokens: Sequence[str],
    alignment: Alignment,
    *,
    src_spans: Sequence[Span] = (),
    projected: Sequence[Span] = (),
    original: Alignment | None = None,
    overlay: Sequence[OverlayLink] = (),
    clickable: bool = False,
) -> go.Figure:
    """Heatmap of ``alignment`` with boxes around ``src_spans`` (rows) and ``projected`` spans (columns).

    ``original``, ``overlay`` and ``clickable`` add the layers of the module
    docstring; a sentence pair of more than :data:`MAX_CLICKABLE_CELLS`
    cells gets no click layer.
    """
    n_src, n_tgt = len(src_tokens), len(tgt_tokens)
    values, value_name = cell_values(alignment, n_src, n_tgt)
    clickable = clickable and 0 < n_src * n_tgt <= MAX_CLICKABLE_CELLS
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
            hoverinfo="skip" if clickable else None,
            colorscale=[[0.0, "#f3f4f7"], [0.001, "#e3ebf7"], [1.0, "#3b6ea8"]],
            zmin=0.0,
            zmax=max(1.0, float(values.max()) if values.size else 1.0),
            showscale=value_name is not None,
            colorbar={"title": {"text": value_name or ""}, "thickness": 12, "len": 0.6},
            xgap=1,
            ygap=1,
            showlegend=False,
        )
    )
    row_px = max(12, min(CELL_PX, LONG_SENTENCE_ROWS_PX // max(n_src, 1)))
    marker_px = max(6, min(10, row_px // 2))
    scores = link_scores(alignment)
    links = [(i, j) for i, j in alignment.links if 0 <= i < n_src and 0 <= j < n_tgt]
    given = None if original is None else set(original.links)
    added = set() if given is None else {link for link in links if link not in given}
    figure.add_trace(
        go.Scatter(
            x=[j for _, j in links],
            y=[i for i, _ in links],
            mode="markers",
            marker={
                "symbol": ["diamond" if link in added else "circle" for link in links],
                "size": [marker_px + 3 if link in added else marker_px for link in links],
                "color": LINK_COLOUR,
                "line": {"width": 1, "color": "white"},
            },
            text=[
                _link_text(src_labels, tgt_labels, i, j, scores.get((i, j)))
                + ("<br>added by your edit" if (i, j) in added else "")
                for i, j in links
            ],
            hovertemplate="link: %{text}<extra></extra>",
            showlegend=False,
            selected=KEEP_LOOK,
            unselected=KEEP_LOOK,
        )
    )
    if given is not None:
        kept = set(links)
        removed = sorted(link for link in given if link not in kept and link[0] < n_src and link[1] < n_tgt)
        if removed:
            figure.add_trace(
                go.Scatter(
                    x=[j for _, j in removed],
                    y=[i for i, _ in removed],
                    mode="markers",
                    marker={"symbol": "x", "size": marker_px + 2, "color": REMOVED_COLOUR},
                    text=[_link_text(src_labels, tgt_labels, i, j, None) for i, j in removed],
                    hovertemplate="removed by your edit: %{text}<extra></extra>",
                    showlegend=False,
                    selected=KEEP_LOOK,
                    unselected=KEEP_LOOK,
                )
            )
    for trace in _overlay_traces(overlay, n_src, n_tgt, max(8, row_px - 3)):
        figure.add_trace(trace)
    if clickable:
        figure.add_trace(_cell_grid(values, value_name, max(8, row_px - 2)))
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
    bottom = 44 if overlay else 10
    # rows shrink for long sentences (down to 12 px): the chart stays on screen and quick to redraw
    height = max(MIN_HEIGHT, row_px * n_src + top + bottom + 10)
    figure.update_layout(
        shapes=shapes,
        height=height,
        margin={"l": min(left, 220), "r": 10, "t": min(top, 200), "b": bottom},
        plot_bgcolor="white",
        paper_bgcolor="rgba(0,0,0,0)",
        font={"size": 11},
        hoverlabel={"bgcolor": "white"},
        showlegend=bool(overlay),
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "font": {"size": 10}},
        dragmode=False,
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
