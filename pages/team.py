"""Team: share sentences out to reviewers, see how far they agree, and settle the sentences they disagree on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from projection.app_support import session, sidebar
from projection.app_support.datasets import Dataset
from projection.app_support.markdown_text import plain
from projection.app_support.reviewing import (
    Dispute,
    Reviews,
    assignment_rows,
    disputes,
    first_record,
    plan_rows,
    reviewer_versions,
)
from projection.app_support.tokens_html import escape, render_span_chip, render_tokens
from projection.errors import ProjectionError
from projection.store import ADJUDICATION, CorrectionsStore
from projection.store.adjudication import ADJUDICATE, adjudicated_spans, candidates
from projection.store.agreement import pairwise_agreement
from projection.store.assignments import clean_reviewers, plan_assignments

VIEWS = {
    "assign": "Assign",
    "agreement": "Agreement",
    "adjudicate": "Adjudicate",
}
MESSAGE = "team_message"


def assign_view(*, dataset: Dataset, lang: str, store: CorrectionsStore, reviews: Reviews, key: str = "assign") -> None:
    """Who reviews which sentences: every sentence to one reviewer, a share of them to two for agreement."""
    current = store.assignments(dataset.store_key, lang)
    st.markdown(f"##### Share the {plain(lang)} sentences out")
    st.caption(
        "Each reviewer then finds their sentences on the Review page under 'Given to me'. Sentences given to two "
        "reviewers are reviewed by both, independently: the Agreement view compares them."
    )
    left, right = st.columns([2, 1], gap="large")
    typed = left.text_area(
        "Reviewers, one name per line (as each types it on the Review page)",
        value="\n".join(current),
        key=f"{key}_names",
        height=130,
    )
    overlap = right.slider("Reviewed twice", 0, 50, 10, step=5, format="%d%%", key=f"{key}_overlap") / 100
    seed = right.number_input(
        "Draw number", min_value=0, value=0, step=1, key=f"{key}_seed", help="Same number, same plan"
    )
    names = clean_reviewers(typed.splitlines())
    ids = dataset.sentence_ids(lang)
    try:
        plan = plan_assignments(ids, names, overlap=overlap, seed=int(seed)) if names else {}
    except ProjectionError as err:
        st.error(plain(err))
        plan = {}
    if plan:
        st.dataframe(pd.DataFrame(plan_rows(plan)), hide_index=True, width="stretch")
        if st.button("Save this assignment", key=f"{key}_save", icon=":material/assignment_ind:", type="primary"):
            written = store.set_assignments(
                dataset.store_key, lang, plan, assigned_by=session.author(), dataset_name=dataset.store_name
            )
            st.session_state[MESSAGE] = f"Assignment saved ({written} changes)."
            st.rerun()
    if current:
        st.markdown("##### As assigned now")
        st.dataframe(pd.DataFrame(assignment_rows(dataset, lang, current, reviews)), hide_index=True, width="stretch")


def agreement_view(*, dataset: Dataset, reviews_by_lang: Mapping[str, Reviews]) -> None:
    """Span F1 and Cohen's kappa on tokens for every pair of reviewers, per language."""
    st.markdown("##### How far reviewers agree")
    st.caption(
        "For every two reviewers, over the sentences both reviewed. Span F1: the share of spans both made "
        "(same words, same label). Kappa: how often both gave a word the same label (O outside entities), "
        "corrected for the agreement their label frequencies would give by chance; 1 is full agreement, 0 "
        "chance level."
    )
    rows = []
    for lang, reviews in reviews_by_lang.items():
        for pair in pairwise_agreement(reviewer_versions(dataset, lang, reviews)):
            rows.append(
                {
                    "language": pair.lang,
                    "reviewers": f"{pair.first} · {pair.second}",
                    "sentences": pair.sentences,
                    "spans (first)": pair.spans_first,
                    "spans (second)": pair.spans_second,
                    "shared spans": pair.shared_spans,
                    "span F1": pair.span_f1,
                    "tokens": pair.tokens,
                    "kappa": pair.kappa,
                }
            )
    if not rows:
        st.info("No two reviewers have reviewed the same sentence yet. Give some sentences to two of them (Assign).")
        return
    table = pd.DataFrame(rows)
    st.dataframe(
        table.style.format({"span F1": "{:.3f}", "kappa": "{:.3f}"}, na_rep="—"), hide_index=True, width="stretch"
    )


def dispute_label(dispute: Dispute, tokens: Sequence[str]) -> str:
    state = "settled" if dispute.adjudicated is not None else "open"
    return f"{dispute.sentence.sentence_id} · {state} · {' '.join(tokens)}"


