"""Streamlit glue the pages share: loaded data sets, the sidebar selection, the current sentence, the store.

The data sets are the built-in example and the workspace's
(:mod:`projection.app_support.workspace`): whatever anyone loaded or projected
on this server, kept on disk, so a reload, a shared link or a restart finds
them again. Each is read once per process (``st.cache_resource``, shared, not
copied) and the session's list follows the workspace on every run. The
corrections store is opened once per process. The current sentence is kept
per (data set, language) in plain session state, so Inspect, Errors and
Review agree on it and it survives page changes.
"""

from __future__ import annotations

import getpass
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from projection.app_support import workspace
from projection.app_support.datasets import Dataset, load_example
from projection.app_support.markdown_text import plain
from projection.app_support.navigation import position_label, step
from projection.app_support.reviewing import Reviews, store_keys
from projection.errors import ProjectionError
from projection.store import CorrectionsStore, default_url

DATASETS = "pj_datasets"
REVIEWS = "pj_reviews"
WORKSPACE_SEEN = "pj_workspace_seen"
SENTENCE = "pj_sentence"
SELECTION = "pj_selection"
AUTHOR = "pj_author"
LOAD_ERROR = "pj_load_error"
MEMO = "pj_memo"
APP_RAN = "pj_app_ran"
LINKED = "pj_linked_sentence"
LINKED_DATASET = "pj_linked_dataset"
SENTENCE_PARAM = "sentence"
DATASET_PARAM = "dataset"
FLASH = "pj_flash"
KEPT = "sb_kept"
"""The sidebar's choices, ``{(widget key, scope): value}``: kept in plain session state, which page changes keep."""
DATASET_BOX = "sb_dataset"
T = TypeVar("T")
PAGES = {
    "data": "pages/data.py",
    "inspect": "pages/inspect.py",
    "errors": "pages/errors.py",
    "review": "pages/review.py",
    "team": "pages/team.py",
    "export": "pages/export.py",
}


@dataclass(frozen=True)
class Selection:
    """What the sidebar has chosen; ``dataset`` is None when nothing is loaded."""

    dataset: Dataset | None
    lang: str
    method: str
    profile: str


@st.cache_resource(show_spinner="Opening the built-in example …")
def example_datasets() -> list[Dataset]:
    return load_example()


@st.cache_resource(show_spinner="Opening the workspace …", max_entries=256)
def workspace_dataset(folder: str, changed: int) -> Dataset:
    """One workspace entry, read once per process and version of its manifest (``changed``)."""
    return workspace.load_entry(Path(folder))


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


def _workspace_datasets(problems: list[str]) -> dict[str, Dataset]:
    found: dict[str, Dataset] = {}
    for entry in workspace.entries():
        try:
            dataset = workspace_dataset(str(entry.folder), entry.changed)
        except ProjectionError as err:
            problems.append(str(err))
            continue
        found[dataset.ident] = dataset
    return found


def datasets() -> dict[str, Dataset]:
    """The data sets by identity: the built-in example, then the workspace's, oldest first.

    The workspace is looked at on every run (one directory listing), so a
    data set someone else loaded, or removed, shows here too.
    """
    seen = tuple(workspace.entries())
    if DATASETS in st.session_state and st.session_state.get(WORKSPACE_SEEN) == seen:
        return st.session_state[DATASETS]
    problems: list[str] = []
    loaded: dict[str, Dataset] = {}
    try:
        loaded = {dataset.ident: dataset for dataset in example_datasets()}
    except ProjectionError as err:
        problems.append(str(err))
    loaded.update(_workspace_datasets(problems))
    if problems:
        st.session_state[LOAD_ERROR] = " ".join(problems)
    else:
        st.session_state.pop(LOAD_ERROR, None)
    st.session_state[DATASETS] = loaded
    st.session_state[WORKSPACE_SEEN] = seen
    return loaded


def add_dataset(dataset: Dataset) -> Dataset:
    """Add a data set to the workspace (an earlier load of the same one gains its methods) and select it.

    Returns the data set as kept. If the workspace cannot be written, the
    data set stays in this session only, and the problem is raised after.
    """
    known = datasets().get(dataset.ident)
    kept = known.with_runs(dataset.runs) if known is not None and known.source != "built-in example" else dataset
    kept.notes = dataset.notes
    st.session_state[DATASETS] = {**datasets(), kept.ident: kept}
    keep_choice(DATASET_BOX, kept.ident)
    workspace.save_dataset(kept)
    st.session_state[WORKSPACE_SEEN] = tuple(workspace.entries())  # this session holds it already: no re-reading
    return kept


def remove_dataset(dataset: Dataset) -> None:
    """Take a data set out of the workspace and this session (its corrections stay in the store)."""
    workspace.remove_dataset(dataset.ident)
    st.session_state[DATASETS] = {ident: found for ident, found in datasets().items() if ident != dataset.ident}
    st.session_state[WORKSPACE_SEEN] = tuple(workspace.entries())


def kept_choice(key: str, scope: str = "") -> object:
    return st.session_state.setdefault(KEPT, {}).get((key, scope))


def keep_choice(key: str, value: object, scope: str = "") -> None:
    st.session_state.setdefault(KEPT, {})[(key, scope)] = value


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


