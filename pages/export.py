"""Export: the command line's writers, corrections merged, with progress and a download button."""

from __future__ import annotations

import re

import streamlit as st

from projection.app_support import session, sidebar
from projection.app_support.exporting import export_formats, export_records
from projection.app_support.markdown_text import plain
from projection.errors import ProjectionError

RESULT = "export_result"
PREVIEW_LINES = 25

selected = sidebar.frame()
dataset, lang, method = selected.dataset, selected.lang, selected.method
if dataset is None:
    st.info("Load a data set on the Data page first.")
    st.page_link(session.PAGES["data"], label="Open the Data page", icon=":material/upload_file:")
    st.stop()
store = session.corrections_store()

st.markdown(f"#### Export **{plain(dataset.title)}**")
st.caption(
    "The same writers as `python -m projection export`: the target tokens with the projected spans of the "
    "method chosen in the sidebar, each corrected sentence with its corrected spans instead."
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

records = [record for each in langs for record in dataset.records(each, method)]
corrections: dict = {}
reviewed_ids: set[str] = set()
for each in langs:
    corrections.update(store.current(dataset.store_key, each))
    reviewed_ids |= store.reviewed(dataset.store_key, each)
ids = {record.id for record in records}
chosen_ids = ids & reviewed_ids if only_reviewed else ids
n_corrected = len(set(corrections) & chosen_ids) if merge else 0

summary = st.columns(3)
summary[0].metric("Sentences", len(chosen_ids))
summary[1].metric("With corrections", n_corrected)
summary[2].metric("Reviewed", len(ids & reviewed_ids))

options = (dataset.uid, tuple(langs), method, fmt, merge, only_reviewed)
stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{dataset.name}-{'-'.join(langs)}-{method}")
if st.button("Prepare export", icon=":material/inventory_2:", type="primary", disabled=not chosen_ids, key="export_go"):
    bar = st.progress(0.0, text="Writing …")
    try:
        result = export_records(
            records,
            fmt,
            stem=stem,
            corrections=corrections if merge else None,
            only_ids=chosen_ids,
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
    st.success(
        plain(
            f"{result.filename}: {result.n_sentences} sentences, {result.n_corrected} with corrections, "
            f"{len(result.data) / 1024:.1f} kB"
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
