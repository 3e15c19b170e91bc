"""spaCy DocBin writer: the files load with DocBin, carry the same entities, and feed `spacy train`."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.readers.conll import iter_conll, read_conll
from projection.writers.spacy_docbin import write_spacy_docbin


def load(path: Path) -> list[spacy.tokens.Doc]:
    vocab = spacy.blank("xx").vocab
    files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
    return [doc for file in files for doc in DocBin().from_disk(file).get_docs(vocab)]


def entities(doc: spacy.tokens.Doc) -> list[tuple[int, int, str]]:
    return [(ent.start, ent.end, ent.label_) for ent in doc.ents]


def test_swahili_gold_file_as_one_docbin(tmp_path: Path, shared_data: Path) -> None:
    original = read_conll(shared_data / "masakhaner2/swa/dev.txt", "sw")
    out = tmp_path / "swa.spacy"
    assert write_spacy_docbin(iter(original), out) == len(original)
    docs = load(out)
    assert [[token.text for token in doc] for doc in docs] == [s.tokens for s in original]
    assert [entities(doc) for doc in docs] == [[s.key for s in sentence.spans] for sentence in original]
    assert sum(len(doc.ents) for doc in docs) > 1000
    # every token carries a decision: O outside entities, never "missing"
    assert all(token.ent_iob_ in ("B", "I", "O") for doc in docs for token in doc)


def test_directory_of_shards_holds_every_sentence_in_order(tmp_path: Path, shared_data: Path) -> None:
    stream = itertools.islice(iter_conll(shared_data / "conll2002/esp.testa", "es"), 600)
    out = tmp_path / "esp"
    assert write_spacy_docbin(stream, out, shard_size=250) == 600
    assert [p.name for p in sorted(out.iterdir())] == ["part-00000.spacy", "part-00001.spacy", "part-00002.spacy"]
    docs = load(out)
    original = read_conll(shared_data / "conll2002/esp.testa", "es")[:600]
    assert [entities(doc) for doc in docs] == [[s.key for s in sentence.spans] for sentence in original]


def test_record_sides_and_overlap_refused_without_a_file(tmp_path: Path) -> None:
    record = ProjectionRecord(
        id="r1",
        source=Sentence("r1", "en", ["President", "Ruto", "visited", "Mombasa"], [Span(1, 2, "PER")]),
        target=Sentence("r1", "sw", ["Rais", "Ruto", "alitembelea", "Mombasa"]),
        alignment=Alignment([(0, 0), (1, 1), (2, 2), (3, 3)]),
        projected=[Span(1, 2, "PER", 0.9, "projected:heuristic"), Span(3, 4, "LOC")],
    )
    out = tmp_path / "r.spacy"
    write_spacy_docbin([record], out)
    assert [token.text for token in load(out)[0]] == ["Rais", "Ruto", "alitembelea", "Mombasa"]
    assert entities(load(out)[0]) == [(1, 2, "PER"), (3, 4, "LOC")]
    write_spacy_docbin([record], out, which="source")
    assert entities(load(out)[0]) == [(1, 2, "PER")]

    broken = tmp_path / "broken.spacy"
    record.projected = [Span(1, 3, "PER"), Span(2, 4, "LOC")]
    with pytest.raises(ProjectionError, match=r"'r1'.*overlap"):
        write_spacy_docbin([record], broken)
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.slow
def test_spacy_train_accepts_the_output(tmp_path: Path, shared_data: Path) -> None:
    sentences = read_conll(shared_data / "masakhaner2/swa/dev.txt", "sw")
    write_spacy_docbin(sentences[:200], tmp_path / "train")
    write_spacy_docbin(sentences[200:260], tmp_path / "dev.spacy")
    config = tmp_path / "config.cfg"
    init = [sys.executable, "-m", "spacy", "init", "config", str(config), "--lang", "xx", "--pipeline", "ner"]
    subprocess.run(init, check=True, capture_output=True)
    train = [
        sys.executable, "-m", "spacy", "train", str(config), "--output", str(tmp_path / "model"),
        "--paths.train", str(tmp_path / "train"), "--paths.dev", str(tmp_path / "dev.spacy"),
        "--training.max_steps", "20", "--training.eval_frequency", "10",
    ]  # fmt: skip
    done = subprocess.run(train, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    nlp = spacy.load(tmp_path / "model" / "model-last")
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "DATE"}
