"""Errors: scores per language and label, error types as charts, the sentences behind each error type, and
the sentences ranked by how likely their projection is wrong (no gold needed: the one view without gold)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.express as px
import streamlit as st

from projection.app_support import session, sidebar
from projection.app_support.colours import label_colour
from projection.app_support.error_analysis import (
    ERROR_KINDS,
    KIND_TITLES,
    error_counts,
    error_counts_by_method,
    methods_table,
    metrics_by_language,
    sentence_errors,
    sentences_by_error,
    unscored_problems,
)
from projection.app_support.glossary import explain_method
from projection.app_support.markdown_text import plain
from projection.app_support.suspicion_view import suspicion_section
from projection.app_support.tokens_html import Mark, chart_text, escape, render_tokens
from projection.app_support.what_if_view import what_if_section
from projection.errors import ProjectionError

PAGE_SIZE = 15
SCORE_FORMAT = {"precision": "{:.3f}", "recall": "{:.3f}", "f1": "{:.3f}", "proj_ratio": "{:.2f}"}


def error_chart(
    counts: pd.DataFrame,
    *,
    colour_by: str,
    kinds: Sequence[str],
    title: str,
    key: str,
    colours: Mapping[str, str] | None = None,
    barmode: str = "relative",
) -> None:
    """Bars of span counts per error type, coloured by ``colour_by`` (labels or methods).

    The legend, hover text and title carry names from the data, which Plotly
    would read as HTML, so they go in as :func:`chart_text`.
    """
    shown = counts.assign(**{colour_by: counts[colour_by].map(chart_text)})
    figure = px.bar(
        shown,
        x="error type",
        y="count",
        color=colour_by,
        color_discrete_map={chart_text(name): colour for name, colour in (colours or {}).items()},
        barmode=barmode,
        category_orders={"error type": [KIND_TITLES[kind] for kind in kinds]},
        title=chart_text(title),
    )
    figure.update_layout(height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend_title_text="")
    st.plotly_chart(figure, config={"displayModeBar": False}, key=key)


selected = sidebar.frame()
dataset, lang, method, profile = selected.dataset, selected.lang, selected.method, selected.profile
if dataset is None:
    sidebar.ask_for_a_dataset()
    st.stop()
what_if_section(dataset, lang, method)
if not dataset.has_gold(lang):
    st.info(
        f"The {plain(lang)} sentences of {plain(dataset.title)} have no gold labels, so there is nothing to score "
        "them against. To score a method, project sentences that carry their own labels: on the Data page, "
        "'Project labelled sentences' with a CoNLL or JSONL file of labelled sentences in the language receiving "
        "the spans (translate-test). Meanwhile, the sentences are ranked below by how likely their projection is "
        "wrong, from signals that need no gold; Review goes through them in that order."
    )
    suspicion_section(dataset=dataset, lang=lang, method=method, profile=profile)
    st.stop()

labels = dataset.labels(lang) or None
records = dataset.records(lang, method)
key = (dataset.uid, lang, method)
try:
    by_language = session.memo(("by_language", dataset.uid, method), lambda: metrics_by_language(dataset, method))
    by_method = session.memo(("by_method", dataset.uid, lang), lambda: methods_table(dataset, lang))
    errors = session.memo(("errors", *key), lambda: sentence_errors(records, labels))
    kind_counts = session.memo(("kind_counts", *key), lambda: error_counts(errors))
    method_counts = session.memo(("method_counts", dataset.uid, lang), lambda: error_counts_by_method(dataset, lang))
except ProjectionError as err:
    st.error(plain(err))
    st.stop()

left_out = unscored_problems(records)
if left_out:
    st.warning(
        plain(f"{len(left_out)} of {len(records)} sentences cannot be scored and are left out. {left_out[0]}")
        + (plain(f" ({len(left_out) - 1} more like it.)") if len(left_out) > 1 else "")
    )
st.markdown(f"#### Scores of **{plain(method)}**")
st.caption(plain(f"{method}: {explain_method(method)}"))
st.caption(
    "Span-level precision, recall and F1 (seqeval, default mode) against gold; labels counted: "
    f"{plain(', '.join(labels or ['all']))}. proj_ratio = projected entities / gold entities."
)
st.markdown(f"**Every method on {plain(lang)}**, best first")
formats = {column: "{:.3f}" for column in by_method.columns if column != "proj_ratio"}
explained = by_method.assign(**{"what it does": [explain_method(name) for name in by_method.index]})
st.dataframe(explained.style.format({**formats, "proj_ratio": "{:.2f}"}, na_rep="—"), width="stretch")
st.markdown(f"**{plain(method)} per language and label**")
st.dataframe(by_language.style.format(SCORE_FORMAT, na_rep="—"), width="stretch")

st.markdown("#### Error types")
left, right = st.columns(2, gap="large")
with left:
    shown = kind_counts[kind_counts["count"] > 0]
    error_chart(
        shown,
        colour_by="label",
        colours={label: label_colour(label) for label in shown["label"].unique()},
        kinds=("correct", *ERROR_KINDS),
        title=f"{method}: spans by outcome and label",
        key="errors_by_label",
    )
with right:
    error_chart(
        method_counts[method_counts["kind"] != "correct"],
        colour_by="method",
        barmode="group",
        kinds=ERROR_KINDS,
        title="Errors of every method",
        key="errors_by_method",
    )

st.markdown("#### Sentences by error")
filters = st.columns([2, 2, 1], vertical_alignment="bottom")
kinds = filters[0].multiselect(
    "Error types", list(ERROR_KINDS), default=list(ERROR_KINDS), format_func=KIND_TITLES.get, key="err_kinds"
)
label_filter = filters[1].multiselect(
    "Labels", labels or dataset.all_labels(lang), key="err_labels", placeholder="all labels"
)
search = filters[2].text_input("Word", key="err_search", placeholder="contains …")
matching = sentences_by_error(records, labels, kinds=kinds, error_labels=label_filter) if kinds else []
if search:
    needle = search.casefold()
    matching = [row for row in matching if needle in " ".join(row.record.target.tokens).casefold()]
st.caption(f"{len(matching)} of {len(records)} sentences match")

limit_key = "err_limit"
limit = st.session_state.get(limit_key, PAGE_SIZE)
for row in matching[:limit]:
    marks = []
    for error in row.errors:
        if error.kind == "correct" or (kinds and error.kind not in kinds):
            continue
        if error.predicted is not None:
            marks.append(Mark(error.predicted, f"pj-k-{error.kind}", f"{error.predicted.label} · {error.kind}"))
            if error.gold is not None:
                marks.append(Mark(error.gold, "pj-gold", f"gold {error.gold.label}"))
        elif error.gold is not None:
            marks.append(Mark(error.gold, "pj-k-missed", f"{error.gold.label} · missed"))
    head, body, action = st.columns([1.2, 6, 1], vertical_alignment="center")
    head.html(f'<b>{escape(row.sentence_id)}</b><br><span class="pj-muted">{escape(row.summary())}</span>')
    body.html(render_tokens(row.record.target.tokens, marks))
    if action.button("Inspect", key=f"open_{row.sentence_id}", icon=":material/open_in_new:"):
        session.open_sentence(dataset, lang, row.sentence_id)


def show_more() -> None:
    st.session_state[limit_key] = limit + PAGE_SIZE


if len(matching) > limit:
    st.button(
        f"Show {min(PAGE_SIZE, len(matching) - limit)} more",
        key="err_more",
        on_click=show_more,
    )

suspicion_section(dataset=dataset, lang=lang, method=method, profile=profile)
