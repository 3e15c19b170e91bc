"""Review: correct the projected spans of a sentence; every edit is saved at once, with undo and history."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from projection.app_support import session, sidebar
from projection.app_support.displayable import display_problem
from projection.app_support.markdown_text import plain
from projection.app_support.navigation import step
from projection.app_support.span_edits import (
    add_span,
    can_move,
    delete_span,
    describe_change,
    move_boundary,
    relabel_span,
)
from projection.app_support.tokens_html import escape, render_legend, render_span_chip, render_tokens
from projection.data import Span
from projection.errors import ProjectionError

DEFAULT_LABELS = ["PER", "ORG", "LOC", "DATE", "MISC"]
MESSAGE = "review_message"

selected = sidebar.frame()
dataset, lang, method = selected.dataset, selected.lang, selected.method
if dataset is None:
    st.info("Load a data set on the Data page first.")
    st.page_link(session.PAGES["data"], label="Open the Data page", icon=":material/upload_file:")
    st.stop()
store = session.corrections_store()
corpus = dataset.store_key


def remember_author() -> None:
    st.session_state[session.AUTHOR] = st.session_state["review_author"].strip()


who, progress = st.columns([1, 2], gap="large")
st.session_state["review_author"] = session.author()
who.text_input("Your name (written into the history)", key="review_author", on_change=remember_author)
with progress:
    for each in dataset.langs:
        total = dataset.n_sentences(each)
        done = len(store.reviewed(corpus, each) & set(dataset.sentence_ids(each)))
        corrected = len(store.current(corpus, each))
        st.progress(
            done / total if total else 0.0,
            text=plain(f"{each}: {done} of {total} reviewed · {corrected} corrected"),
        )

sentence_id = session.sentence_navigator(dataset, lang, "review")
if sentence_id is None:
    st.stop()
record = dataset.record(lang, method, sentence_id)
if record is None:
    st.warning(
        f"The {plain(method)} records have no sentence {plain(sentence_id)}; choose another method in the sidebar."
    )
    st.stop()
problem = display_problem(record)
if problem:
    st.warning(plain(problem))
    st.stop()
tokens = record.target.tokens
n_tokens = len(tokens)
stored = store.current_spans(corpus, sentence_id, lang=lang)
spans: list[Span] = stored if stored is not None else list(record.projected)
reviewed = store.is_reviewed(corpus, sentence_id, lang=lang)
label_options = sorted({*dataset.all_labels(lang), *(dataset.labels(lang) or DEFAULT_LABELS)})


def save(after: list[Span], action: str) -> None:
    store.save(corpus, sentence_id, spans, after, author=session.author(), lang=lang, action=action, method=method)
    st.session_state[MESSAGE] = ("saved", f"Saved: {describe_change(spans, after, tokens)}")


def edit(action: str, change: Callable[..., list[Span]], *args: object) -> None:
    """Apply one of the span_edits functions and save the result, or keep its reason for the page."""
    try:
        save(change(spans, *args), action)
    except ProjectionError as err:
        st.session_state[MESSAGE] = ("error", str(err))


def relabel(index: int, widget: str) -> None:
    edit("relabel", relabel_span, index, st.session_state[widget])


def add_from_widgets() -> None:
    first, last = st.session_state[f"add_range_{sentence_id}"]
    edit("add", add_span, first, last + 1, st.session_state["add_label"], n_tokens)


def undo() -> None:
    if store.undo(corpus, sentence_id, author=session.author(), lang=lang) is None:
        st.session_state[MESSAGE] = ("error", f"{session.author()} has no edit of this sentence left to undo.")
    else:
        st.session_state[MESSAGE] = ("saved", "Undone (the history keeps both the edit and its undo).")


def mark(value: bool, then_next: bool = False) -> None:
    store.mark_reviewed(corpus, sentence_id, author=session.author(), lang=lang, reviewed=value)
    if then_next:
        session.set_sentence(dataset, lang, step(dataset.sentence_ids(lang), sentence_id, 1))


message = st.session_state.pop(MESSAGE, None)
if message is not None:
    kind, text = message
    if kind == "error":
        st.error(plain(text))
    else:
        st.toast(plain(text), icon=":material/check:")

state = "corrected" if stored is not None else f"projected by {method}"
badges = [f'<span class="pj-badge pj-info">{escape(state)}</span>']
badges.append(
    '<span class="pj-badge pj-good">reviewed ✓</span>' if reviewed else '<span class="pj-badge">not reviewed</span>'
)
st.html("".join(badges))
st.html(render_tokens(tokens, spans, show_index=True, caption=f"Target · {record.target.lang} · spans being reviewed"))
with st.expander("Source sentence and gold", expanded=False):
    st.html(render_tokens(record.source.tokens, record.source.spans, caption=f"Source · {record.source.lang}"))
    if record.gold is not None:
        st.html(render_tokens(tokens, record.gold, caption="Gold"))
    st.html(render_legend(label_options))

st.markdown("##### Spans")
if not spans:
    st.caption("No spans yet: add one below.")
for index, span in enumerate(spans):
    words, label, *moves, remove = st.columns([3, 1.4, 0.85, 0.85, 0.85, 0.85, 0.5], vertical_alignment="center")
    words.html(render_span_chip(tokens, span))
    widget = f"label_{sentence_id}_{span.start}_{span.end}"
    st.session_state[widget] = span.label
    label.selectbox(
        "Label",
        sorted({*label_options, span.label}),
        key=widget,
        on_change=relabel,
        args=(index, widget),
        label_visibility="collapsed",
    )
    for column, (side, delta, text, tip) in zip(
        moves,
        [
            ("start", -1, "◂ start", "Start one token earlier"),
            ("start", 1, "start ▸", "Start one token later"),
            ("end", -1, "◂ end", "End one token earlier"),
            ("end", 1, "end ▸", "End one token later"),
        ],
        strict=True,
    ):
        column.button(
            text,
            help=tip,
            width="stretch",
            key=f"move_{sentence_id}_{index}_{side}_{delta}",
            on_click=edit,
            args=(f"move-{side}", move_boundary, index, side, delta, n_tokens),
            disabled=not can_move(spans, index, side, delta, n_tokens),
        )
    remove.button(
        "",
        icon=":material/delete:",
        help="Delete this span",
        key=f"delete_{sentence_id}_{index}",
        on_click=edit,
        args=("delete", delete_span, index),
    )

st.markdown("##### Add a span")
pick, choose, add = st.columns([4, 1.6, 1.2], vertical_alignment="bottom")
pick.select_slider(
    "Tokens",
    options=list(range(n_tokens)),
    value=(0, 0),
    format_func=lambda i: plain(f"{i} {tokens[i]}"),
    key=f"add_range_{sentence_id}",
)
choose.selectbox("Label", label_options, key="add_label")
add.button("Add span", icon=":material/add:", on_click=add_from_widgets, key="add_span", width="stretch")

actions = st.columns(4)
actions[0].button("Undo my last edit", icon=":material/undo:", on_click=undo, key="undo", width="stretch")
if reviewed:
    actions[1].button(
        "Mark not reviewed",
        icon=":material/remove_done:",
        on_click=mark,
        args=(False,),
        key="unreview",
        width="stretch",
    )
else:
    actions[1].button(
        "Mark reviewed", icon=":material/done:", on_click=mark, args=(True,), key="reviewed", width="stretch"
    )
actions[2].button(
    "Reviewed, next ▶",
    icon=":material/done_all:",
    on_click=mark,
    args=(True, True),
    key="reviewed_next",
    type="primary",
    width="stretch",
)

st.markdown("##### History")
history = store.history(corpus, sentence_id, lang=lang)
if not history:
    st.caption("No edits yet: the spans are the projection's.")
else:
    rows = []
    for edit_row in reversed(history):
        if edit_row.undoes is not None:
            status = f"undo of #{edit_row.undoes}"
        elif edit_row.undone_by is not None:
            status = f"undone by #{edit_row.undone_by}"
        else:
            status = ""
        rows.append(
            {
                "#": edit_row.id,
                "when": edit_row.timestamp.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                "who": edit_row.author,
                "action": edit_row.action,
                "change": describe_change(edit_row.before, edit_row.after, tokens),
                "status": status,
                "from method": edit_row.method,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
