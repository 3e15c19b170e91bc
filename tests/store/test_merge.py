"""Stored versions merged into projection records for export: the spans chosen, the status, orphans refused."""

from __future__ import annotations

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.store import ADJUDICATION, CorrectionsStore, GivenCorrections, StoredCorrections, text_hash


def record(sentence_id: str, tokens: list[str], projected: list[Span]) -> ProjectionRecord:
    return ProjectionRecord(
        id=sentence_id,
        source=Sentence(sentence_id, "en", tokens),
        target=Sentence(sentence_id, "es", tokens),
        alignment=Alignment([(i, i) for i in range(len(tokens))]),
        projected=projected,
        provenance={"method": "heuristic"},
    )


LIMA = record("a", ["María", "vive", "en", "Lima"], [Span(0, 1, "PER"), Span(3, 4, "ORG")])
RAIN = record("b", ["Hoy", "llueve"], [])


def resolved(store: CorrectionsStore, item: ProjectionRecord) -> tuple[str, list[tuple[int, int, str]], bool, int]:
    resolution = StoredCorrections(store.reviews("news", lang="es")).resolve(item)
    return resolution.status, [s.key for s in resolution.spans], resolution.disagreed, len(resolution.orphans)


def edit(store: CorrectionsStore, item: ProjectionRecord, after: list[Span], author: str, **kw: object) -> None:
    store.save(
        "news", item.id, item.projected, after, author=author, lang="es", action="edit",
        text_hash=text_hash(item.target.tokens), **kw,
    )  # fmt: skip


def test_adjudicated_first_then_a_single_review_then_agreeing_reviews(url: str) -> None:
    store = CorrectionsStore(url)
    fixed = [Span(0, 1, "PER"), Span(3, 4, "LOC", origin="corrected")]
    assert resolved(store, LIMA) == ("not reviewed", [(0, 1, "PER"), (3, 4, "ORG")], False, 0)

    edit(store, LIMA, fixed, "ana")
    assert resolved(store, LIMA) == ("corrected", [(0, 1, "PER"), (3, 4, "LOC")], False, 0)
    store.mark_reviewed("news", "a", author="ben", lang="es", spans=fixed, text_hash=text_hash(LIMA.target.tokens))
    assert resolved(store, LIMA) == ("corrected", [(0, 1, "PER"), (3, 4, "LOC")], False, 0)

    edit(store, LIMA, [Span(0, 1, "PER")], "carla")  # a third reviewer deletes Lima: the newest review is used
    assert resolved(store, LIMA) == ("corrected", [(0, 1, "PER")], True, 0)
    edit(store, LIMA, fixed, "dan", track=ADJUDICATION)
    assert resolved(store, LIMA) == ("adjudicated", [(0, 1, "PER"), (3, 4, "LOC")], False, 0)


def test_a_review_that_approves_the_projection_is_reviewed_not_corrected(url: str) -> None:
    store = CorrectionsStore(url)
    store.mark_reviewed("news", "b", author="ana", lang="es", spans=[], text_hash=text_hash(RAIN.target.tokens))
    assert resolved(store, RAIN) == ("reviewed", [], False, 0)


def test_a_version_made_on_another_text_is_an_orphan_and_not_applied(url: str) -> None:
    store = CorrectionsStore(url)
    other = record("a", ["Pedro", "trabaja", "en", "Quito", "hoy"], [Span(0, 1, "PER")])
    edit(store, other, [Span(0, 1, "PER"), Span(3, 4, "LOC")], "ana")
    assert resolved(store, LIMA) == ("not reviewed", [(0, 1, "PER"), (3, 4, "ORG")], False, 1)
    assert resolved(store, other)[:2] == ("corrected", [(0, 1, "PER"), (3, 4, "LOC")])


def test_given_corrections_are_checked_against_the_sentence_length() -> None:
    given = GivenCorrections({"a": [Span(3, 4, "LOC")]})
    assert [s.key for s in given.resolve(LIMA).spans] == [(3, 4, "LOC")]
    assert given.resolve(RAIN).status == "not reviewed"
    with pytest.raises(ProjectionError, match="different version"):
        GivenCorrections({"b": [Span(1, 3, "LOC")]}).resolve(RAIN)
