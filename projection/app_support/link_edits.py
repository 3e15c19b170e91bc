"""Link edits made on Inspect: which links a researcher added to or removed from a sentence's alignment.

One small interface, :func:`current`, :func:`save`, :func:`reset` and
:func:`toggle`, keyed by data set, language and sentence, so that the page
never depends on where edits are kept. They are kept in the session for now:
an edit lives as long as the visit, and a data set loaded again starts from
the aligner's links. An edit is relative to the aligner's links (links added,
links removed), so it applies to the records of every method of the data set,
which share one alignment.

A click on the heatmap arrives as a chart selection (:func:`selected_links`);
the selects of the token pair arrive as the same ``(source, target)`` link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from projection.app_support.datasets import Dataset
from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.pipeline.reproject import Link, LinkEdit, check_aligned

EDITS = "pj_link_edits"
REVISION = "pj_link_revision"
Key = tuple[str, str, str]


def _state(state: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
    if state is not None:
        return state
    import streamlit as st

    return st.session_state


def _edits(state: MutableMapping[str, Any] | None) -> dict[Key, LinkEdit]:
    return _state(state).setdefault(EDITS, {})


def edit_key(dataset: Dataset, lang: str, sentence_id: str) -> Key:
    """Edits belong to one load of a data set (its ``uid``): a data set loaded again starts afresh."""
    return (dataset.uid, lang, sentence_id)


def current(
    dataset: Dataset, lang: str, sentence_id: str, *, state: MutableMapping[str, Any] | None = None
) -> LinkEdit:
    """The sentence's edit (empty when its links are the aligner's)."""
    return _edits(state).get(edit_key(dataset, lang, sentence_id), LinkEdit())


def revision(state: MutableMapping[str, Any] | None = None) -> int:
    """A number that changes with every saved edit, so a chart keyed by it is drawn afresh, its selection cleared."""
    return int(_state(state).get(REVISION, 0))


def save(
    dataset: Dataset, lang: str, sentence_id: str, edit: LinkEdit, *, state: MutableMapping[str, Any] | None = None
) -> None:
    """Keep ``edit`` as the sentence's edit; an empty edit is the same as :func:`reset`."""
    edits = _edits(state)
    key = edit_key(dataset, lang, sentence_id)
    if edit:
        edits[key] = edit
    else:
        edits.pop(key, None)
    store = _state(state)
    store[REVISION] = revision(store) + 1


def reset(dataset: Dataset, lang: str, sentence_id: str, *, state: MutableMapping[str, Any] | None = None) -> None:
    """Back to the aligner's links."""
    save(dataset, lang, sentence_id, LinkEdit(), state=state)


def edited(dataset: Dataset, lang: str, *, state: MutableMapping[str, Any] | None = None) -> dict[str, LinkEdit]:
    """The edits of the language's sentences, by sentence id."""
    return {key[2]: edit for key, edit in _edits(state).items() if key[:2] == (dataset.uid, lang)}


def toggle(
    dataset: Dataset,
    lang: str,
    record: ProjectionRecord,
    links: Iterable[Link],
    *,
    state: MutableMapping[str, Any] | None = None,
) -> LinkEdit:
    """Switch each of ``links`` (add it, or take it out) in the sentence's edit, and keep the result.

    A record without alignment (gold or imported spans) is refused, and so
    is a link outside the sentence pair, each with a :class:`ProjectionError`.
    """
    check_aligned(record)
    n_src, n_tgt = len(record.source.tokens), len(record.target.tokens)
    edit = current(dataset, lang, record.id, state=state)
    for i, j in links:
        if not (0 <= i < n_src and 0 <= j < n_tgt):
            raise ProjectionError(
                f"Source token {i} and target token {j} do not make a link of sentence {record.id} "
                f"({n_src} source and {n_tgt} target tokens)."
            )
        edit = edit.toggled((i, j), record.alignment)
    save(dataset, lang, record.id, edit, state=state)
    return edit


def selected_links(selection: Mapping[str, Any] | None) -> list[Link]:
    """The cells a chart selection points at, as ``(source, target)`` links (rows are source tokens).

    Every marker of the alignment chart sits on a cell centre, so a point's
    ``x`` is the target token and ``y`` the source token; points without
    both, or repeated, are left out.
    """
    found: list[Link] = []
    for point in (selection or {}).get("points") or []:
        x, y = point.get("x"), point.get("y")
        if isinstance(x, int | float) and isinstance(y, int | float):
            link = (round(y), round(x))
            if link not in found:
                found.append(link)
    return found
