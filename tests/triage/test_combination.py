"""The learned combination: the shape and committee-label signals, the linear weights, their file and learning."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.triage.committee import committee_signals
from projection.triage.learn import fit_weights
from projection.triage.shape import shape_signals
from projection.triage.weights import Weights, load_weights, save_weights

TARGET = Sentence("s", "es", ["el", "ciclista", "Marcos", "Peña", "ganó"])


def record(spans: list[Span], sid: str = "s") -> ProjectionRecord:
    source = Sentence(sid, "en", ["the", "cyclist", "Marcos", "Peña", "won"], [Span(2, 4, "PER")])
    return ProjectionRecord(sid, source, Sentence(sid, "es", TARGET.tokens), projected=spans)


def test_a_span_that_takes_in_a_common_word_has_a_lower_case_edge() -> None:
    (values,) = shape_signals([record([Span(1, 3, "PER"), Span(2, 4, "PER")])]).values
    assert [found["lower_edge"] for found in values] == [1.0, 0.0]


def test_words_without_case_give_no_shape_value() -> None:
    uncased = ProjectionRecord(
        "u",
        Sentence("u", "en", ["Tokyo"], [Span(0, 1, "LOC")]),
        Sentence("u", "ja", ["東京", "に"]),
        projected=[Span(0, 1, "LOC")],
    )
    assert shape_signals([uncased]).values == [[{}]]


def test_the_committee_says_when_others_cut_the_same_words_with_another_label() -> None:
    own = [record([Span(2, 4, "ORG")])]
    others = {"ner-greedy": [record([Span(2, 4, "PER")])], "ngram-greedy": [record([Span(2, 3, "ORG")])]}
    ((values,),) = committee_signals(own, others).values
    assert values["relabel"] == 0.5
    assert values["same_label"] == 0.5
    assert values["agree"] == 0.0


def linear() -> Weights:
    return Weights(
        ["committee.agree", "consistency.label_share"], [0.8, 0.9], [0.2, 0.1], [-1.0, -0.5], [0.0, 0.7], -0.5
    )


def test_suspicion_is_the_logistic_of_the_standardised_terms_and_a_missing_group_adds_nothing() -> None:
    suspicion, shares = linear().suspicion({"committee.agree": 0.4, "consistency.label_share": 0.9})
    assert shares == pytest.approx({"committee.agree": 2.0, "consistency.label_share": 0.0})
    assert suspicion == pytest.approx(1 / (1 + 2.718281828459045**-1.5))
    _, shares = linear().suspicion({"committee.agree": 0.8})
    assert shares == {"committee.agree": 0.0}


def test_weights_survive_their_file_and_a_broken_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    save_weights({"alignment-only": linear()}, path, trained_on="a test corpus")
    loaded = load_weights("alignment-only", path)
    assert loaded.trained_on == "a test corpus"
    assert loaded.suspicion({"committee.agree": 0.2}) == linear().suspicion({"committee.agree": 0.2})
    data = json.loads(path.read_text())
    data["sets"]["alignment-only"]["features"]["committee.agree"]["scale"] = 0
    path.write_text(json.dumps(data))
    with pytest.raises(ProjectionError, match="not valid"):
        load_weights("alignment-only", path)


def test_learning_gives_a_feature_that_goes_with_errors_a_positive_weight_and_learns_what_missing_means() -> None:
    rng = random.Random(0)
    examples = []
    for _ in range(400):
        wrong = rng.random() < 0.4
        found = {"committee.agree": rng.random() * (0.5 if wrong else 1.0) + (0.0 if wrong else 0.3)}
        if rng.random() < (0.8 if wrong else 0.2):
            found["committee.overlap"] = 1.0
        else:
            found["committee.overlap"] = 0.0
        if not wrong or rng.random() < 0.5:
            found["consistency.label_share"] = 1.0
        found["consistency.projected_share"] = 1.0
        examples.append((found, wrong))
    learned = fit_weights(examples, {"committee": [True, False]}, trained_on="synthetic")
    coefficient = dict(zip(learned.features, learned.coefficient, strict=True))
    missing = dict(zip(learned.features, learned.missing, strict=True))
    assert coefficient["committee.agree"] < 0 < coefficient["committee.overlap"]
    assert missing["consistency.label_share"] > 0
    assert learned.flag_precision == {"committee": 0.5}
    worst, _ = learned.suspicion({"committee.agree": 0.0, "committee.overlap": 1.0})
    best, _ = learned.suspicion({"committee.agree": 1.0, "committee.overlap": 0.0})
    assert worst > 0.5 > best


def test_learning_without_both_outcomes_is_refused() -> None:
    with pytest.raises(ProjectionError, match="both wrong and right"):
        fit_weights([({"committee.agree": 1.0}, False)], {}, trained_on="x")


def test_each_groups_flags_are_kept_before_merging_so_their_precision_can_be_learned() -> None:
    from projection.triage.learn import flag_outcomes
    from projection.triage.ranking import triage

    gold = Sentence("s", "es", TARGET.tokens, [Span(2, 4, "PER")])
    own = ProjectionRecord("s", record([]).source, gold, projected=[], gold=[Span(2, 4, "PER")])
    other = ProjectionRecord("s", own.source, gold, projected=[Span(2, 4, "PER")])
    wrong_other = ProjectionRecord("s", own.source, gold, projected=[Span(0, 1, "ORG")])
    runs = {"heuristic": [own], "ngram-greedy": [other], "ner-greedy": [wrong_other]}
    result = triage(runs, default="heuristic", model=None, weights=Weights([], [], [], [], [], 0.0))
    assert [flag.group for flag in result.sentences[0].raw_flags] == ["committee", "committee"]
    assert sorted(flag_outcomes(result, [own])["committee"]) == [False, True]
