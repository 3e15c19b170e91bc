"""The corrections store on real SQLite files: history, undo, review marks and concurrent sessions."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from projection.data import Span
from projection.errors import ProjectionError
from projection.store import CorrectionsStore

PROJECTED = [Span(0, 2, "PER", origin="projected:heuristic"), Span(5, 6, "LOC", origin="projected:heuristic")]


def keys(spans: list[Span] | None) -> list[tuple[int, int, str]]:
    return sorted(span.key for span in spans or [])


def test_save_records_before_and_after_and_current_reflects_it(url: str) -> None:
    store = CorrectionsStore(url)
    relabelled = [Span(0, 2, "ORG", origin="corrected"), PROJECTED[1]]
    edit_id = store.save("news", "s1", PROJECTED, relabelled, author="ana", lang="es", action="relabel")

    history = store.history("news", "s1")
    assert [edit.id for edit in history] == [edit_id]
    assert keys(history[0].before) == keys(PROJECTED)
    assert keys(history[0].after) == [(0, 2, "ORG"), (5, 6, "LOC")]
    assert history[0].author == "ana" and history[0].action == "relabel" and history[0].lang == "es"
    assert history[0].timestamp.tzinfo is not None
    assert store.current("news") == {"s1": relabelled}
    assert store.current("other") == {}


def test_undo_restores_the_previous_state_as_a_new_row(url: str) -> None:
    store = CorrectionsStore(url)
    first = [PROJECTED[0]]
    store.save("news", "s1", PROJECTED, first, author="ana", lang="es", action="delete")
    second = [PROJECTED[0], Span(7, 9, "DATE", origin="corrected")]
    store.save("news", "s1", first, second, author="ana", lang="es", action="add")

    undo_id = store.undo("news", "s1", author="ana")
    assert undo_id is not None
    assert keys(store.current("news")["s1"]) == keys(first)

    store.undo("news", "s1", author="ana")
    # every edit undone: back at the projection, so the sentence no longer counts as corrected
    assert store.current("news") == {}
    assert store.current_spans("news", "s1") is None
    history = store.history("news", "s1")
    assert [edit.action for edit in history] == ["delete", "add", "undo", "undo"]
    assert keys(history[-1].after) == keys(PROJECTED)
    assert history[0].undone_by == history[3].id and history[1].undone_by == history[2].id
    assert store.undo("news", "s1", author="ana") is None


def test_undo_reverts_only_the_authors_own_edit_and_keeps_later_edits_of_others(url: str) -> None:
    store = CorrectionsStore(url)
    store.save("news", "s1", PROJECTED, PROJECTED[:1], author="ana", lang="es", action="delete")
    added = [*PROJECTED[:1], Span(8, 9, "ORG", origin="corrected")]
    store.save("news", "s1", PROJECTED[:1], added, author="ben", lang="es", action="add")

    store.undo("news", "s1", author="ana")

    assert keys(store.current("news")["s1"]) == [(0, 2, "PER"), (5, 6, "LOC"), (8, 9, "ORG")]
    assert store.undo("news", "s1", author="carla") is None


def test_review_marks_take_the_newest_mark(url: str) -> None:
    store = CorrectionsStore(url)
    store.mark_reviewed("news", "s1", author="ana", lang="es")
    store.mark_reviewed("news", "s2", author="ana", lang="es")
    store.mark_reviewed("news", "s3", author="ana", lang="sw")
    store.mark_reviewed("news", "s2", author="ben", lang="es", reviewed=False)

    assert store.reviewed("news") == {"s1", "s3"}
    assert store.reviewed("news", lang="es") == {"s1"}
    assert store.datasets() == ["news"]


def test_languages_with_the_same_sentence_ids_are_kept_apart(url: str) -> None:
    store = CorrectionsStore(url)
    store.save("masakhaner", "0", [], [Span(0, 1, "PER")], author="ana", lang="swa", action="add")
    store.save("masakhaner", "0", [], [Span(3, 4, "LOC")], author="ana", lang="hau", action="add")

    assert keys(store.current("masakhaner", lang="swa")["0"]) == [(0, 1, "PER")]
    assert keys(store.current("masakhaner", lang="hau")["0"]) == [(3, 4, "LOC")]
    assert len(store.history("masakhaner", "0", lang="hau")) == 1


def test_history_survives_reopening_the_file(url: str) -> None:
    CorrectionsStore(url).save("news", "s1", PROJECTED, [], author="ana", lang="es", action="delete")
    reopened = CorrectionsStore(url)
    assert reopened.current("news") == {"s1": []}
    assert len(reopened.history("news", "s1")) == 1


def test_two_sessions_editing_the_same_sentence_keep_both_edits(url: str) -> None:
    ana, ben = CorrectionsStore(url), CorrectionsStore(url)
    # both opened the sentence when it showed the projection
    ana.save("news", "s1", PROJECTED, [*PROJECTED, Span(7, 9, "DATE")], author="ana", lang="es", action="add")
    ben.save("news", "s1", PROJECTED, [PROJECTED[0]], author="ben", lang="es", action="delete")

    history = ana.history("news", "s1")
    assert [(edit.author, edit.action) for edit in history] == [("ana", "add"), ("ben", "delete")]
    # ben's deletion was applied on top of ana's addition, not on the stale projection
    assert keys(ben.current("news")["s1"]) == [(0, 2, "PER"), (7, 9, "DATE")]


def test_concurrent_writers_from_threads_lose_no_edit(url: str) -> None:
    stores = [CorrectionsStore(url) for _ in range(4)]
    n_threads = 16
    barrier = threading.Barrier(n_threads)
    errors: list[BaseException] = []

    def add_one(k: int) -> None:
        try:
            barrier.wait()
            span = Span(2 * k, 2 * k + 1, "LOC", origin="corrected")
            stores[k % len(stores)].save("news", "s1", [], [span], author=f"user{k}", lang="es", action="add")
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=add_one, args=(k,)) for k in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(stores[0].history("news", "s1")) == n_threads
    assert keys(stores[1].current("news")["s1"]) == [(2 * k, 2 * k + 1, "LOC") for k in range(n_threads)]


def test_overlapping_corrections_are_refused_with_a_clear_message(url: str) -> None:
    store = CorrectionsStore(url)
    with pytest.raises(ProjectionError, match="may not overlap"):
        store.save("news", "s1", [], [Span(0, 3, "PER"), Span(2, 4, "ORG")], author="ana", lang="es", action="add")
    assert store.history("news", "s1") == []
    with pytest.raises(ValueError, match="undo"):
        store.save("news", "s1", [], [], author="ana", lang="es", action="undo")


def test_bad_database_urls_give_a_projection_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="not valid"):
        CorrectionsStore("not a url")
    with pytest.raises(ProjectionError, match="driver"):
        CorrectionsStore("nosuchdb+nodriver://host/db")
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(ProjectionError, match="Cannot open"):
        CorrectionsStore(f"sqlite:///{blocked / 'sub' / 'c.sqlite'}")


def test_default_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("PROJECTION_CORRECTIONS_URL", url)
    store = CorrectionsStore()
    assert store.url == url
