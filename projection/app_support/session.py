"""Streamlit glue the pages share: loaded data sets, the sidebar selection, the current sentence, the store.

Data sets live in the session (each visitor has their own list: the example
plus what they loaded); the example is read once per process
(``st.cache_data``) and the corrections store opened once (``st.cache_resource``).
The current sentence is kept per (data set, language) in plain session
state, so Inspect, Errors and Review agree on it and it survives page changes.
"""

from __future__ import annotations

import getpass
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from projection.app_support.datasets import Dataset, load_example
from projection.app_support.markdown_text import plain
from projection.app_support.navigation import position_label, step
from projection.errors import ProjectionError
from projection.store import CorrectionsStore, default_url

DATASETS = "pj_datasets"
SENTENCE = "pj_sentence"
SELECTION = "pj_selection"
AUTHOR = "pj_author"
LOAD_ERROR = "pj_load_error"
MEMO = "pj_memo"
APP_RAN = "pj_app_ran"
LINKED = "pj_linked_sentence"
SENTENCE_PARAM = "sentence"
FLASH = "pj_flash"
T = TypeVar("T")
PAGES = {
    "data": "pages/data.py",
    "inspect": "pages/inspect.py",
    "errors": "pages/errors.py",
    "review": "pages/review.py",
    "export": "pages/export.py",
}


@dataclass(frozen=True)
class Selection:
    """What the sidebar has chosen; ``dataset`` is None when nothing is loaded."""

    dataset: Dataset | None
    lang: str
    method: str
    profile: str


@st.cache_data(show_spinner="Opening the built-in example …")
def example_datasets() -> list[Dataset]:
    return load_example()


@st.cache_resource(show_spinner=False)
def open_store(url: str) -> CorrectionsStore:
    return CorrectionsStore(url)


def corrections_store() -> CorrectionsStore:
    """The corrections store of this server (``$PROJECTION_CORRECTIONS_URL`` or cache/corrections.sqlite).

    A store that cannot be opened (damaged, not a store, unreachable) stops the page with its message.
    """
    try:
        return open_store(default_url())
    except ProjectionError as err:
        st.error(plain(str(err)))
        st.stop()


def datasets() -> dict[str, Dataset]:
    """This session's data sets by name; the built-in example is loaded on first use."""
    if DATASETS not in st.session_state:
        loaded: dict[str, Dataset] = {}
        try:
            loaded = {dataset.name: dataset for dataset in example_datasets()}
        except ProjectionError as err:
            st.session_state[LOAD_ERROR] = str(err)
        st.session_state[DATASETS] = loaded
    return st.session_state[DATASETS]


def add_dataset(dataset: Dataset) -> None:
    """Add (or replace) a data set; the sidebar selects it from the next run on."""
    datasets()[dataset.name] = dataset
    st.session_state["sb_dataset_kept"] = dataset.name


def selection() -> Selection:
    """The sidebar's choice for this run (see :func:`projection.app_support.sidebar.frame`)."""
    found = st.session_state.get(SELECTION)
    return found if found is not None else Selection(None, "", "", "")


def memo(key: tuple, compute: Callable[[], T]) -> T:
    """A result computed once per session (no copying, unlike ``st.cache_data``); key it by ``Dataset.uid``."""
    found = st.session_state.setdefault(MEMO, {})
    if key not in found:
        found[key] = compute()
    return found[key]


def progress_reporter(bar: DeltaGenerator) -> Callable[[float, str], None]:
    """``report(fraction, message)`` updating ``bar``, callable from the pipeline's worker threads too.

    Streamlit elements may only be touched from a thread that carries this
    script run's context, so a worker thread is given it on its first call.
    """
    context = get_script_run_ctx()
    lock = threading.Lock()

    def report(fraction: float, message: str) -> None:
        with lock:
            if get_script_run_ctx(suppress_warning=True) is None:
                add_script_run_ctx(threading.current_thread(), context)
            bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    return report


def default_author() -> str:
    try:
        return os.environ.get("PROJECTION_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


def author() -> str:
    return st.session_state.get(AUTHOR) or default_author()


def current_sentence(dataset: Dataset, lang: str) -> str | None:
    """The sentence shown on Inspect and Review for this data set and language (the first one at first)."""
    ids = dataset.sentence_ids(lang)
    if not ids:
        return None
    chosen = st.session_state.setdefault(SENTENCE, {}).get((dataset.name, lang))
    return chosen if chosen in ids else ids[0]


def set_sentence(dataset: Dataset, lang: str, sentence_id: str) -> None:
    st.session_state.setdefault(SENTENCE, {})[(dataset.name, lang)] = sentence_id


def open_sentence(dataset: Dataset, lang: str, sentence_id: str, page: str = "inspect") -> None:
    """Show a sentence on another page (the Errors list opens sentences in Inspect)."""
    set_sentence(dataset, lang, sentence_id)
    st.switch_page(PAGES[page])


def follow_link(dataset: Dataset, lang: str) -> None:
    """Open the sentence a shared link names (``?sentence=ex-12``), once per session and link."""
    wanted = st.query_params.get(SENTENCE_PARAM)
    if wanted and wanted != st.session_state.get(LINKED) and wanted in dataset.sentence_ids(lang):
        set_sentence(dataset, lang, wanted)
    st.session_state[LINKED] = wanted


def sentence_navigator(dataset: Dataset, lang: str, key: str, *, preview: int = 9) -> str | None:
    """Previous / next buttons (← →), a jump box and the position; returns the current sentence id.

    The current sentence is also written into the address (``?sentence=``),
    so that a link to the page opens on it.
    """
    ids = dataset.sentence_ids(lang)
    follow_link(dataset, lang)
    current = current_sentence(dataset, lang)
    if current is None:
        st.info("This data set has no sentences in this language.")
        return None
    st.query_params[SENTENCE_PARAM] = current
    st.session_state[LINKED] = current
    first_method = dataset.methods(lang)[0]

    def move(delta: int) -> None:
        set_sentence(dataset, lang, step(ids, current_sentence(dataset, lang), delta))

    def jump() -> None:
        set_sentence(dataset, lang, st.session_state[f"{key}_jump"])

    def describe(sentence_id: str) -> str:
        record = dataset.record(lang, first_method, sentence_id)
        words = " ".join(record.target.tokens[:preview]) if record else ""
        return (
            f"{sentence_id} · {words} …"
            if record and len(record.target.tokens) > preview
            else f"{sentence_id} · {words}"
        )

    st.session_state[f"{key}_jump"] = current
    back, forward, box, where = st.columns([1.35, 1.35, 5.3, 1], vertical_alignment="center")
    back.button(
        "◀ Previous",
        key=f"{key}_prev",
        on_click=move,
        args=(-1,),
        shortcut="Left",
        width="stretch",
        disabled=ids.index(current) == 0,
    )
    forward.button(
        "Next ▶",
        key=f"{key}_next",
        on_click=move,
        args=(1,),
        shortcut="Right",
        width="stretch",
        disabled=ids.index(current) == len(ids) - 1,
    )
    box.selectbox(
        "Jump to sentence", ids, key=f"{key}_jump", on_change=jump, format_func=describe, label_visibility="collapsed"
    )
    where.markdown(f"**{position_label(ids, current)}**")
    return current
