"""Link edits kept per data set, language and sentence; clicks and token selects arrive as the same links."""

from __future__ import annotations

from typing import Any

import pytest
from app_pages import example_record

from projection.app_support import link_edits
from projection.app_support.datasets import Dataset, group_records
from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.pipeline.reproject import LinkEdit, reproject


def dataset_of(*records: ProjectionRecord, name: str = "d") -> Dataset:
    return Dataset(name=name, title=name, runs=group_records([(name, list(records))]))


def test_toggling_removes_and_restores_an_aligner_link_and_adds_a_new_one() -> None:
    record = example_record("ex-11")
    dataset, state = dataset_of(record), {}
    assert (15, 16) in record.alignment.links and (15, 18) not in record.alignment.links
    first = link_edits.toggle(dataset, "es", record, [(15, 16)], state=state)
    assert first == LinkEdit(removed=((15, 16),))
    both = link_edits.toggle(dataset, "es", record, [(15, 18)], state=state)
    assert both == LinkEdit(added=((15, 18),), removed=((15, 16),))
    assert link_edits.current(dataset, "es", "ex-11", state=state) == both
    # the edit projects "Atlántico" instead of "costa", as the heuristic says for the entity's one link
    spans = reproject(record, both, corpus=[record]).record.projected
    assert [span.key for span in spans] == [(0, 1, "LOC"), (8, 10, "PER"), (18, 19, "LOC")]
    # clicking the same cells again undoes each step
    link_edits.toggle(dataset, "es", record, [(15, 18), (15, 16)], state=state)
    assert not link_edits.current(dataset, "es", "ex-11", state=state)
    assert link_edits.edited(dataset, "es", state=state) == {}


def test_reset_forgets_the_edit_and_every_change_moves_the_revision() -> None:
    record = example_record("ex-11")
    dataset, state = dataset_of(record), {}
    start = link_edits.revision(state)
    link_edits.toggle(dataset, "es", record, [(0, 5)], state=state)
    assert link_edits.edited(dataset, "es", state=state) == {"ex-11": LinkEdit(added=((0, 5),))}
    link_edits.reset(dataset, "es", "ex-11", state=state)
    assert link_edits.current(dataset, "es", "ex-11", state=state) == LinkEdit()
    assert link_edits.revision(state) == start + 2


def test_edits_belong_to_one_data_set_and_one_language() -> None:
    record = example_record("ex-11")
    first, second, state = dataset_of(record, name="a"), dataset_of(record, name="a"), {}
    link_edits.toggle(first, "es", record, [(0, 5)], state=state)
    assert link_edits.current(second, "es", "ex-11", state=state) == LinkEdit()
    assert link_edits.current(first, "ca", "ex-11", state=state) == LinkEdit()


def test_a_record_without_alignment_and_a_link_outside_the_sentence_are_refused() -> None:
    gold_only = ProjectionRecord(
        "g1",
        Sentence("g1", "en", ["Ana", "visited", "Lima"], [Span(2, 3, "LOC")]),
        Sentence("g1", "es", ["Ana", "visitó", "Lima"]),
        projected=[Span(2, 3, "LOC")],
        gold=[Span(2, 3, "LOC")],
        provenance={"method": "heuristic"},
    )
    dataset, state = dataset_of(gold_only), {}
    with pytest.raises(ProjectionError, match="Sentence g1 has no alignment"):
        link_edits.toggle(dataset, "es", gold_only, [(0, 0)], state=state)
    aligned = ProjectionRecord(
        "a1", gold_only.source, gold_only.target, alignment=Alignment([(2, 2)]), provenance={"method": "heuristic"}
    )
    with pytest.raises(ProjectionError, match="Source token 3 and target token 0 do not make a link"):
        link_edits.toggle(dataset, "es", aligned, [(3, 0)], state=state)
    assert state.get(link_edits.EDITS, {}) == {}


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
