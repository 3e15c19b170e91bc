"""Link corrections in the corrections store, on SQLite and PostgreSQL: one shared version per sentence pair,
append-only with who and when, undo, stale views replayed, and pairs checked by their hash."""

from __future__ import annotations

from projection.data import Span
from projection.link_edit import LinkEdit
from projection.store import CorrectionsStore, pair_hash, text_hash

SOURCE = ["Ana", "visited", "the", "Atlantic", "coast"]
TARGET = ["Ana", "visitó", "la", "costa", "del", "Atlántico"]
PAIR = pair_hash(SOURCE, TARGET)
REMOVED = LinkEdit(removed=((3, 3),))
BOTH = LinkEdit(added=((3, 5),), removed=((3, 3),))


def save(store: CorrectionsStore, before: LinkEdit, after: LinkEdit, author: str, **kw: object) -> int:
    where = {"lang": "es", "text_hash": PAIR, "action": "toggle", **kw}
    return store.save_links("news", "s1", before, after, author=author, **where)  # type: ignore[arg-type]


def current(store: CorrectionsStore, pair: str = PAIR) -> LinkEdit:
    found = store.links("news", lang="es").get(("es", "s1"))
    return LinkEdit() if found is None else found.fitting(pair)


def test_a_link_edit_is_kept_with_who_and_when_and_undo_restores_the_links(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, LinkEdit(), REMOVED, "ana", method="heuristic", dataset_name="News")
    save(store, REMOVED, BOTH, "ana")
    assert current(store) == BOTH
    history = store.link_history("news", "s1", lang="es")
    assert [(edit.action, edit.author, edit.before, edit.after) for edit in history] == [
        ("toggle", "ana", LinkEdit(), REMOVED),
        ("toggle", "ana", REMOVED, BOTH),
    ]
    assert history[0].timestamp.tzinfo is not None and history[0].text_hash == PAIR and history[0].method == "heuristic"

    assert store.undo_links("news", "s1", author="ana", lang="es", text_hash=PAIR) is not None
    assert current(store) == REMOVED
    store.undo_links("news", "s1", author="ana", lang="es", text_hash=PAIR)
    assert current(store) == LinkEdit() and store.links("news") == {}  # every edit undone: the aligner's links
    assert store.undo_links("news", "s1", author="ana", lang="es", text_hash=PAIR) is None
    history = store.link_history("news", "s1")
    assert [edit.action for edit in history] == ["toggle", "toggle", "undo", "undo"]
    assert history[1].undone_by == history[2].id and history[0].undone_by == history[3].id
    assert store.keys_named("News") == ["news"]


def test_link_edits_leave_the_span_versions_and_history_alone(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, LinkEdit(), BOTH, "ana")
    spans = [Span(3, 4, "LOC", origin="corrected")]
    store.save("news", "s1", [], spans, author="ana", lang="es", action="add", text_hash=text_hash(TARGET))
    assert [edit.action for edit in store.history("news", "s1")] == ["add"]
    assert [version.spans for version in store.reviews("news")[("es", "s1")].versions] == [tuple(spans)]
    # undoing the span edit leaves the links, and undoing the links leaves the span edit's history
    store.undo("news", "s1", author="ana", lang="es")
    assert current(store) == BOTH
    store.undo_links("news", "s1", author="ana", lang="es", text_hash=PAIR)
    assert [edit.action for edit in store.history("news", "s1")] == ["add", "undo"]
    assert current(store) == LinkEdit()


def test_the_links_are_one_version_everyone_edits_and_each_undoes_only_their_own(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, LinkEdit(), REMOVED, "ana")
    save(store, REMOVED, BOTH, "ben")
    assert current(store) == BOTH
    store.undo_links("news", "s1", author="ana", lang="es", text_hash=PAIR)  # ana's removal goes, ben's link stays
    assert current(store) == LinkEdit(added=((3, 5),))
    assert store.undo_links("news", "s1", author="carla", lang="es", text_hash=PAIR) is None


def test_an_edit_made_on_a_stale_view_is_replayed_on_the_newest_links(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, LinkEdit(), REMOVED, "ana")
    save(store, LinkEdit(), LinkEdit(added=((0, 0),)), "ana")  # a second tab that still showed the aligner's links
    assert current(store) == LinkEdit(added=((0, 0),), removed=((3, 3),))


def test_a_reset_is_an_edit_back_to_the_aligner_and_can_be_undone(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, LinkEdit(), BOTH, "ana")
    save(store, BOTH, LinkEdit(), "ana", action="reset")
    assert current(store) == LinkEdit()
    assert store.links("news")[("es", "s1")].versions[0].edit == LinkEdit()
    store.undo_links("news", "s1", author="ana", lang="es", text_hash=PAIR)
    assert current(store) == BOTH


def test_an_edit_of_another_sentence_pair_is_an_orphan_and_a_new_pair_starts_afresh(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, LinkEdit(), BOTH, "ana")
    changed = pair_hash(["Ana", "saw", "the", "Atlantic", "shore"], TARGET)  # same target, another source
    found = store.links("news")[("es", "s1")]
    assert found.fitting(changed) == LinkEdit()
    assert [(version.owner, version.edit) for version in found.orphans(changed)] == [("ana", BOTH)]
    assert found.orphans(PAIR) == []
    # an edit of the new pair does not carry the old pair's links over, nor does its undo touch them
    store.save_links("news", "s1", LinkEdit(), REMOVED, author="ben", lang="es", action="toggle", text_hash=changed)
    assert current(store, changed) == REMOVED and current(store, PAIR) == BOTH
    store.undo_links("news", "s1", author="ben", lang="es", text_hash=changed)
    assert current(store, changed) == LinkEdit() and current(store, PAIR) == BOTH


def test_link_edits_survive_reopening_the_store(url: str) -> None:
    save(CorrectionsStore(url), LinkEdit(), BOTH, "ana")
    assert current(CorrectionsStore(url)) == BOTH
