"""The writers registry and the choice of writer by output extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.readers.conll import read_conll
from projection.readers.jsonl import read_jsonl
from projection.writers import format_for, write_records, writers
from projection.writers.conll import write_conll


def test_registry() -> None:
    assert {"conll", "jsonl"} <= set(writers.names)
    assert writers.get("conll") is write_conll


def test_format_follows_the_extension(tmp_path: Path) -> None:
    sentences = [Sentence("s1", "sw", ["Rais", "Duque"], [Span(1, 2, "PER")])]
    assert format_for("x.conll") == "conll" and format_for("x.iob") == "conll" and format_for("X.JSONL") == "jsonl"
    assert write_records(sentences, tmp_path / "out.conll") == 1
    assert read_conll(tmp_path / "out.conll", "sw")[0].spans[0].key == (1, 2, "PER")
    assert write_records(sentences, tmp_path / "out.jsonl") == 1
    assert read_jsonl(tmp_path / "out.jsonl")[0].tokens == ["Rais", "Duque"]
    assert write_records(sentences, tmp_path / "out.data", format="jsonl") == 1
    assert read_jsonl(tmp_path / "out.data") == read_jsonl(tmp_path / "out.jsonl")


def test_unknown_extension_or_format(tmp_path: Path) -> None:
    with pytest.raises(ProjectionError, match=r"output format of .*out\.xyz"):
        write_records([], tmp_path / "out.xyz")
    with pytest.raises(ProjectionError, match="Unknown writer 'xml'"):
        write_records([], tmp_path / "out.conll", format="xml")
    assert list(tmp_path.iterdir()) == []
