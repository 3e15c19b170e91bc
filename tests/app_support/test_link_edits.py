"""Link edits kept in the corrections store per data set, language and sentence pair, with undo; clicks and token
selects arrive as the same links."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from app_pages import example_record

from projection.app_support import link_edits
from projection.app_support.datasets import Dataset, group_records
from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.pipeline.reproject import LinkEdit, reproject
from projection.store import CorrectionsStore


def dataset_of(*records: ProjectionRecord, name: str = "d") -> Dataset:
    return Dataset(name=name, title=name, runs=group_records([(name, list(records))]))


@pytest.fixture
def store() -> CorrectionsStore:
    return CorrectionsStore("sqlite://")


def test_toggling_removes_and_restores_an_aligner_link_and_adds_a_new_one(store: CorrectionsStore) -> None:
    record = example_record("ex-11")
    dataset, where = dataset_of(record), {"state": {}, "store": store, "author": "ana"}
    assert (15, 16) in record.alignment.links and (15, 18) not in record.alignment.links
    first = link_edits.toggle(dataset, "es", record, [(15, 16)], **where)
    assert first == LinkEdit(removed=((15, 16),))
    both = link_edits.toggle(dataset, "es", record, [(15, 18)], **where)
    assert both == LinkEdit(added=((15, 18),), removed=((15, 16),))
    assert link_edits.current(dataset, "es", "ex-11", store=store) == both
    # the edit projects "Atlántico" instead of "costa", as the heuristic says for the entity's one link
    spans = reproject(record, both, corpus=[record]).record.projected
    assert [span.key for span in spans] == [(0, 1, "LOC"), (8, 10, "PER"), (18, 19, "LOC")]
    # clicking the same cells again undoes each step
    link_edits.toggle(dataset, "es", record, [(15, 18), (15, 16)], **where)
    assert not link_edits.current(dataset, "es", "ex-11", store=store)
    assert link_edits.edited(dataset, "es", store=store) == {}
    # every click is a row of the store's history, under the data set's key, with who made it
    history = store.link_history(dataset.store_key, "ex-11", lang="es")
    assert [(edit.author, edit.after) for edit in history] == [("ana", first), ("ana", both), ("ana", LinkEdit())]


def test_reset_is_a_stored_edit_undo_takes_it_back_and_every_change_moves_the_revision(
    store: CorrectionsStore,
) -> None:
    record = example_record("ex-11")
    dataset, state = dataset_of(record), {}
    where = {"state": state, "store": store, "author": "ana"}
    start = link_edits.revision(state)
    link_edits.toggle(dataset, "es", record, [(0, 5)], **where)
    assert link_edits.edited(dataset, "es", store=store) == {"ex-11": LinkEdit(added=((0, 5),))}
    link_edits.reset(dataset, "es", "ex-11", **where)
    assert link_edits.current(dataset, "es", "ex-11", store=store) == LinkEdit()
    assert link_edits.revision(state) == start + 2
    assert link_edits.undoable(dataset, "es", "ex-11", store=store, author="ana")
    assert not link_edits.undoable(dataset, "es", "ex-11", store=store, author="ben")
    assert not link_edits.undo(dataset, "es", "ex-11", **{**where, "author": "ben"})
    assert link_edits.undo(dataset, "es", "ex-11", **where)  # the reset taken back
    assert link_edits.current(dataset, "es", "ex-11", store=store) == LinkEdit(added=((0, 5),))
    assert link_edits.undo(dataset, "es", "ex-11", **where)  # and the edit
    assert link_edits.current(dataset, "es", "ex-11", store=store) == LinkEdit()
    assert not link_edits.undo(dataset, "es", "ex-11", **where)
    assert link_edits.revision(state) == start + 4


def test_edits_belong_to_one_data_set_and_one_language(store: CorrectionsStore) -> None:
    record = example_record("ex-11")
    first, other = dataset_of(record, name="a"), dataset_of(record, name="b")
    link_edits.toggle(first, "es", record, [(0, 5)], state={}, store=store, author="ana")
    assert link_edits.current(other, "es", "ex-11", store=store) == LinkEdit()
    assert link_edits.current(first, "ca", "ex-11", store=store) == LinkEdit()
    # the same data set loaded again (another session, a reload) finds the edit
    again = dataset_of(record, name="a")
    assert link_edits.current(again, "es", "ex-11", store=store) == LinkEdit(added=((0, 5),))


def test_an_edit_of_another_text_of_the_sentence_pair_is_an_orphan(store: CorrectionsStore) -> None:
    record = example_record("ex-11")
    dataset = dataset_of(record, name="a")
    link_edits.toggle(dataset, "es", record, [(0, 5)], state={}, store=store, author="ana")
    source = Sentence(record.source.id, "en", ["The", *record.source.tokens[1:]], list(record.source.spans))
    changed = dataset_of(replace(record, source=source), name="a")  # the same key: its targets are the same
    assert changed.store_key == dataset.store_key
    assert link_edits.current(changed, "es", "ex-11", store=store) == LinkEdit()
    assert [(v.owner, v.edit) for v in link_edits.orphans(changed, "es", "ex-11", store=store)] == [
        ("ana", LinkEdit(added=((0, 5),)))
    ]
    assert link_edits.orphans(dataset, "es", "ex-11", store=store) == []
    assert link_edits.edited(changed, "es", store=store) == {}


def test_a_record_without_alignment_and_a_link_outside_the_sentence_are_refused(store: CorrectionsStore) -> None:
    gold_only = ProjectionRecord(
        "g1",
        Sentence("g1", "en", ["Ana", "visited", "Lima"], [Span(2, 3, "LOC")]),
        Sentence("g1", "es", ["Ana", "visitó", "Lima"]),
        projected=[Span(2, 3, "LOC")],
        gold=[Span(2, 3, "LOC")],
        provenance={"method": "heuristic"},
    )
    dataset = dataset_of(gold_only)
    where = {"state": {}, "store": store, "author": "ana"}
    with pytest.raises(ProjectionError, match="Sentence g1 has no alignment"):
        link_edits.toggle(dataset, "es", gold_only, [(0, 0)], **where)
    aligned = ProjectionRecord(
        "a1", gold_only.source, gold_only.target, alignment=Alignment([(2, 2)]), provenance={"method": "heuristic"}
    )
    aligned_set = dataset_of(aligned)
    with pytest.raises(ProjectionError, match="Source token 3 and target token 0 do not make a link"):
        link_edits.toggle(aligned_set, "es", aligned, [(3, 0)], **where)
    assert store.links(dataset.store_key) == {} and store.links(aligned_set.store_key) == {}


@pytest.mark.parametrize(
    ("selection", "links"),
    [
        ({"points": [{"curve_number": 4, "x": 16, "y": 15}]}, [(15, 16)]),
        ({"points": [{"x": 2.0, "y": 1.0}, {"x": 2, "y": 1}, {"x": 3, "y": 0}]}, [(1, 2), (0, 3)]),
        ({"points": [{"x": "Lima", "y": 0}, {"y": 1}]}, []),
        ({"points": []}, []),
        (None, []),
    ],
)
def test_a_chart_selection_becomes_the_links_of_its_cells(selection: dict[str, Any] | None, links: list) -> None:
    assert link_edits.selected_links(selection) == links
