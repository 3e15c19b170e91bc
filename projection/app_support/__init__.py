"""What the Streamlit pages share: data loading, HTML and chart rendering, comparisons, edits and export.

Everything here except :mod:`projection.app_support.session` is plain Python
without Streamlit, so it is tested directly; the pages only arrange it.
"""
