"""EasyProject markers: marking, reading markers that moved, merged, vanished or stuck to words, and labelling."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.markers import Markers, easyproject, mark_sentence, read_markers, similarity
from projection.translators import Translator

needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")


class TableTranslator(Translator):
    """Returns fixed translations (a stand-in for MT output with known marker damage)."""

    name = "table"

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__(src_lang="en", tgt_lang="es")
        self.table = table

    def translate(self, texts: Sequence[str]) -> list[str]:
        return [self.table[text] for text in texts]


def marked_text(reading, start: int, end: int) -> str:
    return reading.text[start:end]


def test_mark_sentence_wraps_each_entity() -> None:
    tokens = ["The", "European", "Union", "met", "Obama", "."]
    spans = [Span(1, 3, "ORG"), Span(4, 5, "PER")]
    assert mark_sentence(tokens, spans) == "The [European Union] met [Obama] ."


def test_markers_inside_the_source_are_replaced() -> None:
    assert mark_sentence(["a", "[1]", "Bob"], [Span(2, 3, "PER")]) == "a (1) [Bob]"


def test_custom_markers() -> None:
    markers = Markers("<<", ">>")
    assert mark_sentence(["met", "Obama"], [Span(1, 2, "PER")], markers) == "met <<Obama>>"
    reading = read_markers("conoció a <<Obama>>", markers)
    assert [reading.text[a:b] for a, b in reading.char_spans] == ["Obama"]


def test_bad_markers_are_a_user_error() -> None:
    with pytest.raises(ProjectionError):
        Markers("[", "[")
    with pytest.raises(ProjectionError):
        Markers("[ ", "]")


def test_read_balanced_markers() -> None:
    reading = read_markers("El [presidente Obama] visitó [Berlín] ayer.")
    assert reading.text == "El presidente Obama visitó Berlín ayer."
    assert [reading.text[a:b] for a, b in reading.char_spans] == ["presidente Obama", "Berlín"]
    assert reading.balanced_pairs == 2 and reading.unmatched_markers == 0


def test_markers_between_letters_do_not_glue_words() -> None:
    reading = read_markers("visitó[Berlín]ayer")
    assert reading.text.split() == ["visitó", "Berlín", "ayer"]
    assert [reading.text[a:b] for a, b in reading.char_spans] == ["Berlín"]


def test_unpaired_markers_mark_the_neighbouring_word() -> None:
    reading = read_markers("visitó [Berlín ayer y Roma] .")
    assert [reading.text[a:b] for a, b in reading.char_spans] == ["Berlín ayer y Roma"]
    lone_open = read_markers("visitó [Berlín ayer")
    assert [lone_open.text[a:b] for a, b in lone_open.char_spans] == ["Berlín"]
    assert lone_open.unmatched_markers == 1
    lone_close = read_markers("visitó Berlín] ayer")
    assert [lone_close.text[a:b] for a, b in lone_close.char_spans] == ["Berlín"]
    double_open = read_markers("[Ana y [Luis] vinieron")
    assert [double_open.text[a:b] for a, b in double_open.char_spans] == ["Ana", "Luis"]
    assert double_open.balanced_pairs == 1 and double_open.unmatched_markers == 1


def test_similarity_ignores_case_accents_and_word_order() -> None:
    assert similarity("BERLÍN", "berlin") == 1.0
    assert similarity("Emiratos Árabes Unidos", "Unió Emiratos árabes") >= 0.6
    assert similarity("Japón", "Alemania") < 0.5


def test_easyproject_labels_spans_by_the_matching_entity_translation() -> None:
    source = Sentence("s1", "en", ["Angela", "Merkel", "met", "Barack", "Obama", "in", "Berlin", "."])
    source.spans = [Span(0, 2, "PER"), Span(3, 5, "PER"), Span(6, 7, "LOC")]
    translator = TableTranslator(
        {
            "[Angela Merkel] met [Barack Obama] in [Berlin] .": "[Berlín] recibió a [Barack Obama] y [Angela Merkel] .",
            "Angela Merkel": "Angela Merkel",
            "Barack Obama": "Barack Obama",
            "Berlin": "Berlín",
        }
    )
    result = easyproject([source], translator, "es")
    target = result.sentences[0]
    assert target.tokens == ["Berlín", "recibió", "a", "Barack", "Obama", "y", "Angela", "Merkel", "."]
    assert [(s.start, s.end, s.label) for s in target.spans] == [(0, 1, "LOC"), (3, 5, "PER"), (6, 8, "PER")]
    assert all(s.origin == "projected:easyproject" for s in target.spans)
    assert result.report.matched == 3 and result.report.lost == 0 and result.report.kept_ratio == 1.0


def test_lost_markers_are_recovered_or_reported() -> None:
    recoverable = Sentence("ok", "en", ["Visit", "Spain", "."], [Span(1, 2, "LOC")])
    hopeless = Sentence("gone", "en", ["Ask", "Smith", "."], [Span(1, 2, "PER")])
    translator = TableTranslator(
        {
            "Visit [Spain] .": "Visita España .",
            "Ask [Smith] .": "Pregunta al herrero .",
            "Spain": "España",
            "Smith": "Forjador",
        }
    )
    result = easyproject([recoverable, hopeless], translator, "es")
    assert [(s.start, s.end, s.label) for s in result.sentences[0].spans] == [(1, 2, "LOC")]
    assert result.sentences[1].spans == []
    assert result.report.recovered == 1
    assert result.report.lost == 1
    assert result.report.lost_sentence_ids == ["gone"]
    assert result.report.kept_ratio == 0.0


def test_changed_wording_with_kept_markers_is_matched_by_order() -> None:
    # Apertium translates "Split" alone differently than in context; the markers still say where it is.
    source = Sentence("s", "en", ["Split", "(", "Croatia", ")"], [Span(0, 1, "ORG"), Span(2, 3, "LOC")])
    translator = TableTranslator(
        {"[Split] ( [Croatia] )": "[Ruptura] ( [Croacia] )", "Split": "Parte", "Croatia": "Croacia"}
    )
    result = easyproject([source], translator, "es")
    assert [(s.start, s.end, s.label) for s in result.sentences[0].spans] == [(0, 1, "ORG"), (2, 3, "LOC")]
    assert result.report.matched == 1 and result.report.matched_by_order == 1


@needs_apertium
@pytest.mark.slow
def test_apertium_keeps_markers_on_real_english(shared_data) -> None:
    from projection.readers import read_sentences
    from projection.translators.apertium import ApertiumTranslator

    sentences = [s for s in read_sentences(shared_data / "conll2003_en" / "test.txt", "en") if s.spans][:200]
    result = easyproject(sentences, ApertiumTranslator(src_lang="en", tgt_lang="es"), "es")
    report = result.report
    assert report.sentences_with_entities == 200
    assert report.kept_ratio >= 0.95
    assert report.lost <= 0.02 * report.entities
    # Person names pass through Apertium unchanged: where one appears verbatim, it must be projected exactly.
    checked = exact = 0
    for source, target in zip(sentences, result.sentences, strict=True):
        projected = {(" ".join(target.tokens[s.start : s.end]), s.label) for s in target.spans}
        for span in source.spans:
            name = source.tokens[span.start : span.end]
            if span.label == "PER" and " ".join(name) in " ".join(target.tokens):
                checked += 1
                exact += (" ".join(name), "PER") in projected
    assert checked >= 50
    assert exact / checked >= 0.9