def dataset_reviews(store: CorrectionsStore, dataset: Dataset, lang: str) -> Reviews:
    """Every version the store holds for the data set's sentences in ``lang``, read again only when it changed."""
    keys = store_keys(dataset)
    stamp = store.last_change(*keys)
    found = st.session_state.setdefault(REVIEWS, {})
    kept = found.get((dataset.uid, lang))
    if kept is None or kept[0] != stamp:
        kept = (stamp, store.reviews(*keys, lang=lang))
        found[(dataset.uid, lang)] = kept
    return kept[1]


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


def author_input(column: DeltaGenerator, *, key: str, label: str) -> str:
    """The reviewer's name field, shared by every page that saves: a name typed on one page is everyone's."""

    def remember() -> None:
        st.session_state[AUTHOR] = st.session_state[key].strip()

    st.session_state[key] = author()
    column.text_input(label, key=key, on_change=remember)
    return author()


def current_sentence(dataset: Dataset, lang: str, order: Sequence[str] | None = None) -> str | None:
    """The sentence shown on Inspect and Review for this data set and language (the first one at first).

    ``order`` is the list of sentences being gone through (default: all, in
    the data set's order); the current sentence is always one of them.
    """
    ids = dataset.sentence_ids(lang) if order is None else order
    if not ids:
        return None
    chosen = st.session_state.setdefault(SENTENCE, {}).get((dataset.ident, lang))
    return chosen if chosen in ids else ids[0]


def set_sentence(dataset: Dataset, lang: str, sentence_id: str) -> None:
    st.session_state.setdefault(SENTENCE, {})[(dataset.ident, lang)] = sentence_id


def open_sentence(dataset: Dataset, lang: str, sentence_id: str, page: str = "inspect") -> None:
    """Show a sentence on another page (the Errors list opens sentences in Inspect)."""
    set_sentence(dataset, lang, sentence_id)
    st.switch_page(PAGES[page])


def follow_dataset_link(loaded: Mapping[str, Dataset]) -> None:
    """Select the data set a link names (``?dataset=KEY``), once per session and link: a reload, or a link
    someone shared, opens on the data set it was made on."""
    wanted = st.query_params.get(DATASET_PARAM)
    if wanted and wanted != st.session_state.get(LINKED_DATASET) and wanted in loaded:
        keep_choice(DATASET_BOX, wanted)
    st.session_state[LINKED_DATASET] = wanted


def show_dataset_in_address(dataset: Dataset) -> None:
    st.query_params[DATASET_PARAM] = dataset.ident
    st.session_state[LINKED_DATASET] = dataset.ident


def follow_link(dataset: Dataset, lang: str) -> None:
    """Open the sentence a shared link names (``?sentence=ex-12``), once per session and link."""
    wanted = st.query_params.get(SENTENCE_PARAM)
    if wanted and wanted != st.session_state.get(LINKED) and wanted in dataset.sentence_ids(lang):
        set_sentence(dataset, lang, wanted)
    st.session_state[LINKED] = wanted


def sentence_navigator(dataset: Dataset, lang: str, key: str, *, order: Sequence[str] | None = None) -> str | None:
    """Previous / next buttons (← →), a jump box and the position; returns the current sentence id.

    ``order`` is the sentences to go through, in the order to go through them
    (default: every sentence, in the data set's order); a page offers its own
    orders (Review: the sentences given to the reviewer). The current sentence
    is also written into the address (``?sentence=``), so that a link to the
    page opens on it. The jump box searches the whole sentence.
    """
    ids = list(dataset.sentence_ids(lang) if order is None else order)
    follow_link(dataset, lang)
    current = current_sentence(dataset, lang, ids)
    if current is None:
        st.info("There are no sentences to go through here.")
        return None
    set_sentence(dataset, lang, current)
    st.query_params[SENTENCE_PARAM] = current
    st.session_state[LINKED] = current
    first_method = dataset.methods(lang)[0]
    position = ids.index(current)

    def move(delta: int) -> None:
        set_sentence(dataset, lang, step(ids, current_sentence(dataset, lang, ids), delta))

    def jump() -> None:
        set_sentence(dataset, lang, st.session_state[f"{key}_jump"])

    def describe(sentence_id: str) -> str:
        record = dataset.record(lang, first_method, sentence_id)
        return f"{sentence_id} · {' '.join(record.target.tokens)}" if record else sentence_id

    st.session_state[f"{key}_jump"] = current
    back, forward, box, where = st.columns([1.35, 1.35, 5.3, 1], vertical_alignment="center")
    back.button(
        "◀ Previous",
        key=f"{key}_prev",
        on_click=move,
        args=(-1,),
        shortcut="Left",
        width="stretch",
        disabled=position == 0,
    )
    forward.button(
        "Next ▶",
        key=f"{key}_next",
        on_click=move,
        args=(1,),
        shortcut="Right",
        width="stretch",
        disabled=position == len(ids) - 1,
    )
    box.selectbox(
        "Jump to sentence", ids, key=f"{key}_jump", on_change=jump, format_func=describe, label_visibility="collapsed"
    )
    where.markdown(f"**{position_label(ids, current)}**")
    return current