def adjudication_view(
    *, dataset: Dataset, lang: str, method: str, store: CorrectionsStore, reviews: Reviews, key: str = "adjudicate"
) -> None:
    """A sentence the reviewers disagree on: their versions side by side, and the spans to keep."""
    found = disputes(dataset, lang, reviews)
    st.markdown("##### Settle disagreements")
    if not found:
        st.info("The reviewers agree on every sentence they share (or share none yet).")
        return
    open_count = sum(dispute.adjudicated is None for dispute in found)
    st.caption(f"{len(found)} sentence(s) with reviews that differ, {open_count} not settled yet.")
    by_id = {dispute.sentence.sentence_id: dispute for dispute in found}
    records = {sid: first_record(dataset, lang, sid, method) for sid in by_id}
    chosen = st.selectbox(
        "Sentence",
        list(by_id),
        key=f"{key}_sentence",
        format_func=lambda sid: dispute_label(by_id[sid], records[sid].target.tokens if records[sid] else []),
    )
    dispute, record = by_id[chosen], records[chosen]
    assert record is not None
    tokens = record.target.tokens
    versions = dispute.sentence.spans
    for reviewer, spans in versions.items():
        st.html(render_tokens(tokens, spans, caption=f"{reviewer}'s version"))
    if dispute.adjudicated is not None:
        st.html(
            render_tokens(
                tokens,
                dispute.adjudicated.spans_or(record.projected),
                caption=f"Adjudicated by {dispute.adjudicated.owner}",
            )
        )
    before = list(record.projected) if dispute.adjudicated is None else dispute.adjudicated.spans_or(record.projected)
    adjudicator = session.author()
    where = {
        "lang": lang,
        "text_hash": dataset.text_hash(lang, chosen),
        "dataset_name": dataset.store_name,
        "track": ADJUDICATION,
        "method": method,
    }

    def settle(kept: list) -> None:
        try:
            after = adjudicated_spans(kept)
            store.save(dataset.store_key, chosen, before, after, author=adjudicator, action=ADJUDICATE, **where)
        except ProjectionError as err:
            st.session_state[MESSAGE] = str(err)
        else:
            st.session_state[MESSAGE] = f"Sentence {chosen} settled by {adjudicator}."

    st.markdown("Keep one reviewer's version:")
    picks = st.columns(len(versions))
    for column, (reviewer, spans) in zip(picks, versions.items(), strict=True):
        column.button(
            plain(f"{reviewer}'s"),
            key=f"{key}_pick_{chosen}_{reviewer}",
            on_click=settle,
            args=(list(spans),),
            width="stretch",
        )
    st.markdown("…or tick the spans to keep (spans on the same words exclude each other):")
    kept_keys = {span.key for span in before} if dispute.adjudicated is not None else None
    ticked = []
    for index, candidate in enumerate(candidates(versions)):
        agreed = len(candidate.reviewers) == len(versions)
        default = agreed if kept_keys is None else candidate.span.key in kept_keys
        box, chip = st.columns([0.4, 6], vertical_alignment="center")
        if box.checkbox("keep", value=default, key=f"{key}_keep_{chosen}_{index}", label_visibility="collapsed"):
            ticked.append(candidate.span)
        chip.html(
            f"{render_span_chip(tokens, candidate.span)} "
            f'<span class="pj-muted">by {escape(", ".join(candidate.reviewers))}</span>'
        )
    actions = st.columns(2)
    actions[0].button(
        "Save the ticked spans",
        key=f"{key}_merge_{chosen}",
        on_click=settle,
        args=(ticked,),
        type="primary",
        icon=":material/gavel:",
        width="stretch",
    )

    def undo() -> None:
        undone = store.undo(dataset.store_key, chosen, author=adjudicator, lang=lang, track=ADJUDICATION)
        st.session_state[MESSAGE] = (
            "Undone." if undone else f"{adjudicator} has no adjudication of this sentence to undo."
        )

    actions[1].button(
        "Undo my last adjudication", key=f"{key}_undo", on_click=undo, icon=":material/undo:", width="stretch"
    )


selected = sidebar.frame()
if selected.dataset is None:
    sidebar.ask_for_a_dataset()
    st.stop()
dataset, lang, method = selected.dataset, selected.lang, selected.method
store = session.corrections_store()
who, which = st.columns([1, 2], gap="large")
session.author_input(who, key="team_author", label="Your name (written with what you save here)")
view = which.segmented_control("View", list(VIEWS), default="assign", format_func=VIEWS.__getitem__, key="team_view")
message = st.session_state.pop(MESSAGE, None)
if message:
    st.toast(plain(message), icon=":material/check:")
reviews = session.dataset_reviews(store, dataset, lang)
if view == "agreement":
    agreement_view(
        dataset=dataset, reviews_by_lang={each: session.dataset_reviews(store, dataset, each) for each in dataset.langs}
    )
elif view == "adjudicate":
    adjudication_view(dataset=dataset, lang=lang, method=method, store=store, reviews=reviews)
else:
    assign_view(dataset=dataset, lang=lang, store=store, reviews=reviews)
