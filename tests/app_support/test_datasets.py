"""Data sets from record files, folders and the built-in example."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from projection.app_support.datasets import Dataset, group_records, load_example, load_records_folder
from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.writers.jsonl import write_jsonl


def record(sentence_id: str, lang: str, method: str, projected: list[Span] | None = None) -> ProjectionRecord:
    tokens = ["Ana", "vive", "en", "Lima"]
    return ProjectionRecord(
        id=sentence_id,
        source=Sentence(sentence_id, "en", ["Ana", "lives", "in", "Lima"], [Span(0, 1, "PER")]),
        target=Sentence(sentence_id, lang, tokens),
        alignment=Alignment([(i, i) for i in range(4)]),
        projected=projected or [Span(0, 1, "PER")],
        gold=[Span(0, 1, "PER"), Span(3, 4, "LOC")],
        provenance={"method": method, "labels": ["PER", "LOC"]},
    )


def test_records_are_grouped_by_language_and_method_and_same_names_stay_apart() -> None:
    runs = group_records(
        [
            ("run1", [record("a", "es", "heuristic"), record("b", "es", "heuristic"), record("a", "sw", "heuristic")]),
            ("run2", [record("a", "es", "heuristic"), record("a", "es", "ngram-greedy")]),
        ]
    )
    assert list(runs) == ["es", "sw"]
    assert list(runs["es"]) == ["heuristic", "heuristic (run2)", "ngram-greedy"]
    assert [r.id for r in runs["es"]["heuristic"]] == ["a", "b"]


def test_a_dataset_indexes_sentences_and_refuses_duplicate_ids() -> None:
    dataset = Dataset("d", "D", group_records([("x", [record("a", "es", "h"), record("b", "es", "h")])]))
    assert dataset.sentence_ids("es") == ["a", "b"]
    assert dataset.record("es", "h", "b").id == "b" and dataset.record("es", "h", "zz") is None
    assert dataset.labels("es") == ["PER", "LOC"] and dataset.has_gold("es")
    with pytest.raises(ProjectionError, match="occurs twice"):
        Dataset("d", "D", {"es": {"h": [record("a", "es", "h"), record("a", "es", "h")]}})


def test_a_folder_of_jsonl_and_gzipped_jsonl_records_loads_as_one_dataset(tmp_path: Path) -> None:
    write_jsonl([record("a", "es", "heuristic"), record("b", "es", "heuristic")], tmp_path / "heuristic.jsonl")
    write_jsonl([record("a", "es", "ngram-greedy", [Span(3, 4, "LOC")])], tmp_path / "plain.jsonl")
    (tmp_path / "sub").mkdir()
    data = (tmp_path / "plain.jsonl").read_bytes()
    (tmp_path / "plain.jsonl").unlink()
    (tmp_path / "sub" / "greedy.jsonl.gz").write_bytes(gzip.compress(data))

    dataset = load_records_folder(tmp_path, name="mine")
    assert dataset.methods("es") == ["heuristic", "ngram-greedy"]
    assert dataset.record("es", "ngram-greedy", "a").projected[0].key == (3, 4, "LOC")
    assert dataset.source == str(tmp_path)


def test_bad_folders_and_files_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match=r"no \.jsonl"):
        load_records_folder(tmp_path)
    with pytest.raises(ProjectionError, match="Not found"):
        load_records_folder(tmp_path / "missing")
    (tmp_path / "broken.jsonl.gz").write_bytes(gzip.compress(b'{"id": "a"}\n'))
    with pytest.raises(ProjectionError, match="line 1"):
        load_records_folder(tmp_path)
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip")
    with pytest.raises(ProjectionError, match="gzip"):
        load_records_folder(tmp_path)


def test_the_built_in_example_loads_with_gold_and_every_method_on_the_same_sentences() -> None:
    datasets = load_example()
    assert {d.name for d in datasets} == {"example-bitext", "example-apertium"}
    # the two pipelines project onto the same Spanish sentences: their corrections are shared
    assert len({d.store_key for d in datasets}) == 1 and datasets[0].store_key.startswith("example@")
    assert len({d.ident for d in datasets}) == 2
    for dataset in datasets:
        assert dataset.langs == ["es"] and dataset.store_name == "example"
        assert "heuristic" in dataset.methods("es")
        ids = dataset.sentence_ids("es")
        assert len(ids) >= 50
        for method in dataset.methods("es"):
            assert [r.id for r in dataset.records("es", method)] == ids
        assert dataset.labels("es") == ["PER", "ORG", "LOC", "DATE"]


def test_a_missing_example_says_how_to_rebuild_it(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match=r"projection\.example\.build"):
        load_example(tmp_path)


def test_records_the_pages_cannot_show_are_refused_when_read_naming_file_line_and_id(tmp_path: Path) -> None:
    good = [record(f"s{i}", "es", "heuristic") for i in range(3)]
    empty_target = record("s3", "es", "heuristic").to_dict()
    empty_target["target"]["tokens"] = []  # the Review page has nothing to show
    past_the_end = record("s4", "es", "heuristic", [Span(3, 6, "LOC")]).to_dict()  # the Errors page cannot score it
    path = tmp_path / "heuristic.jsonl"
    write_jsonl(good, path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(empty_target) + "\n" + json.dumps(past_the_end) + "\n")
    with pytest.raises(
        ProjectionError, match=r"heuristic\.jsonl, line 4, record 's3': .*the target sentence has no tokens"
    ):
        load_records_folder(tmp_path)
    dataset = load_records_folder(tmp_path, on_error="skip")
    assert dataset.sentence_ids("es") == ["s0", "s1", "s2"]
    assert [p.sentence_id for p in dataset.notes.skipped] == ["s3", "s4"]
    assert "line 5, record 's4'" in dataset.notes.skipped[1].message
    assert "projected span (3, 6, 'LOC') ends after the last token (4 tokens)" in dataset.notes.skipped[1].message
    (tmp_path / "heuristic.jsonl.gz").write_bytes(gzip.compress(path.read_bytes()))
    path.unlink()
    with pytest.raises(ProjectionError, match=r"heuristic\.jsonl\.gz, line 4, record 's3'"):
        load_records_folder(tmp_path)  # gzipped records go through the same reader


def test_a_sentence_id_twice_in_one_file_is_refused_naming_both_lines(tmp_path: Path) -> None:
    write_jsonl([record("a", "es", "h"), record("b", "es", "h"), record("a", "es", "h")], tmp_path / "h.jsonl")
    with pytest.raises(ProjectionError, match=r"h\.jsonl, line 3: the record of sentence 'a' .* first at line 1"):
        load_records_folder(tmp_path)


def test_two_data_sets_of_one_name_are_told_apart_by_their_sentences() -> None:
    first = Dataset("dev", "dev", group_records([("x", [record("a", "sw", "h")])]))
    again = Dataset("dev", "dev", group_records([("y", [record("a", "sw", "other")])]))
    changed = record("a", "sw", "h")
    changed.target.tokens = ["Ana", "anaishi", "Lima", "sasa"]
    other = Dataset("dev", "dev", group_records([("x", [changed])]))
    assert first.ident == again.ident and first.ident.startswith("dev@")
    assert other.ident != first.ident and other.store_key != first.store_key
    merged = first.with_runs(again.runs)
    assert merged.methods("sw") == ["h", "other"] and merged.ident == first.ident and merged.uid != first.uid
    assert first.text_hash("sw", "a") != other.text_hash("sw", "a")
