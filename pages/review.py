"""Review: your own version of each sentence's spans, saved at once, with undo and history.

Click the words of an entity and press its label (or its number key) to
make, relabel or resize a span; accept or reject each projected span with
one click (A / X for the next one). Each reviewer has a version of their own,
so that two reviewers given the same sentence can be compared on the Team
page. The sentence view is a fragment: moving on or saving redraws only it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from projection.app_support import session, sidebar
from projection.app_support.datasets import Dataset
from projection.app_support.displayable import display_problem
from projection.app_support.html_table import render_table
from projection.app_support.markdown_text import plain
from projection.app_support.navigation import step
from projection.app_support.reviewing import (
    MOST_SUSPICIOUS,
    RANDOM_SAMPLE,
    Progress,
    SentenceState,
    review_progress,
    sentence_orders,
    sentence_state,
    spans_shown,
    store_keys,
)
from projection.app_support.sample_view import sample_draw_view, sample_estimate_view
from projection.app_support.span_edits import (
    accept_span,
    delete_span,
    describe_change,
    is_pending,
    label_tokens,
    relabel_span,
)
from projection.app_support.suspicion_view import suspicious_order
from projection.app_support.tokens_html import Mark, escape, render_legend, render_span_chip, render_tokens
from projection.data import ProjectionRecord, Span
from projection.errors import ProjectionError
from projection.store import ADJUDICATION, CorrectionsStore, Edit, Sample, SentenceReviews

DEFAULT_LABELS = ["PER", "ORG", "LOC", "DATE", "MISC"]
MESSAGE = "review_message"
LABEL_KEYS = 9  # labels reachable with the number keys 1-9
HISTORY_ROWS = 12


def progress_view(*, progress: Progress, lang: str, author: str) -> None:
    statuses = progress.statuses
    text = (
        f"{lang}: {progress.reviewed} of {progress.total} reviewed · {statuses['corrected']} corrected · "
        f"{statuses['adjudicated']} adjudicated · {progress.mine} by {author}"
    )
    if progress.disputed:
        text += f" · {progress.disputed} with reviews that disagree"
    st.progress(progress.reviewed / progress.total if progress.total else 0.0, text=plain(text))


def badges_view(*, state: SentenceState, edited: bool, reviewed: bool) -> None:
    badges = [
        '<span class="pj-badge pj-info">your version</span>'
        if edited
        else '<span class="pj-badge">as projected</span>',
        '<span class="pj-badge pj-good">reviewed by you ✓</span>'
        if reviewed
        else '<span class="pj-badge">not reviewed by you</span>',
    ]
    if state.others:
        names = ", ".join(sorted(version.owner for version in state.others))
        badges.append(f'<span class="pj-badge">also reviewed by {escape(names)}</span>')
    if state.adjudicated is not None:
        badges.append(f'<span class="pj-badge pj-good">adjudicated by {escape(state.adjudicated.owner)}</span>')
    st.html("".join(badges))


def span_marks(spans: Sequence[Span]) -> list[Mark]:
    """Spans still as projected are outlined; accepted ones carry a tick."""
    return [Mark(span, "pj-pending" if is_pending(span) else "pj-accepted" if span.origin == "accepted" else "")
            for span in spans]  # fmt: skip


def history_view(*, history: Sequence[Edit], tokens: Sequence[str], author: str) -> None:
    """The reader's own edits and the adjudications of the sentence, newest first."""
    shown = [edit for edit in history if edit.author == author or edit.track == ADJUDICATION]
    if not shown:
        st.caption("No edits of yours yet: the spans are the projection's.")
        return
    rows = []
    for edit in reversed(shown[-HISTORY_ROWS:]):
        status = (
            f"undo of #{edit.undoes}"
            if edit.undoes is not None
            else f"undone by #{edit.undone_by}"
            if edit.undone_by is not None
            else ""
        )
        rows.append(
            {
                "#": edit.id,
                "when": edit.timestamp.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                "who": edit.author,
                "action": edit.action,
                "change": describe_change(edit.before, edit.after, tokens),
                "status": status,
                "from method": edit.method,
            }
        )
    st.html(render_table(rows, list(rows[0])))


def orphans_view(*, state: SentenceState) -> None:
    if not state.orphans:
        return
    with st.expander(f"{len(state.orphans)} review(s) of this sentence id that do not fit its text", expanded=False):
        st.caption(
            "They were made on another text under this data set's name, or before texts were recorded with each "
            "edit, so they are not applied here (nor exported)."
        )
        rows = [
            {
                "who": version.owner,
                "when": version.updated.astimezone().strftime("%Y-%m-%d %H:%M"),
                "spans": " · ".join(f"{s.label} {s.start}–{s.end - 1}" for s in version.spans or []),
            }
            for version in state.orphans
        ]
        st.html(render_table(rows, ["who", "when", "spans"]))


