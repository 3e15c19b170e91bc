"""The frame every page shares: page setup and the sidebar (data set, language, method, profile)."""

from __future__ import annotations

import streamlit as st

from projection.app_support import session
from projection.app_support.markdown_text import plain
from projection.app_support.profiles import profile_names
from projection.app_support.style import APP_CSS

PREFERRED_METHOD = "heuristic"
PREFERRED_PROFILE = "offline"


def setup_page() -> None:
    st.set_page_config(page_title="Projection inspector", page_icon="🌐", layout="wide")
    st.html(APP_CSS)


def kept_key(key: str) -> str:
    return f"{key}_kept"


def _keep(key: str) -> None:
    st.session_state[kept_key(key)] = st.session_state[key]


def choice(label: str, options: list[str], key: str, preferred: str | None = None, **options_kw: object) -> str:
    """A selectbox whose choice survives page changes and stays valid when its options change.

    Widget state is dropped when a page that drew the widget is left, so the
    choice lives under a plain key (``<key>_kept``) and is handed back to the
    widget on every run.
    """
    current = st.session_state.get(kept_key(key))
    if current not in options:
        current = preferred if preferred in options else options[0]
    st.session_state[kept_key(key)] = current
    st.session_state[key] = current
    return st.selectbox(label, options, key=key, on_change=_keep, args=(key,), **options_kw)


def select(key: str, value: str) -> None:
    """Choose ``value`` in a sidebar box from anywhere (it shows on the next run)."""
    st.session_state[kept_key(key)] = value


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
        name = choice("Data set", list(loaded), "sb_dataset", format_func=lambda n: loaded[n].title)
        dataset = loaded[name]
        if dataset.description:
            st.caption(plain(dataset.description))
        lang = choice("Language", dataset.langs, "sb_lang", help="Language that receives the spans")
        methods = dataset.methods(lang)
        method = choice("Method", methods, "sb_method", PREFERRED_METHOD, help="Projection method shown and exported")
        profile = choice(
            "Model profile",
            profiles,
            "sb_profile",
            PREFERRED_PROFILE,
            help="Translator, NER model and aligner used when you project new data on the Data page.",
        )
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
