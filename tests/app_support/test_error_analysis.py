"""Scores, error counts and the sentence filter of the Errors page."""

from __future__ import annotations

import pytest

from projection.app_support.datasets import Dataset
from projection.app_support.error_analysis import (
    error_counts,
    methods_table,
    metrics_by_language,
    sentence_errors,
    sentences_by_error,
)
from projection.data import Alignment, ProjectionRecord, Sentence, Span


def record(sentence_id: str, gold: list[Span] | None, projected: list[Span], method: str) -> ProjectionRecord:
    tokens = [f"w{i}" for i in range(10)]
    return ProjectionRecord(
        id=sentence_id,
        source=Sentence(sentence_id, "en", tokens),
        target=Sentence(sentence_id, "es", tokens),
        alignment=Alignment(),
        projected=projected,
        gold=gold,
        provenance={"method": method},
    )


GOLD = {"s1": [Span(0, 2, "PER"), Span(5, 6, "LOC")], "s2": [Span(3, 4, "ORG")], "s3": [Span(1, 2, "LOC")]}
PREDICTED = {
    "good": {"s1": [Span(0, 2, "PER"), Span(5, 6, "LOC")], "s2": [Span(3, 4, "ORG")], "s3": [Span(1, 2, "LOC")]},
    "bad": {"s1": [Span(0, 1, "PER")], "s2": [Span(3, 4, "LOC"), Span(8, 9, "PER")], "s3": []},
}


@pytest.fixture
def dataset() -> Dataset:
    runs = {
        "es": {
            method: [record(sid, GOLD[sid], spans[sid], method) for sid in GOLD] for method, spans in PREDICTED.items()
        }
    }
    return Dataset("d", "D", runs)


def test_scores_per_label_and_per_method(dataset: Dataset) -> None:
    table = metrics_by_language(dataset, "bad")
    # bad: 3 predictions, none exactly right, 4 gold spans
    assert table.loc[("es", "overall"), "f1"] == 0.0
    assert table.loc[("es", "overall"), "support"] == 4
    assert table.loc[("es", "overall"), "proj_ratio"] == 0.75
    assert table.loc[("es", "PER"), "proj_ratio"] == 2.0
    ranking = methods_table(dataset, "es")
    assert list(ranking.index) == ["good", "bad"]
    assert ranking.loc["good", "f1"] == 1.0 and ranking.loc["good", "F1 LOC"] == 1.0


def test_error_counts_cover_every_kind(dataset: Dataset) -> None:
    errors = sentence_errors(dataset.records("es", "bad"), None)
    counts = error_counts(errors).groupby("kind")["count"].sum().to_dict()
    assert counts == {"correct": 0, "wrong_label": 1, "boundary": 1, "boundary_label": 0, "missed": 2, "spurious": 1}


def test_sentences_are_filtered_by_error_kind_and_label(dataset: Dataset) -> None:
    records = dataset.records("es", "bad")
    assert [row.sentence_id for row in sentences_by_error(records, None)] == ["s1", "s2", "s3"]
    assert [row.sentence_id for row in sentences_by_error(records, None, kinds=["missed"])] == ["s1", "s3"]
    assert [row.sentence_id for row in sentences_by_error(records, None, kinds=["spurious"])] == ["s2"]
    assert [r.sentence_id for r in sentences_by_error(records, None, kinds=["missed"], error_labels=["PER"])] == []
    row = sentences_by_error(records, None, kinds=["wrong_label"])[0]
    assert row.summary() == "1× spurious, 1× wrong label"
    assert sentences_by_error(dataset.records("es", "good"), None) == []


def test_records_without_gold_are_not_scored() -> None:
    runs = {"es": {"m": [record("s1", None, [Span(0, 1, "PER")], "m")]}}
    assert metrics_by_language(Dataset("d", "D", runs), "m").empty


def test_records_the_pages_cannot_show_are_left_out_of_every_score_and_named() -> None:
    from projection.app_support.error_analysis import error_counts_by_method, unscored_problems

    broken = record("s9", [Span(0, 1, "PER")], [Span(8, 12, "LOC")], "bad")
    empty = ProjectionRecord("s10", Sentence("s10", "en", ["x"]), Sentence("s10", "es", []), gold=[])
    whole = [record(sid, GOLD[sid], PREDICTED["bad"][sid], "bad") for sid in GOLD]
    records = [*whole, broken, empty]
    dataset = Dataset(name="d", title="d", runs={"es": {"bad": records}})
    assert [row["f1"] for row in metrics_by_language(dataset, "bad").to_dict("records")] == [
        row["f1"]
        for row in metrics_by_language(Dataset(name="w", title="w", runs={"es": {"bad": whole}}), "bad").to_dict(
            "records"
        )
    ]
    assert len(sentence_errors(records, None)) == len(whole)
    assert [row.sentence_id for row in sentences_by_error(records, None)] == ["s1", "s2", "s3"]
    assert error_counts_by_method(dataset, "es")["count"].sum() == sum(map(len, sentence_errors(whole, None)))
    problems = unscored_problems(records)
    assert len(problems) == 2 and problems[0].startswith("Sentence s9: a projected span (LOC, tokens 8–11)")
    assert problems[1].startswith("Sentence s10 has no target tokens")