@st.fragment
def review_sentence(
    *,
    dataset: Dataset,
    lang: str,
    method: str,
    order: Sequence[str],
    author: str,
    store: CorrectionsStore,
    sample: Sample | None = None,
    key: str = "review",
) -> None:
    """One sentence: progress (and the sample's estimate, going through it), navigator, the words to click, the
    labels, the spans, the actions, the history."""
    reviews = session.dataset_reviews(store, dataset, lang)
    progress_view(progress=review_progress(dataset, lang, method, reviews, author), lang=lang, author=author)
    if sample is not None:
        sample_estimate_view(dataset=dataset, lang=lang, method=method, sample=sample, reviews=reviews)
    sentence_id = session.sentence_navigator(dataset, lang, key, order=order)
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
    edit_sentence(
        dataset=dataset, lang=lang, method=method, record=record, order=order, author=author, store=store,
        reviews=reviews.get((lang, sentence_id), SentenceReviews(lang, sentence_id)),
    )  # fmt: skip


def edit_sentence(
    *,
    dataset: Dataset,
    lang: str,
    method: str,
    record: ProjectionRecord,
    order: Sequence[str],
    author: str,
    store: CorrectionsStore,
    reviews: SentenceReviews,
) -> None:
    sentence_id = record.id
    tokens = record.target.tokens
    state = sentence_state(reviews, dataset.text_hash(lang, sentence_id), author)
    spans = spans_shown(state.mine, list(record.projected))
    edited = state.mine is not None and state.mine.edited
    reviewed = state.mine is not None and state.mine.reviewed
    labels = session.memo(("review_labels", dataset.uid, lang), lambda: review_labels(dataset, lang))
    where = {"lang": lang, "text_hash": state.text_hash, "dataset_name": dataset.store_name}
    words_key = f"review_words_{sentence_id}"

    def save(after: list[Span], action: str) -> None:
        store.save(dataset.store_key, sentence_id, spans, after, author=author, action=action, method=method, **where)
        st.session_state[MESSAGE] = ("saved", f"Saved: {describe_change(spans, after, tokens)}")

    def edit(action: str, change: Callable[..., list[Span]], *args: object) -> None:
        """Apply one of the span_edits functions and save the result, or keep its reason for the page."""
        try:
            save(change(spans, *args), action)
        except ProjectionError as err:
            st.session_state[MESSAGE] = ("error", str(err))

    def label_words(label: str | None) -> None:
        edit("label" if label else "clear", label_tokens, st.session_state.get(words_key) or [], label, len(tokens))
        st.session_state[words_key] = []

    def relabel(index: int, widget: str) -> None:
        edit("relabel", relabel_span, index, st.session_state[widget])

    def next_pending(action: str) -> None:
        pending = [index for index, span in enumerate(spans) if is_pending(span)]
        if not pending:
            st.session_state[MESSAGE] = ("error", "Every span of this sentence is accepted or corrected already.")
        elif action == "accept":
            edit("accept", accept_span, pending[0])
        else:
            edit("reject", delete_span, pending[0])

    def undo() -> None:
        if store.undo(dataset.store_key, sentence_id, author=author, lang=lang) is None:
            st.session_state[MESSAGE] = ("error", f"{author} has no edit of this sentence left to undo.")
        else:
            st.session_state[MESSAGE] = ("saved", "Undone (the history keeps both the edit and its undo).")

    def mark(value: bool, then_next: bool = False) -> None:
        store.mark_reviewed(
            dataset.store_key, sentence_id, author=author, reviewed=value, spans=spans, method=method, **where
        )
        if then_next:
            session.set_sentence(dataset, lang, step(list(order), sentence_id, 1))

    message = st.session_state.pop(MESSAGE, None)
    if message is not None:
        kind, text = message
        if kind == "error":
            st.error(plain(text))
        else:
            st.toast(plain(text), icon=":material/check:")

    badges_view(state=state, edited=edited, reviewed=reviewed)
    target, source = st.columns([3, 2], gap="large")
    with target:
        st.html(render_tokens(tokens, span_marks(spans), caption=f"Target · {record.target.lang} · your version"))
        st.pills(
            "Click the words of an entity, then its label",
            list(range(len(tokens))),
            selection_mode="multi",
            format_func=lambda index: plain(tokens[index]),
            key=words_key,
            wrap=True,
            on_change="ignore",  # the words go with the label pressed next: one round trip per span
        )
        buttons = st.container(horizontal=True)
        for number, label in enumerate(labels[:LABEL_KEYS], start=1):
            buttons.button(
                plain(label),
                key=f"review_label_{number}",
                on_click=label_words,
                args=(label,),
                shortcut=str(number),
                help=plain(f"Make the clicked words a {label} span (key {number})"),
            )
        buttons.button(
            "No entity",
            key="review_label_0",
            on_click=label_words,
            args=(None,),
            shortcut="0",
            help="Remove the spans on the clicked words (key 0)",
        )
        if state.adjudicated is not None:
            st.html(
                render_tokens(
                    tokens, state.adjudicated.spans_or(record.projected), caption="Adjudicated version (exported)"
                )
            )
    with source:
        st.html(render_tokens(record.source.tokens, record.source.spans, caption=f"Source · {record.source.lang}"))
        if record.gold is not None:
            st.html(render_tokens(tokens, record.gold, caption="Gold"))
        st.html(render_legend(labels))

    st.markdown("##### Spans")
    st.caption("Outlined: as projected, not yet accepted · ✓ accepted · A accepts and X rejects the next outlined span")
    if not spans:
        st.caption("No spans: click words above and a label to add one.")
    for index, span in enumerate(spans):
        words, choose, accept, reject = st.columns([4, 1.6, 1, 1], vertical_alignment="center")
        words.html(render_span_chip(tokens, span))
        widget = f"review_span_label_{sentence_id}_{span.start}_{span.end}"
        st.session_state[widget] = span.label
        choose.selectbox(
            "Label", sorted({*labels, span.label}), key=widget, on_change=relabel, args=(index, widget),
            label_visibility="collapsed",
        )  # fmt: skip
        accept.button(
            "Accept", icon=":material/check:", key=f"review_accept_{sentence_id}_{index}", width="stretch",
            on_click=edit, args=("accept", accept_span, index), disabled=not is_pending(span),
        )  # fmt: skip
        reject.button(
            "Reject", icon=":material/close:", key=f"review_reject_{sentence_id}_{index}", width="stretch",
            on_click=edit, args=("reject", delete_span, index),
        )  # fmt: skip

    actions = st.columns(5)
    actions[0].button(
        "Accept next", key="review_accept_next", on_click=next_pending, args=("accept",), shortcut="A",
        width="stretch",
    )  # fmt: skip
    actions[1].button(
        "Reject next", key="review_reject_next", on_click=next_pending, args=("reject",), shortcut="X",
        width="stretch",
    )  # fmt: skip
    actions[2].button("Undo my last edit", icon=":material/undo:", on_click=undo, key="undo", width="stretch")
    if reviewed:
        actions[3].button(
            "Mark not reviewed", icon=":material/remove_done:", on_click=mark, args=(False,), key="unreview",
            width="stretch",
        )  # fmt: skip
    else:
        actions[3].button(
            "Mark reviewed", icon=":material/done:", on_click=mark, args=(True,), key="reviewed", width="stretch"
        )
    actions[4].button(
        "Reviewed, next ▶", on_click=mark, args=(True, True), key="reviewed_next", type="primary", shortcut="N",
        width="stretch",
    )  # fmt: skip

    with st.expander("History", expanded=False):
        history_view(history=store.history(dataset.store_key, sentence_id, lang=lang), tokens=tokens, author=author)
    orphans_view(state=state)


