"""Hugging Face writer: save_to_disk and Parquet with a ClassLabel, read back by our reader and by datasets."""

from __future__ import annotations

import itertools
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.readers.conll import iter_conll, read_conll
from projection.readers.huggingface import read_hf_dataset
from projection.writers import write_records
from projection.writers.hf_dataset import BATCH_ROWS, write_hf_dataset, write_parquet


def test_round_trip_through_our_reader_and_parquet(tmp_path: Path, shared_data: Path) -> None:
    original = read_conll(shared_data / "masakhaner2/swa/dev.txt", "sw")
    out = tmp_path / "swa"
    assert write_hf_dataset(iter(original), out, labels=["PER", "ORG", "LOC", "DATE"]) == len(original)

    again = read_hf_dataset(out, None, "sw")
    assert [s.id for s in again] == [s.id for s in original]
    assert [s.tokens for s in again] == [s.tokens for s in original]
    assert [[span.key for span in s.spans] for s in again] == [[span.key for span in s.spans] for s in original]

    names = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-DATE", "I-DATE"]
    saved = datasets.load_from_disk(str(out))
    assert saved.features["ner_tags"].feature.names == names
    parquet = datasets.load_dataset(
        "parquet", data_files=str(out / "parquet" / "train.parquet"), split="train", cache_dir=str(tmp_path / "hf")
    )
    assert parquet.features == saved.features
    assert parquet["ner_tags"] == saved["ner_tags"]
    first_entity = next(s for s in original if s.spans).spans[0]
    row = next(r for r in saved if r["id"] == next(s for s in original if s.spans).id)
    assert names[row["ner_tags"][first_entity.start]] == f"B-{first_entity.label}"


def test_streams_in_batches_and_takes_the_labels_it_sees(tmp_path: Path, shared_data: Path) -> None:
    stream = itertools.islice(iter_conll(shared_data / "conll2002/esp.testa", "es"), BATCH_ROWS + 300)
    out = tmp_path / "esp.parquet"
    assert write_records(stream, out) == BATCH_ROWS + 300
    assert pq.ParquetFile(out).metadata.num_row_groups == 2
    table = datasets.Dataset.from_parquet(str(out), cache_dir=str(tmp_path / "hf"))
    assert table.features["ner_tags"].feature.names == [
        "O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG", "B-PER", "I-PER"
    ]  # fmt: skip


def test_unknown_label_and_overlap_leave_no_output(tmp_path: Path) -> None:
    sentence = Sentence("s1", "sw", ["Mheshimiwa", "Ruto", "Nairobi"], [Span(1, 2, "PER"), Span(2, 3, "MISC")])
    with pytest.raises(ProjectionError, match="MISC"):
        write_hf_dataset([sentence], tmp_path / "out", labels=["PER", "LOC"])
    sentence.spans = [Span(0, 2, "PER"), Span(1, 3, "LOC")]
    with pytest.raises(ProjectionError, match="'s1'"):
        write_parquet([sentence], tmp_path / "out.parquet")
    assert list(tmp_path.iterdir()) == []


def test_replaces_an_existing_export_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_hf_dataset([Sentence("a", "sw", ["Dodoma"], [Span(0, 1, "LOC")])], out)
    write_hf_dataset([Sentence("b", "sw", ["Juma", "Nairobi"], [Span(0, 1, "PER")])], out)
    assert datasets.load_from_disk(str(out))["id"] == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
