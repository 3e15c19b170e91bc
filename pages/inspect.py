"""Inspect: one sentence pair side by side, its alignment, and the same sentence under every method.

The sentence view is a fragment: moving to another sentence redraws only it,
not the sidebar, which keeps the previous / next buttons quick.
"""

from __future__ import annotations

import streamlit as st

from projection.app_support import session, sidebar
from projection.app_support.compare import MethodOutcome, compare_methods
from projection.app_support.datasets import Dataset
from projection.app_support.displayable import display_problem
from projection.app_support.glossary import INSPECT_NOTE, explain_method
from projection.app_support.heatmap import alignment_figure
from projection.app_support.html_table import render_table
from projection.app_support.markdown_text import plain
from projection.app_support.provenance import describe_sides
from projection.app_support.reviewing import resolution
from projection.app_support.tokens_html import escape, render_legend, render_tokens, span_text
from projection.data import ProjectionRecord
from projection.writers.conll import ADJUDICATED, CORRECTED, NOT_REVIEWED, REVIEWED

WIDE_CHART_TOKENS = 30


def badges(outcome: MethodOutcome) -> str:
    parts = [f'<span class="pj-badge pj-info">{escape(outcome.method)}</span>']
    if outcome.errors is not None:
        parts.append(f'<span class="pj-badge pj-good">{outcome.n_correct} correct</span>')
        if outcome.n_wrong:
            noun = "error" if outcome.n_wrong == 1 else "errors"
            parts.append(f'<span class="pj-badge pj-bad">{outcome.n_wrong} {noun}</span>')
    return "".join(parts)


def span_rows(record: ProjectionRecord, outcome: MethodOutcome) -> list[dict]:
    """The projected spans with their verdict against gold (when there is gold), then the gold spans missed."""
    verdicts = {e.predicted.key: e.kind for e in outcome.errors or [] if e.predicted is not None}
    tokens = record.target.tokens
    rows = [
        {
            "span": span_text(tokens, span),
            "label": span.label,
            "tokens": f"{span.start}–{span.end - 1}",
            "score": span.score,
            **({} if record.gold is None else {"vs gold": verdicts.get(span.key, "—")}),
            "agree": f"{outcome.agreement.get(span.key, 0)}/{outcome.n_methods}",
        }
        for span in record.projected
    ]
    missed = [e.gold for e in outcome.errors or [] if e.kind == "missed" and e.gold is not None]
    rows += [
        {"span": span_text(tokens, s), "label": s.label, "tokens": f"{s.start}–{s.end - 1}", "vs gold": "missed"}
        for s in missed
    ]
    return rows


@st.fragment
def show_sentence(*, dataset: Dataset, lang: str, method: str, key: str = "inspect") -> None:
    sentence_id = session.sentence_navigator(dataset, lang, key)
    if sentence_id is None:
        return
    record = dataset.record(lang, method, sentence_id)
    if record is None:
        st.warning(
            f"The {plain(method)} records have no sentence {plain(sentence_id)}; choose another method in the sidebar."
        )
        return
    problem = display_problem(record)
    if problem:
        st.warning(plain(problem))
        return
    spans_by_method = {
        name: found.projected
        for name in dataset.methods(lang)
        if (found := dataset.record(lang, name, sentence_id)) is not None
    }
    outcomes = compare_methods(spans_by_method, record.gold, labels=dataset.labels(lang) or None)
    outcome = next(each for each in outcomes if each.method == method)
    store = session.corrections_store()
    reviewed = resolution(dataset, lang, method, sentence_id, session.dataset_reviews(store, dataset, lang))
    corrected = reviewed.spans if reviewed is not None and reviewed.status in (CORRECTED, ADJUDICATED) else None
    sides = describe_sides(record)

    status = [badges(outcome)]
    if reviewed is not None and reviewed.status != NOT_REVIEWED:
        tone = "pj-good" if reviewed.status in (REVIEWED, ADJUDICATED) else "pj-info"
        status.append(f'<span class="pj-badge {tone}">{escape(reviewed.status)} in Review</span>')
    status.append(f'<span class="pj-muted">{escape(sides.pipeline)}</span>')
    st.html(" ".join(status))

    left, right = st.columns(2, gap="large")
    with left:
        st.html(render_tokens(record.source.tokens, record.source.spans, caption=sides.source))
    with right:
        st.html(render_tokens(record.target.tokens, outcome.marks(), caption=sides.target))
        if record.gold is not None:
            st.html(render_tokens(record.target.tokens, record.gold, caption="Gold"))
        if corrected is not None:
            st.html(render_tokens(record.target.tokens, corrected, caption=f"{reviewed.status} in Review (exported)"))
    st.html(render_legend(dataset.all_labels(lang)))

    # a long sentence needs the page's full width for one readable column per target token
    if len(record.target.tokens) > WIDE_CHART_TOKENS:
        chart, table = st.container(), st.container()
    else:
        chart, table = st.columns([3, 2], gap="large")
    with chart:
        st.markdown("##### Alignment")
        figure = alignment_figure(
            record.source.tokens,
            record.target.tokens,
            record.alignment,
            src_spans=record.source.spans,
            projected=record.projected,
        )
        st.plotly_chart(figure, config={"displayModeBar": False}, key=f"{key}_heatmap")
        st.caption(
            f"Rows: source ({plain(record.source.lang)}) · columns: target ({plain(record.target.lang)}) · "
            f"{len(record.alignment)} links · boxes: source entities (rows, solid) and projected spans "
            "(columns, dashed), in the label's colour"
        )
    with table:
        st.markdown("##### Projected spans")
        rows = span_rows(record, outcome)
        if rows:
            columns = [name for name in rows[0] if name != "score" or any(row.get("score") for row in rows)]
            st.html(render_table(rows, columns))
        else:
            st.caption("No span was projected and gold has none.")

    st.markdown("##### The same sentence under each method")
    st.caption(
        "Dashed outline: not every method projected this span. ✓ / ✗: right or wrong against gold; "
        "a dashed empty box is a gold span the method missed."
    )
    rows = "".join(
        f'<div class="pj-mrow{" pj-current" if each.method == method else ""}"><div>{badges(each)}'
        f'<div class="pj-muted">{escape(explain_method(each.method))}</div></div>'
        f"<div>{render_tokens(record.target.tokens, each.marks())}</div></div>"
        for each in outcomes
    )
    st.html(f'<div class="pj-methods">{rows}</div>')
    others = [each.method for each in outcomes if each.method != method]
    if others:
        # keyed by the current method, so that a fresh, empty choice is drawn after switching
        chosen = st.pills(
            "Show another method",
            others,
            format_func=plain,
            key=f"switch_from_{method}",
            label_visibility="collapsed",
        )
        if chosen:
            sidebar.select("sb_method", chosen, scope=f"{dataset.ident} {lang}")
            st.rerun(scope="app")


def first_visit_note(*, key: str = "inspect_note") -> None:
    """What the colours and boxes mean, until the reader says they have it."""
    if st.session_state.get(key):
        return
    with st.container(border=True):
        st.markdown(INSPECT_NOTE)
        if st.button("Got it", key=f"{key}_done", icon=":material/check:"):
            st.session_state[key] = True
            st.rerun()


selected = sidebar.frame()
first_visit_note()
if selected.dataset is None:
    st.info("Load a data set on the Data page first.")
    st.page_link(session.PAGES["data"], label="Open the Data page", icon=":material/upload_file:")
else:
    show_sentence(dataset=selected.dataset, lang=selected.lang, method=selected.method)
