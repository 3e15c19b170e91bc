"""The Hugging Face labeller over tiny random XLM-R token classifiers built from MAFAND text."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
import tiny_models

from projection.data import Sentence
from projection.errors import ProjectionError
from projection.labellers import labellers
from projection.labellers.huggingface import HuggingFaceLabeller
from projection.tags import tags_to_spans

CONLL = {"PER", "ORG", "LOC", "MISC"}


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def lines(shared_data: Path) -> list[str]:
    return tiny_models.mafand_lines(shared_data)


@pytest.fixture(scope="module")
def tagger_dir(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> str:
    # room for the short test sentences in one sequence, so they can be checked against a direct run
    return str(tiny_models.build_tiny_xlmr_tagger(tmp_path_factory.mktemp("xlmr"), lines, max_positions=130))


@pytest.fixture(scope="module")
def sentences(shared_data: Path) -> list[Sentence]:
    english = (shared_data / "mafand" / "en-swa" / "test.en").read_text(encoding="utf-8").splitlines()
    short = [line.split() for line in english if 4 <= len(line.split()) <= 12][:6]
    return [Sentence(str(k), "en", tokens) for k, tokens in enumerate(short)]


def direct_spans(model_dir: str, tokens: list[str]) -> list[tuple[int, int, str, float]]:
    """The labelling written out for a sentence that fits: first sub-word's tag per word, mean probability."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForTokenClassification.from_pretrained(model_dir).eval()
    encoding = tokenizer(tokens, is_split_into_words=True, return_tensors="pt")
    with torch.no_grad():
        probabilities = torch.softmax(model(**encoding).logits[0], dim=-1)
    first: dict[int, int] = {}
    for position, word in enumerate(encoding.word_ids()):
        if word is not None and word not in first:
            first[word] = position
    best = [int(probabilities[first[w]].argmax()) for w in range(len(tokens))]
    confidence = [float(probabilities[first[w]].max()) for w in range(len(tokens))]
    tags = [model.config.id2label[index] for index in best]
    return [
        (span.start, span.end, span.label, float(np.mean(confidence[span.start : span.end])))
        for span in tags_to_spans(tags)
    ]


def test_spans_are_word_level_on_the_given_tokens(tagger_dir: str, sentences: list[Sentence]) -> None:
    results = HuggingFaceLabeller(tagger_dir).label(sentences)
    assert len(results) == len(sentences)
    assert any(results)
    for sentence, spans in zip(sentences, results, strict=True):
        for span in spans:
            assert 0 <= span.start < span.end <= len(sentence.tokens)
            assert span.label in CONLL and span.origin == "hf"
            assert 0.0 < span.score <= 1.0
        ordered = sorted(spans, key=lambda s: s.start)
        assert all(a.end <= b.start for a, b in pairwise(ordered))


def test_same_spans_and_scores_as_the_model_run_directly(tagger_dir: str, sentences: list[Sentence]) -> None:
    results = HuggingFaceLabeller(tagger_dir, batch_size=4).label(sentences)
    for sentence, spans in zip(sentences, results, strict=True):
        expected = direct_spans(tagger_dir, sentence.tokens)
        assert [s.key for s in spans] == [e[:3] for e in expected]
        assert [s.score for s in spans] == pytest.approx([e[3] for e in expected], abs=1e-5)


def test_batched_equals_one_sentence_at_a_time(tagger_dir: str, sentences: list[Sentence]) -> None:
    labeller = HuggingFaceLabeller(tagger_dir, batch_size=8)
    batched = labeller.label(sentences)
    single = [labeller.label([sentence])[0] for sentence in sentences]
    assert [[s.key for s in spans] for spans in batched] == [[s.key for s in spans] for spans in single]


def test_long_sentence_gets_labels_for_every_word(tmp_path: Path, lines: list[str]) -> None:
    # 40 positions leave 36 sub-words per window; this sentence has far more words than that.
    model_dir = str(tiny_models.build_tiny_xlmr_tagger(tmp_path / "loc", lines, favour="B-LOC"))
    tokens = " ".join(lines[:6]).split()
    assert len(tokens) > 60
    (spans,) = HuggingFaceLabeller(model_dir).label([Sentence("long", "en", tokens)])
    assert [s.key for s in spans] == [(i, i + 1, "LOC") for i in range(len(tokens))]


def test_inside_tags_continue_an_entity_across_windows(tmp_path: Path, lines: list[str]) -> None:
    model_dir = str(tiny_models.build_tiny_xlmr_tagger(tmp_path / "iper", lines, favour="I-PER"))
    tokens = " ".join(lines[:4]).split()
    (spans,) = HuggingFaceLabeller(model_dir).label([Sentence("long", "en", tokens)])
    assert [s.key for s in spans] == [(0, len(tokens), "PER")]
    assert spans[0].score == pytest.approx(1.0)


def test_label_map_renames_and_drops(tagger_dir: str, sentences: list[Sentence]) -> None:
    everything = HuggingFaceLabeller(tagger_dir).label(sentences)
    people = HuggingFaceLabeller(tagger_dir, label_map={"PER": "PERSON"}).label(sentences)
    expected = [[(s.start, s.end, "PERSON") for s in spans if s.label == "PER"] for spans in everything]
    assert [[s.key for s in spans] for spans in people] == expected


def test_min_score_is_never_above_the_mean(tagger_dir: str, sentences: list[Sentence]) -> None:
    mean = HuggingFaceLabeller(tagger_dir).label(sentences)
    least = HuggingFaceLabeller(tagger_dir, span_score="min").label(sentences)
    pairs = [(a, b) for x, y in zip(mean, least, strict=True) for a, b in zip(x, y, strict=True)]
    assert pairs and all(b.score <= a.score + 1e-9 for a, b in pairs)


def test_empty_sentences_and_odd_tokens(tagger_dir: str) -> None:
    odd = Sentence("odd", "en", ["Kenya", "\u200b", "Nairobi", "\x00"])
    empty, spans = HuggingFaceLabeller(tagger_dir).label([Sentence("e", "en", []), odd])
    assert empty == []
    assert all(0 <= s.start < s.end <= 4 for s in spans)


def test_a_model_without_ner_tags_is_refused(tmp_path: Path, lines: list[str]) -> None:
    model_dir = str(tiny_models.build_tiny_xlmr_tagger(tmp_path / "cls", lines, labels=["LABEL_0", "LABEL_1"]))
    with pytest.raises(ProjectionError, match="does not predict NER tags"):
        HuggingFaceLabeller(model_dir).label([Sentence("1", "en", ["Kenya"])])


def test_registry_and_identity(tagger_dir: str) -> None:
    labeller = labellers.create(f"hf:{tagger_dir}", batch_size=2)
    assert isinstance(labeller, HuggingFaceLabeller)
    identity = labeller.identity()
    assert identity["params"]["model"] == tagger_dir and identity["versions"]["fingerprint"]
    with pytest.raises(ProjectionError, match="span_score"):
        HuggingFaceLabeller(tagger_dir, span_score="max")
