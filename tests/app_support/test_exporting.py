"""Export from the app: the command line's writers, corrections merged."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from projection.app_support.exporting import export_formats, export_records
from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.readers.conll import read_conll

TOKENS = [["Ana", "vive", "en", "Lima"], ["Hoy", "llueve", "en", "Quito"]]


def records() -> list[ProjectionRecord]:
    return [
        ProjectionRecord(
            id=f"s{k}",
            source=Sentence(f"s{k}", "en", tokens),
            target=Sentence(f"s{k}", "es", tokens),
            alignment=Alignment(),
            projected=[Span(3, 4, "ORG", origin="projected:heuristic")],
            provenance={"method": "heuristic"},
        )
        for k, tokens in enumerate(TOKENS)
    ]


def test_conll_export_merges_corrections_and_reads_back(tmp_path: Path) -> None:
    progress: list[tuple[int, int]] = []
    result = export_records(
        records(),
        "conll",
        stem="example-es-heuristic",
        corrections={"s0": [Span(0, 1, "PER"), Span(3, 4, "LOC")]},
        progress=lambda done, total: progress.append((done, total)),
    )
    assert result.filename == "example-es-heuristic.conll" and result.mime == "text/plain"
    assert (result.n_sentences, result.n_corrected) == (2, 1)
    assert progress[-1] == (2, 2)
    path = tmp_path / "out.conll"
    path.write_bytes(result.data)
    back = read_conll(path, "es")
    assert [s.tokens for s in back] == TOKENS
    assert [[span.key for span in s.spans] for s in back] == [[(0, 1, "PER"), (3, 4, "LOC")], [(3, 4, "ORG")]]


def test_jsonl_export_of_chosen_sentences_keeps_provenance() -> None:
    result = export_records(records(), "jsonl", stem="x", corrections={"s1": []}, only_ids={"s1"})
    lines = [json.loads(line) for line in result.data.decode("utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["s1"]
    assert lines[0]["projected"] == [] and lines[0]["provenance"]["corrected"] is True
    assert {"conll", "jsonl"} <= set(export_formats())


def test_a_correction_that_overlaps_is_refused_with_the_sentence_named() -> None:
    # The app goes through the command line's checks: CoNLL cannot hold overlapping spans.
    overlapping = {"s1": [Span(2, 4, "LOC"), Span(3, 4, "ORG")]}
    with pytest.raises(ProjectionError, match=r"sentence s1.*overlap"):
        export_records(records(), "conll", stem="example", corrections=overlapping)


def test_label_studio_export_comes_with_its_labelling_config() -> None:
    result = export_records(records(), "label-studio", stem="example-es")
    assert result.filename == "example-es.json.zip" and result.mime == "application/zip"
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        names = sorted(archive.namelist())
        config = archive.read("example-es.label_config.xml").decode("utf-8")
        tasks = json.loads(archive.read("example-es.json"))
    assert names == ["example-es.json", "example-es.label_config.xml"]
    assert '<Label value="ORG"/>' in config and len(tasks) == 2


def test_a_folder_format_is_zipped_under_its_own_name() -> None:
    result = export_records(records(), "hf", stem="example-es")
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        assert all(name.startswith("example-es.hf/") for name in archive.namelist())
        assert "example-es.hf/dataset_info.json" in archive.namelist()
