"""The frame every page shares: page setup and the sidebar (data set, language, method, profile)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import streamlit as st

from projection.app_support import session
from projection.app_support.datasets import Dataset
from projection.app_support.glossary import explain_method, explain_profile
from projection.app_support.markdown_text import plain
from projection.app_support.profiles import profile_names
from projection.app_support.style import APP_CSS
from projection.languages import find_language

PREFERRED_METHOD = "heuristic"
PREFERRED_PROFILE = "offline"


def setup_page() -> None:
    st.set_page_config(page_title="Projection inspector", page_icon="🌐", layout="wide")
    st.html(APP_CSS)


DATASET_BOX = session.DATASET_BOX


def _keep(key: str, scope: str) -> None:
    session.keep_choice(key, st.session_state[key], scope)


def choice(
    label: str, options: list[str], key: str, preferred: str | None = None, *, scope: str = "", **options_kw: object
) -> str:
    """A selectbox whose choice survives page changes and stays valid when its options change.

    Widget state is dropped when a page that drew the widget is left, so the
    choice lives in plain session state (:func:`session.kept_choice`) and is handed back to
    the widget on every run. ``scope`` keeps one choice per scope: the
    language and method are chosen per data set, so a method picked for one
    data set is never carried over to another, and each is found again as it
    was left.
    """
    current = session.kept_choice(key, scope)
    if current not in options:
        current = preferred if preferred in options else options[0]
    session.keep_choice(key, current, scope)
    st.session_state[key] = current
    return st.selectbox(label, options, key=key, on_change=_keep, args=(key, scope), **options_kw)


def select(key: str, value: str, scope: str = "") -> None:
    """Choose ``value`` in a sidebar box from anywhere (it shows on the next run)."""
    session.keep_choice(key, value, scope)


def dataset_titles(loaded: Mapping[str, Dataset]) -> dict[str, str]:
    """What the data set box shows for each data set: its title, with a part of its key where titles repeat."""
    counts = Counter(dataset.title for dataset in loaded.values())
    return {
        ident: dataset.title if counts[dataset.title] == 1 else f"{dataset.title} · {ident.rsplit('@', 1)[-1][:6]}"
        for ident, dataset in loaded.items()
    }


def language_label(code: str) -> str:
    """``sw · Swahili``: a language code with its name where the language table knows it."""
    found = find_language(code)
    return f"{code} · {found.name}" if found is not None else code


def draw_sidebar() -> session.Selection:
    """The sidebar's widgets; returns what they choose."""
    loaded = session.datasets()
    profiles = profile_names()
    with st.sidebar:
        st.markdown("### :material/translate: Projection inspector")
        if session.LOAD_ERROR in st.session_state and not loaded:
            st.warning(plain(st.session_state[session.LOAD_ERROR]))
        if not loaded:
            st.info("No data set is loaded. Open the **Data** page to load one.")
            return session.Selection(None, "", "", PREFERRED_PROFILE)
        titles = dataset_titles(loaded)
        session.follow_dataset_link(loaded)
        ident = choice("Data set", list(loaded), DATASET_BOX, format_func=titles.__getitem__)
        dataset = loaded[ident]
        session.show_dataset_in_address(dataset)
        if dataset.description:
            st.caption(plain(dataset.description))
        lang = choice(
            "Language",
            dataset.langs,
            "sb_lang",
            scope=ident,
            format_func=language_label,
            help="Language that receives the spans",
        )
        methods = dataset.methods(lang)
        method = choice(
            "Method",
            methods,
            "sb_method",
            PREFERRED_METHOD,
            scope=f"{ident} {lang}",
            help="Projection method shown and exported",
        )
        st.caption(plain(explain_method(method)))
        profile = choice(
            "Model profile",
            profiles,
            "sb_profile",
            PREFERRED_PROFILE,
            help="Translator, NER model and aligner used when you project new data on the Data page.",
        )
        st.caption(plain(explain_profile(profile)))
        st.caption(f"{dataset.n_sentences(lang)} sentences · {len(methods)} methods · {plain(dataset.source)}")
    return session.Selection(dataset, lang, method, profile)


def frame() -> session.Selection:
    """Page setup and sidebar for this run, drawn by ``app.py`` or, if it did not run, by the page itself.

    Streamlit runs a page script without ``app.py`` when a fresh server's
    first request is a deep link (``/review``), since it then serves
    ``pages/`` directly (and AppTest does so on every rerun); the page then
    draws the frame itself, with the same widget keys, so nothing is lost.
    """
    if st.session_state.pop(session.APP_RAN, False):
        return session.selection()
    setup_page()
    selection = draw_sidebar()
    st.session_state[session.SELECTION] = selection
    return selection


def ask_for_a_dataset() -> None:
    """What a page shows in place of its content while no data set is loaded."""
    st.info("Load a data set on the Data page first.")
    st.page_link(session.PAGES["data"], label="Open the Data page", icon=":material/upload_file:")
