"""Gold labels served as a labeller."""

from __future__ import annotations

from pathlib import Path

from projection.data import Sentence, Span
from projection.labellers import labellers
from projection.readers.conll import read_conll


def test_gold_spans_of_real_sentences_come_back_unchanged(shared_data: Path) -> None:
    sentences = read_conll(shared_data / "conll2002" / "esp.testa", "es")[:50]
    gold = labellers.create("gold")
    assert gold.label(sentences) == [sentence.spans for sentence in sentences]
    assert any(span.label == "MISC" for sentence in sentences for span in sentence.spans)  # not mapped away


def test_origin_is_kept_or_set_to_gold() -> None:
    sentence = Sentence("s", "en", ["Ann", "met", "Bob"], [Span(0, 1, "PER"), Span(2, 3, "PER", 0.5, "corrected")])
    [spans] = labellers.create("gold").label([sentence])
    assert spans == [Span(0, 1, "PER", None, "gold"), Span(2, 3, "PER", 0.5, "corrected")]


def test_label_map_applies_only_when_given() -> None:
    sentence = Sentence(
        "s", "en", ["Ann", "in", "Paris", "Monday"], [Span(0, 1, "PERSON"), Span(2, 3, "GPE"), Span(3, 4, "DATE")]
    )
    unmapped = labellers.create("gold")
    assert [span.label for span in unmapped.label([sentence])[0]] == ["PERSON", "GPE", "DATE"]
    assert unmapped.identity()["params"] == {"label_map": None}
    mapped = labellers.create("gold", label_map={"PERSON": "PER", "GPE": "LOC"})
    assert [(span.start, span.label) for span in mapped.label([sentence])[0]] == [(0, "PER"), (2, "LOC")]
