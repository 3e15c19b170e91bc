"""Hugging Face dataset reader: datasets the tests build and save, and the offline hub error."""

from __future__ import annotations

from pathlib import Path

import datasets
import datasets.config
import pytest

from projection.errors import ProjectionError
from projection.readers.conll import read_conll
from projection.readers.huggingface import read_hf_dataset
from projection.readers.notes import LOWERCASE, STRAY_INSIDE, ReadNotes

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-DATE", "I-DATE"]
FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "tokens": datasets.Sequence(datasets.Value("string")),
        "ner_tags": datasets.Sequence(datasets.ClassLabel(names=LABELS)),
    }
)


@pytest.fixture(scope="module")
def swahili_rows(shared_data: Path) -> dict[str, list]:
    """The first 40 sentences of MasakhaNER 2.0 Swahili test, as dataset columns with ClassLabel ids."""
    rows: dict[str, list] = {"id": [], "tokens": [], "ner_tags": []}
    tokens: list[str] = []
    tags: list[int] = []
    for line in (shared_data / "masakhaner2/swa/test.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            token, tag = line.split(" ")
            tokens.append(token)
            tags.append(LABELS.index(tag))
        elif tokens:
            rows["id"].append(f"swa-{len(rows['id'])}")
            rows["tokens"].append(tokens)
            rows["ner_tags"].append(tags)
            tokens, tags = [], []
            if len(rows["id"]) == 40:
                break
    return rows


def test_saved_dataset_dict_matches_the_conll_file(tmp_path: Path, shared_data: Path, swahili_rows: dict) -> None:
    dataset = datasets.Dataset.from_dict(swahili_rows, features=FEATURES)
    datasets.DatasetDict({"test": dataset, "validation": dataset.select(range(5))}).save_to_disk(tmp_path / "swa")
    sentences = read_hf_dataset(tmp_path / "swa", "test", "sw")
    expected = read_conll(shared_data / "masakhaner2/swa/test.txt", "sw")[:40]
    assert [s.id for s in sentences] == [f"swa-{i}" for i in range(40)]
    assert [(s.tokens, s.spans) for s in sentences] == [(s.tokens, s.spans) for s in expected]
    assert sum(len(s.spans) for s in sentences) > 0 and all(s.lang == "sw" for s in sentences)
    assert len(read_hf_dataset(tmp_path / "swa", "validation", "sw")) == 5


def test_missing_or_unnamed_split(tmp_path: Path, swahili_rows: dict) -> None:
    dataset = datasets.Dataset.from_dict(swahili_rows, features=FEATURES)
    datasets.DatasetDict({"test": dataset, "train": dataset}).save_to_disk(tmp_path / "two")
    with pytest.raises(ProjectionError, match=r"no split 'dev' .* its splits are: test, train"):
        read_hf_dataset(tmp_path / "two", "dev", "sw")
    with pytest.raises(ProjectionError, match="No split was given"):
        read_hf_dataset(tmp_path / "two", None, "sw")


def test_single_dataset_with_string_tags_and_other_columns(tmp_path: Path) -> None:
    dataset = datasets.Dataset.from_dict(
        {"words": [["Ana", "vive", "en", "La", "Paz"]], "labels": [["S-PER", "O", "O", "B-LOC", "E-LOC"]]}
    )
    dataset.save_to_disk(tmp_path / "plain")
    (sentence,) = read_hf_dataset(tmp_path / "plain", None, "es", tokens_column="words", tags_column="labels")
    assert sentence.id == "data-0"
    assert [span.key for span in sentence.spans] == [(0, 1, "PER"), (3, 5, "LOC")]


def test_bad_columns_and_tags(tmp_path: Path) -> None:
    datasets.Dataset.from_dict({"tokens": [["a", "b"]], "tags": [["O", "B-PER"]]}).save_to_disk(tmp_path / "d")
    with pytest.raises(ProjectionError, match="no column 'ner_tags'; its columns are tokens, tags"):
        read_hf_dataset(tmp_path / "d", None, "xx")
    datasets.Dataset.from_dict({"tokens": [["a", "b"]], "ner_tags": [["O", "PER"]]}).save_to_disk(tmp_path / "u")
    with pytest.raises(ProjectionError, match="row 0: unknown tag 'PER'"):
        read_hf_dataset(tmp_path / "u", None, "xx")
    datasets.Dataset.from_dict({"tokens": [["a", "b"]], "ner_tags": [["O"]]}).save_to_disk(tmp_path / "n")
    with pytest.raises(ProjectionError, match="row 0: 2 tokens but 1 tags"):
        read_hf_dataset(tmp_path / "n", None, "xx")


def test_directory_that_is_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="not a saved Hugging Face dataset"):
        read_hf_dataset(tmp_path, "test", "xx")


def test_hub_id_without_network_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    with pytest.raises(ProjectionError, match="Could not load the Hugging Face dataset 'masakhane/no-such-set'"):
        read_hf_dataset("masakhane/no-such-set", "test", "sw")


def test_bad_rows_are_skipped_and_listed_and_odd_tags_noted(tmp_path: Path) -> None:
    rows = {
        "id": ["a", "b", "a", "c"],
        "tokens": [["Ana", "vive"], ["x", "y"], ["Lima"], ["en", "Lima"]],
        "ner_tags": [["b-per", "O"], ["O"], ["B-LOC"], ["O", "I-LOC"]],
    }
    datasets.Dataset.from_dict(rows).save_to_disk(tmp_path / "d")
    with pytest.raises(ProjectionError, match="row 1: 2 tokens but 1 tags"):
        read_hf_dataset(tmp_path / "d", None, "es")
    notes = ReadNotes()
    sentences = read_hf_dataset(tmp_path / "d", None, "es", on_error="skip", notes=notes)
    assert [(s.id, [span.key for span in s.spans]) for s in sentences] == [
        ("a", [(0, 1, "PER")]),
        ("c", [(1, 2, "LOC")]),
    ]
    assert [p.message.split(", row ")[1] for p in notes.skipped] == [
        "1: 2 tokens but 1 tags",
        "2: sentence id 'a' occurs twice, first at row 0",
    ]
    assert notes.count(LOWERCASE) == 1 and notes.count(STRAY_INSIDE) == 1
    assert notes.notes[(f"The dataset {str(tmp_path / 'd')!r}", STRAY_INSIDE)].first.endswith("row 3")
