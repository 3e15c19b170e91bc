"""The corrections store on SQLite and PostgreSQL: versions per reviewer, undo, review marks, assignments,
concurrent sessions, and texts checked by their hash."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from projection.data import Span
from projection.errors import ProjectionError
from projection.store import ADJUDICATION, CorrectionsStore, text_hash

PROJECTED = [Span(0, 2, "PER", origin="projected:heuristic"), Span(5, 6, "LOC", origin="projected:heuristic")]
TOKENS = ["Ana", "María", "visitó", "ayer", "la", "Lima", "antigua", "de", "Perú", "hoy"]
HASH = text_hash(TOKENS)


def keys(spans: object) -> list[tuple[int, int, str]]:
    return sorted(span.key for span in spans or [])  # type: ignore[attr-defined]


def version_keys(store: CorrectionsStore, dataset: str, sentence_id: str, lang: str = "es") -> dict[str, list]:
    """Reviewer -> span keys of their version of the sentence (its present text)."""
    reviews = store.sentence_reviews(dataset, lang=lang, sentence_id=sentence_id)
    return {owner: keys(version.spans) for owner, version in reviews.reviewers(HASH).items()}


def save(store: CorrectionsStore, before: list[Span], after: list[Span], author: str, action: str, **kw: object) -> int:
    return store.save("news", "s1", before, after, author=author, lang="es", action=action, text_hash=HASH, **kw)


def test_save_records_before_and_after_in_the_authors_version(url: str) -> None:
    store = CorrectionsStore(url)
    relabelled = [Span(0, 2, "ORG", origin="corrected"), PROJECTED[1]]
    edit_id = save(store, PROJECTED, relabelled, "ana", "relabel", method="heuristic", dataset_name="News")

    (edit,) = store.history("news", "s1")
    assert edit.id == edit_id and edit.author == "ana" and edit.action == "relabel" and edit.lang == "es"
    assert keys(edit.before) == keys(PROJECTED) and keys(edit.after) == [(0, 2, "ORG"), (5, 6, "LOC")]
    assert edit.timestamp.tzinfo is not None and edit.track == "review" and edit.text_hash == HASH
    assert version_keys(store, "news", "s1") == {"ana": [(0, 2, "ORG"), (5, 6, "LOC")]}
    assert store.reviews("other") == {}
    assert store.keys_named("News") == ["news"]


def test_undo_restores_the_previous_state_as_a_new_row(url: str) -> None:
    store = CorrectionsStore(url)
    first = [PROJECTED[0]]
    save(store, PROJECTED, first, "ana", "delete")
    second = [PROJECTED[0], Span(7, 9, "DATE", origin="corrected")]
    save(store, first, second, "ana", "add")

    assert store.undo("news", "s1", author="ana") is not None
    assert version_keys(store, "news", "s1") == {"ana": keys(first)}

    store.undo("news", "s1", author="ana")
    # every edit undone: back at the projection, so ana has no version of the sentence any more
    assert version_keys(store, "news", "s1") == {}
    history = store.history("news", "s1")
    assert [edit.action for edit in history] == ["delete", "add", "undo", "undo"]
    assert keys(history[-1].after) == keys(PROJECTED)
    assert history[0].undone_by == history[3].id and history[1].undone_by == history[2].id
    assert store.undo("news", "s1", author="ana") is None


def test_each_reviewer_edits_their_own_version_and_undoes_only_their_own_edits(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, PROJECTED, PROJECTED[:1], "ana", "delete")
    added = [*PROJECTED, Span(8, 9, "ORG", origin="corrected")]
    save(store, PROJECTED, added, "ben", "add")  # ben starts from the projection, not from ana's version
    assert version_keys(store, "news", "s1") == {
        "ana": [(0, 2, "PER")],
        "ben": [(0, 2, "PER"), (5, 6, "LOC"), (8, 9, "ORG")],
    }
    store.undo("news", "s1", author="ana")
    assert version_keys(store, "news", "s1") == {"ben": [(0, 2, "PER"), (5, 6, "LOC"), (8, 9, "ORG")]}
    assert store.undo("news", "s1", author="carla") is None


def test_two_sessions_of_one_reviewer_editing_the_same_sentence_keep_both_edits(url: str) -> None:
    first_tab, second_tab = CorrectionsStore(url), CorrectionsStore(url)
    # both tabs opened the sentence when it showed the projection
    save(first_tab, PROJECTED, [*PROJECTED, Span(7, 9, "DATE")], "ana", "add")
    save(second_tab, PROJECTED, [PROJECTED[0]], "ana", "delete")

    assert [edit.action for edit in first_tab.history("news", "s1")] == ["add", "delete"]
    # the deletion was applied on top of the addition, not on the stale projection
    assert version_keys(second_tab, "news", "s1") == {"ana": [(0, 2, "PER"), (7, 9, "DATE")]}


def test_accepting_a_span_changes_its_origin_even_from_a_stale_view(url: str) -> None:
    store = CorrectionsStore(url)
    added = [*PROJECTED, Span(7, 9, "DATE", origin="corrected")]
    save(store, PROJECTED, added, "ana", "add")
    accepted = [Span(0, 2, "PER", origin="accepted"), PROJECTED[1]]
    save(store, PROJECTED, accepted, "ana", "accept")  # a second tab, still showing the projection
    (version,) = store.sentence_reviews("news", lang="es", sentence_id="s1").reviewers(HASH).values()
    assert [(span.key, span.origin) for span in version.spans] == [
        ((0, 2, "PER"), "accepted"),
        ((5, 6, "LOC"), "projected:heuristic"),
        ((7, 9, "DATE"), "corrected"),
    ]


def test_review_marks_keep_the_approved_spans_and_the_newest_mark_counts(url: str) -> None:
    store = CorrectionsStore(url)
    store.mark_reviewed("news", "s1", author="ana", lang="es", spans=PROJECTED, method="heuristic", text_hash=HASH)
    store.mark_reviewed("news", "s1", author="ben", lang="es", spans=PROJECTED[:1], text_hash=HASH)
    store.mark_reviewed("news", "s1", author="ben", lang="es", reviewed=False, text_hash=HASH)
    store.mark_reviewed("news", "s2", author="ana", lang="sw", spans=[], text_hash=HASH)

    (ana,) = store.sentence_reviews("news", lang="es", sentence_id="s1").reviewers(HASH).values()
    assert ana.owner == "ana" and ana.reviewed and not ana.edited and ana.method == "heuristic"
    assert keys(ana.spans) == keys(PROJECTED)
    assert sorted(store.reviews("news")) == [("es", "s1"), ("sw", "s2")]
    assert sorted(store.reviews("news", lang="sw")) == [("sw", "s2")]
    assert store.datasets() == ["news"]


def test_the_adjudicated_version_is_shared_by_adjudicators_and_undone_on_its_own_track(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, PROJECTED, PROJECTED[:1], "ana", "delete")
    save(store, PROJECTED, PROJECTED[:1], "carla", "adjudicate", track=ADJUDICATION)
    later = [*PROJECTED[:1], Span(8, 9, "LOC")]
    save(store, PROJECTED[:1], later, "dan", "adjudicate", track=ADJUDICATION)
    reviews = store.sentence_reviews("news", lang="es", sentence_id="s1")
    assert keys(reviews.adjudicated(HASH).spans) == [(0, 2, "PER"), (8, 9, "LOC")]
    assert list(reviews.reviewers(HASH)) == ["ana"]

    assert store.undo("news", "s1", author="dan") is None  # dan has no review edit of his own
    store.undo("news", "s1", author="dan", track=ADJUDICATION)
    assert keys(store.sentence_reviews("news", lang="es", sentence_id="s1").adjudicated(HASH).spans) == [(0, 2, "PER")]


def test_versions_made_on_another_text_are_orphans(url: str) -> None:
    store = CorrectionsStore(url)
    save(store, PROJECTED, PROJECTED[:1], "ana", "delete")
    other = text_hash(["Otra", "frase", "entera"])
    reviews = store.sentence_reviews("news", lang="es", sentence_id="s1")
    assert reviews.reviewers(other) == {} and [v.owner for v in reviews.orphans(other)] == ["ana"]
    assert reviews.orphans(HASH) == []


def test_languages_with_the_same_sentence_ids_are_kept_apart(url: str) -> None:
    store = CorrectionsStore(url)
    store.save("masakhaner", "0", [], [Span(0, 1, "PER")], author="ana", lang="swa", action="add", text_hash=HASH)
    store.save("masakhaner", "0", [], [Span(3, 4, "LOC")], author="ana", lang="hau", action="add", text_hash=HASH)

    assert version_keys(store, "masakhaner", "0", "swa") == {"ana": [(0, 1, "PER")]}
    assert version_keys(store, "masakhaner", "0", "hau") == {"ana": [(3, 4, "LOC")]}
    assert len(store.history("masakhaner", "0", lang="hau")) == 1


def test_assignments_replace_the_previous_plan_and_keep_its_order(url: str) -> None:
    store = CorrectionsStore(url)
    store.set_assignments("news", "es", {"ana": ["s3", "s1"], "ben": ["s2", "s1"]}, assigned_by="coordinator")
    assert store.assignments("news", "es") == {"ana": ["s3", "s1"], "ben": ["s2", "s1"]}
    assert store.assignments("news", "sw") == {}
    store.set_assignments("news", "es", {"ana": ["s1", "s4"], "carla": ["s2"]}, assigned_by="coordinator")
    assert store.assignments("news", "es") == {"ana": ["s1", "s4"], "carla": ["s2"]}


def test_history_survives_reopening_the_store(url: str) -> None:
    save(CorrectionsStore(url), PROJECTED, [], "ana", "delete")
    reopened = CorrectionsStore(url)
    assert version_keys(reopened, "news", "s1") == {"ana": []}
    assert len(reopened.history("news", "s1")) == 1
    assert reopened.last_change("news")[0] == 1 and reopened.last_change("other") == (0, 0)


def test_concurrent_writers_from_threads_lose_no_edit(url: str) -> None:
    stores = [CorrectionsStore(url) for _ in range(4)]
    n_threads = 16
    barrier = threading.Barrier(n_threads)
    errors: list[BaseException] = []

    def add_one(k: int) -> None:
        try:
            barrier.wait()
            span = Span(2 * k, 2 * k + 1, "LOC", origin="corrected")
            # two sessions per reviewer, all adding to their reviewer's version at the same moment
            stores[k % len(stores)].save(
                "news", "s1", [], [span], author=f"user{k % 8}", lang="es", action="add", text_hash=HASH
            )
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=add_one, args=(k,)) for k in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(stores[0].history("news", "s1")) == n_threads
    assert version_keys(stores[1], "news", "s1") == {
        f"user{j}": [(2 * j, 2 * j + 1, "LOC"), (2 * (j + 8), 2 * (j + 8) + 1, "LOC")] for j in range(8)
    }


def test_overlapping_corrections_are_refused_with_a_clear_message(url: str) -> None:
    store = CorrectionsStore(url)
    with pytest.raises(ProjectionError, match="may not overlap"):
        save(store, [], [Span(0, 3, "PER"), Span(2, 4, "ORG")], "ana", "add")
    assert store.history("news", "s1") == []
    with pytest.raises(ValueError, match="undo"):
        save(store, [], [], "ana", "undo")
    with pytest.raises(ValueError, match="unknown track"):
        save(store, [], [], "ana", "add", track="draft")


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
