"""Link edits made on Inspect: which links a researcher added to or removed from a sentence's alignment.

One small interface, :func:`current`, :func:`save`, :func:`reset`,
:func:`undo` and :func:`toggle`, keyed by data set, language and sentence, so
that the page never depends on where edits are kept. They are kept in the
corrections store (:meth:`projection.store.CorrectionsStore.save_links`),
under the data set's store key like its span edits, with who made them and
when: a reload, another browser or a restarted server finds them again, and
the export projects those sentences again through them. A sentence has one
link correction that everyone edits; it fits only the sentence pair it was
made on (its pair hash), and one made on another text of the sentence id is
an orphan (:func:`orphans`), never applied. An edit is relative to the
aligner's links (links added, links removed), so it applies to the records of
every method of the data set, which share one alignment.

A click on the heatmap arrives as a chart selection (:func:`selected_links`);
the selects of the token pair arrive as the same ``(source, target)`` link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from projection.app_support.datasets import Dataset
from projection.app_support.reviewing import first_record, store_keys
from projection.data import ProjectionRecord
from projection.errors import ProjectionError
from projection.link_edit import Link, LinkEdit
from projection.pipeline.reproject import check_aligned
from projection.store import CorrectionsStore, LinkVersion, SentenceLinks, pair_hash
from projection.store.edits import UNDO

REVISION = "pj_link_revision"
TOGGLE = "toggle"
RESET = "reset"


def _state(state: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
    if state is not None:
        return state
    import streamlit as st

    return st.session_state


def _store(store: CorrectionsStore | None) -> CorrectionsStore:
    if store is not None:
        return store
    from projection.app_support import session

    return session.corrections_store()


def _author(author: str | None) -> str:
    if author is not None:
        return author
    from projection.app_support import session

    return session.author()


def sentence_pair_hash(dataset: Dataset, lang: str, sentence_id: str) -> str:
    """The hash of the sentence pair a link edit is made on (every method shares the pair)."""
    record = first_record(dataset, lang, sentence_id)
    if record is None:
        raise ProjectionError(f"The data set {dataset.title} has no sentence {sentence_id} in {lang}.")
    return pair_hash(record.source.tokens, record.target.tokens)


def _stored(dataset: Dataset, lang: str, sentence_id: str, store: CorrectionsStore | None) -> SentenceLinks | None:
    return _store(store).links(*store_keys(dataset), lang=lang, sentence_id=sentence_id).get((lang, sentence_id))


def current(dataset: Dataset, lang: str, sentence_id: str, *, store: CorrectionsStore | None = None) -> LinkEdit:
    """The sentence's edit (empty when its links are the aligner's)."""
    found = _stored(dataset, lang, sentence_id, store)
    return LinkEdit() if found is None else found.fitting(sentence_pair_hash(dataset, lang, sentence_id))


def orphans(
    dataset: Dataset, lang: str, sentence_id: str, *, store: CorrectionsStore | None = None
) -> list[LinkVersion]:
    """Stored edits of this sentence id made on another sentence pair: shown, never applied."""
    found = _stored(dataset, lang, sentence_id, store)
    return [] if found is None else found.orphans(sentence_pair_hash(dataset, lang, sentence_id))


def revision(state: MutableMapping[str, Any] | None = None) -> int:
    """A number that changes with every saved edit, so a chart keyed by it is drawn afresh, its selection cleared."""
    return int(_state(state).get(REVISION, 0))


def _changed(state: MutableMapping[str, Any] | None) -> None:
    kept = _state(state)
    kept[REVISION] = revision(kept) + 1


def save(
    dataset: Dataset,
    lang: str,
    sentence_id: str,
    edit: LinkEdit,
    *,
    action: str = TOGGLE,
    state: MutableMapping[str, Any] | None = None,
    store: CorrectionsStore | None = None,
    author: str | None = None,
) -> None:
    """Keep ``edit`` as the sentence's edit, by ``author`` (default: the app's reviewer name); an empty edit
    is the same as :func:`reset`, and an edit equal to the stored one writes nothing."""
    store = _store(store)
    before = current(dataset, lang, sentence_id, store=store)
    if edit == before:
        return
    record = first_record(dataset, lang, sentence_id)
    store.save_links(
        dataset.store_key,
        sentence_id,
        before,
        edit,
        author=_author(author),
        lang=lang,
        action=action,
        method="" if record is None else str(record.provenance.get("method") or ""),
        text_hash=sentence_pair_hash(dataset, lang, sentence_id),
        dataset_name=dataset.store_name,
    )
    _changed(state)


def reset(
    dataset: Dataset,
    lang: str,
    sentence_id: str,
    *,
    state: MutableMapping[str, Any] | None = None,
    store: CorrectionsStore | None = None,
    author: str | None = None,
) -> None:
    """Back to the aligner's links (a stored edit too, which :func:`undo` takes back)."""
    save(dataset, lang, sentence_id, LinkEdit(), action=RESET, state=state, store=store, author=author)


