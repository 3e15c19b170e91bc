"""The readers registry and read_sentences' choice of reader by extension or shape."""

from __future__ import annotations

from pathlib import Path

import datasets
import pytest

from projection.errors import ProjectionError
from projection.readers import detect_format, read_sentences, readers
from projection.readers.bitext import read_bitext
from projection.readers.conll import read_conll


def test_registry_names_the_four_readers() -> None:
    assert {"bitext", "conll", "hf", "jsonl"} <= set(readers.names)
    assert readers.get("bitext") is read_bitext
    assert readers.get("conll") is read_conll


def test_reads_a_real_conll_file_by_extension(shared_data: Path) -> None:
    path = shared_data / "conll2002/esp.testa"
    assert detect_format(path) == "conll"
    sentences = read_sentences(path, "es", label_set={"PER"})
    assert len(sentences) == 1915
    assert {span.label for s in sentences for span in s.spans} == {"PER"}


def test_jsonl_by_extension_and_by_shape(tmp_path: Path) -> None:
    line = '{"tokens": ["Ana", "canta"], "tags": ["B-PER", "O"]}\n'
    for name in ("a.jsonl", "a.data"):
        (tmp_path / name).write_text("\n" + line, encoding="utf-8")
        assert detect_format(tmp_path / name) == "jsonl"
        (sentence,) = read_sentences(tmp_path / name, "es")
        assert sentence.tokens == ["Ana", "canta"] and sentence.spans[0].key == (0, 1, "PER")


def test_unknown_extension_with_conll_shape(tmp_path: Path) -> None:
    path = tmp_path / "swa.dev"
    path.write_text("Ana B-PER\n", encoding="utf-8")
    assert detect_format(path) == "conll"
    assert read_sentences(path, "sw")[0].spans[0].key == (0, 1, "PER")


def test_saved_dataset_directory(tmp_path: Path) -> None:
    datasets.Dataset.from_dict({"tokens": [["Ana"]], "ner_tags": [["B-PER"]]}).save_to_disk(tmp_path / "ds")
    assert detect_format(tmp_path / "ds") == "hf"
    (sentence,) = read_sentences(tmp_path / "ds", "es")
    assert sentence.spans[0].key == (0, 1, "PER")


def test_format_errors(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match="not a saved Hugging Face dataset"):
        read_sentences(tmp_path, "xx")
    with pytest.raises(ProjectionError, match=r"File not found: .*format='hf'"):
        read_sentences(tmp_path / "missing.conll", "xx")
    (tmp_path / "a.tsv").write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match="read_bitext"):
        read_sentences(tmp_path / "a.tsv", "xx", format="bitext")
    with pytest.raises(ProjectionError, match="use one of auto, conll, jsonl, hf"):
        read_sentences(tmp_path / "a.tsv", "xx", format="csv")
