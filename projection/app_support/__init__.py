"""What the Streamlit pages share: data loading, HTML and chart rendering, comparisons, edits and export.

Everything here is plain Python without Streamlit, tested directly, except
what draws widgets or keeps session state: :mod:`~projection.app_support.session`,
:mod:`~projection.app_support.sidebar`, :mod:`~projection.app_support.projector_knobs`,
:mod:`~projection.app_support.what_if_view`, the picker of
:mod:`~projection.app_support.priors_choice`, and the session store behind
:mod:`~projection.app_support.link_edits`; the pages only arrange it.
"""