def undoable(
    dataset: Dataset,
    lang: str,
    sentence_id: str,
    *,
    store: CorrectionsStore | None = None,
    author: str | None = None,
) -> bool:
    """Whether ``author`` has a link edit of this sentence pair that is not undone yet."""
    pair = sentence_pair_hash(dataset, lang, sentence_id)
    who = _author(author)
    history = [
        edit for edit in _store(store).link_history(dataset.store_key, sentence_id, lang=lang) if edit.text_hash == pair
    ]
    return any(edit.author == who and edit.action != UNDO and edit.undone_by is None for edit in history)


def undo(
    dataset: Dataset,
    lang: str,
    sentence_id: str,
    *,
    state: MutableMapping[str, Any] | None = None,
    store: CorrectionsStore | None = None,
    author: str | None = None,
) -> bool:
    """Take back ``author``'s newest link edit of the sentence (a reset too); False when there is none left."""
    undone = _store(store).undo_links(
        dataset.store_key,
        sentence_id,
        author=_author(author),
        lang=lang,
        text_hash=sentence_pair_hash(dataset, lang, sentence_id),
    )
    if undone is None:
        return False
    _changed(state)
    return True


def edited(dataset: Dataset, lang: str, *, store: CorrectionsStore | None = None) -> dict[str, LinkEdit]:
    """The edits of the language's sentences that fit their sentence pairs, by sentence id."""
    found = {}
    for (_, sentence_id), links in _store(store).links(*store_keys(dataset), lang=lang).items():
        if first_record(dataset, lang, sentence_id) is None:
            continue
        edit = links.fitting(sentence_pair_hash(dataset, lang, sentence_id))
        if edit:
            found[sentence_id] = edit
    return found


def toggle(
    dataset: Dataset,
    lang: str,
    record: ProjectionRecord,
    links: Iterable[Link],
    *,
    state: MutableMapping[str, Any] | None = None,
    store: CorrectionsStore | None = None,
    author: str | None = None,
) -> LinkEdit:
    """Switch each of ``links`` (add it, or take it out) in the sentence's edit, and keep the result.

    A record without alignment (gold or imported spans) is refused, and so
    is a link outside the sentence pair, each with a :class:`ProjectionError`.
    """
    check_aligned(record)
    n_src, n_tgt = len(record.source.tokens), len(record.target.tokens)
    store = _store(store)
    edit = current(dataset, lang, record.id, store=store)
    for i, j in links:
        if not (0 <= i < n_src and 0 <= j < n_tgt):
            raise ProjectionError(
                f"Source token {i} and target token {j} do not make a link of sentence {record.id} "
                f"({n_src} source and {n_tgt} target tokens)."
            )
        edit = edit.toggled((i, j), record.alignment)
    save(dataset, lang, record.id, edit, state=state, store=store, author=author)
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
