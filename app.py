"""Projection inspector: ``streamlit run app.py``.

Builds the navigation over the scripts in ``pages/`` and the sidebar every
page shares (data set, language, method, profile). Opens on the built-in
English-Spanish example, precomputed in ``cache/example/``, so it needs no
model, network or Apertium to start.
"""

from __future__ import annotations

import streamlit as st

from projection.app_support import session, sidebar

sidebar.setup_page()
pages = [
    st.Page("pages/inspect.py", title="Inspect", icon=":material/search:", default=True),
    st.Page("pages/errors.py", title="Errors", icon=":material/bug_report:"),
    st.Page("pages/review.py", title="Review", icon=":material/edit_note:"),
    st.Page("pages/team.py", title="Team", icon=":material/groups:"),
    st.Page("pages/export.py", title="Export", icon=":material/download:"),
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
]
navigation = st.navigation(pages, position="top")
st.session_state[session.SELECTION] = sidebar.draw_sidebar()
st.session_state[session.APP_RAN] = True
navigation.run()