def review_labels(dataset: Dataset, lang: str) -> list[str]:
    """The labels offered: the data set's label set (or the usual ones), then every other label it uses."""
    counted = dataset.labels(lang) or DEFAULT_LABELS
    return [*counted, *sorted(set(dataset.all_labels(lang)) - set(counted))]


selected = sidebar.frame()
if selected.dataset is None:
    sidebar.ask_for_a_dataset()
    st.stop()
dataset, lang, method = selected.dataset, selected.lang, selected.method
store = session.corrections_store()
who, how = st.columns([1, 2], gap="large")
author = session.author_input(who, key="review_author", label="Your name (each reviewer has their own version)")
given = store.assignments(store_keys(dataset)[0], lang).get(author, [])
suspicious, suspicious_note = suspicious_order(dataset, lang, method, session.dataset_reviews(store, dataset, lang))
sample = store.sample(dataset.store_key, lang)
orders = sentence_orders(dataset, lang, given, suspicious, sample=() if sample is None else sample.sentence_ids)


def start_order() -> None:
    """A newly chosen order starts at its first sentence (the most suspicious, for that order)."""
    first = orders.get(st.session_state.get("review_order") or "", [])[:1]
    if first:
        session.set_sentence(dataset, lang, first[0])


chosen = how.segmented_control(
    "Go through",
    list(orders),
    default=next(iter(orders)),
    key="review_order",
    format_func=lambda name: plain(f"{name} ({len(orders[name])})"),
    on_change=start_order,
)
if chosen == MOST_SUSPICIOUS:
    st.caption(plain(suspicious_note))
sampling = chosen == RANDOM_SAMPLE
if sampling:
    sample_draw_view(dataset=dataset, lang=lang, store=store, author=author, sample=sample)
review_sentence(
    dataset=dataset, lang=lang, method=method, order=orders[chosen or next(iter(orders))], author=author, store=store,
    sample=sample if sampling else None,
)  # fmt: skip
