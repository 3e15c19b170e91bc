"""Why each projected span is there, and why each source entity that was not projected is not, as HTML.

The reasons are the projector's own (:class:`projection.data.Explanation`,
kept in the record, or returned by a re-projection), worded by
:mod:`projection.projectors.explanations`; nothing is recomputed here. Every
text is escaped, tokens and labels included.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from projection.app_support.tokens_html import escape, render_span_chip
from projection.data import ProjectionRecord, Span
from projection.projectors.explanations import describe, dropped, explanations_for

NO_EXPLANATION = (
    "no reason was recorded for this span (records written before projectors gave their reasons, or spans "
    "imported with the data)"
)


@dataclass(frozen=True)
class Origin:
    """One row: a projected span (``side="target"``) or a source entity that was not projected
    (``side="source"``), with the sentences saying why."""

    span: Span
    side: str
    reasons: list[str]


def origins(record: ProjectionRecord) -> list[Origin]:
    """Projected spans left to right, then the source entities that were not projected, in source order."""
    rows = [
        Origin(span, "target", [describe(record, e) for e in explanations_for(record, span)] or [NO_EXPLANATION])
        for span in sorted(record.projected, key=lambda span: (span.start, span.end))
    ]
    for explanation in sorted(dropped(record), key=lambda e: -1 if e.entity is None else e.entity):
        entity = explanation.entity
        if entity is not None and entity < len(record.source.spans):
            rows.append(Origin(record.source.spans[entity], "source", [describe(record, explanation)]))
    return rows


def render_origins(record: ProjectionRecord, new: Collection[tuple[int, int, str]] = ()) -> str:
    """The rows of :func:`origins` as an HTML table; spans whose key is in ``new`` are marked as new."""
    rows = origins(record)
    if not rows:
        return '<p class="pj-muted">The source sentence has no entity, so nothing was projected.</p>'
    body = []
    for row in rows:
        tokens = record.target.tokens if row.side == "target" else record.source.tokens
        where = "projected" if row.side == "target" else "not projected (source entity)"
        if row.side == "target" and row.span.key in new:
            where += ' · <span class="pj-badge pj-info">new</span>'
        reasons = "".join(f"<li>{escape(reason)}</li>" for reason in row.reasons)
        body.append(
            f'<tr><td>{render_span_chip(tokens, row.span)}<br><span class="pj-muted">{where}</span></td>'
            f'<td><ul class="pj-why">{reasons}</ul></td></tr>'
        )
    head = "<thead><tr><th>span</th><th>why</th></tr></thead>"
    return f'<table class="pj-table pj-origins">{head}<tbody>{"".join(body)}</tbody></table>'
