"""Export: the command line's writers, reviews merged, with each sentence's review status, progress and a download."""

from __future__ import annotations

import re

import streamlit as st

from projection.app_support import session, sidebar
from projection.app_support.exporting import export_formats, export_plan, export_records, stored_corrections
from projection.app_support.markdown_text import plain
from projection.app_support.reviewing import store_keys
from projection.errors import ProjectionError
from projection.store import REVIEW_STATUSES

RESULT = "export_result"
PREVIEW_LINES = 25

selected = sidebar.frame()
dataset, lang, method = selected.dataset, selected.lang, selected.method
if dataset is None:
    sidebar.ask_for_a_dataset()
    st.stop()
store = session.corrections_store()

st.markdown(f"#### Export **{plain(dataset.title)}**")
st.caption(
    "The same writers as `python -m projection export`: the target tokens with the projected spans of the "
    "method chosen in the sidebar; a reviewed sentence with its adjudicated version first, else its review. A "
    "sentence whose links were corrected on Inspect is projected again through them (its span correction wins)."
)
choices = st.columns([1.2, 1.2, 1], gap="medium")
langs = choices[0].multiselect("Languages", dataset.langs, default=[lang], key="export_langs")
formats = export_formats()
fmt = choices[1].selectbox(
    "Format", formats, index=formats.index("conll") if "conll" in formats else 0, key="export_format"
)
with choices[2]:
    merge = st.checkbox("Merge corrections", value=True, key="export_merge")
    only_reviewed = st.checkbox("Only reviewed sentences", value=False, key="export_reviewed")
    comments = st.checkbox(
        "CoNLL: a `# id = ...` line before each sentence",
        value=True,
        key="export_comments",
        help="Leave it out for tools that read every line as a token.",
    )

records = [record for each in langs for record in dataset.records(each, method)]
reviews = {each: session.dataset_reviews(store, dataset, each) for each in langs}
links = {each: store.links(*store_keys(dataset), lang=each) for each in langs}
planned = export_plan(dataset, method, reviews, links)
chosen_ids = planned.reviewed_ids if only_reviewed else {record.id for record in records}

shown = planned.statuses if merge else {**dict.fromkeys(REVIEW_STATUSES, 0), REVIEW_STATUSES[0]: len(records)}
summary = st.columns(len(REVIEW_STATUSES) + 1)
summary[0].metric("Sentences", len(chosen_ids))
for column, status in zip(summary[1:], REVIEW_STATUSES, strict=True):
    column.metric(status.capitalize(), shown[status])
if merge and planned.disputed:
    st.warning(
        f"{planned.disputed} sentence(s) have reviews that disagree and no adjudication yet: the newest review is "
        "written. Settle them on the Team page."
    )
if merge and planned.orphans:
    st.caption(f"{planned.orphans} stored review(s) were made on another text of their sentence: not applied.")
if merge and planned.relinked:
    st.caption(
        f"{planned.relinked} sentence(s) with corrected links are projected again through them with the "
        f"{plain(method)} projector; a span correction of the same sentence wins."
    )
if merge and planned.link_orphans:
    st.caption(
        f"{planned.link_orphans} stored link correction(s) were made on another text of their sentence pair: "
        "not applied."
    )
st.caption(plain(f"Corrections key of this data set: {dataset.store_key}"))

options = (dataset.uid, tuple(langs), method, fmt, merge, only_reviewed, comments, planned.statuses, planned.relinked)
stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{dataset.name}-{'-'.join(langs)}-{method}")
if st.button("Prepare export", icon=":material/inventory_2:", type="primary", disabled=not chosen_ids, key="export_go"):
    bar = st.progress(0.0, text="Writing …")
    try:
        result = export_records(
            records,
            fmt,
            stem=stem,
            corrections=stored_corrections(reviews, links) if merge else None,
            only_ids=chosen_ids,
            comments=comments,
            progress=lambda done, total: bar.progress(done / total, text=f"Writing {done} / {total}"),
        )
    except ProjectionError as err:
        bar.empty()
        st.error(plain(err))
    else:
        bar.progress(1.0, text=f"{result.n_sentences} sentences written")
        st.session_state[RESULT] = (options, result)

options_now, result = st.session_state.get(RESULT, (None, None))
if result is not None and options_now == options:
    written = ", ".join(f"{count} {status}" for status, count in result.statuses.items()) if result.statuses else ""
    st.success(
        plain(
            f"{result.filename}: {result.n_sentences} sentences"
            + (f" ({written})" if written else "")
            + (f", {result.n_relinked} projected again through corrected links" if result.n_relinked else "")
            + f", {len(result.data) / 1024:.1f} kB"
        )
    )
    st.download_button(
        plain(f"Download {result.filename}"),
        data=result.data,
        file_name=result.filename,
        mime=result.mime,
        icon=":material/download:",
        key="export_download",
    )
    if result.mime.startswith("text/") or result.mime.endswith("json") or result.mime.endswith("ndjson"):
        text = result.data.decode("utf-8", errors="replace")
        st.code("\n".join(text.splitlines()[:PREVIEW_LINES]), language=None)
