"""Projection again after link edits and with other settings, on hand-built sentences and the built-in example."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from projection.app_support.datasets import load_example
from projection.data import Alignment, Explanation, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.evaluation import evaluate
from projection.pipeline.reproject import LinkEdit, ProjectorSettings, reproject, span_metrics, what_if
from projection.projectors import projectors
from projection.projectors.explanations import describe, dropped, explanations_for
from projection.projectors.propagation import propagate


def make_record(
    source: Sentence,
    target: Sentence,
    links: Sequence[tuple[int, int]],
    method: str = "heuristic",
    *,
    options: dict[str, Any] | None = None,
    propagate_min: int = 0,
    gold: list[Span] | None = None,
) -> ProjectionRecord:
    """A record as the pipeline writes it: projected by ``method`` with ``options``, provenance included."""
    projector = projectors.create(method, **(options or {}))
    alignment = Alignment(list(links))
    projection = projector.explain_one(source, target, alignment)
    provenance = {
        "method": method,
        "propagate": propagate_min,
        "labels": ["PER", "ORG", "LOC"],
        "stages": {"align": {"kind": "aligner", "name": "eflomal"}, "project": projector.identity()},
    }
    return ProjectionRecord(
        source.id, source, target, alignment, projection.spans, gold, provenance, projection.explanations
    )


def only(explanations: Sequence[Explanation]) -> Explanation:
    (explanation,) = explanations
    return explanation


# "the New York City council" -> "el consejo de Nueva York City": entity NYC (1..4) links to 3 and 5 (gap 4)
NYC_SOURCE = Sentence("nyc", "en", ["the", "New", "York", "City", "council"], [Span(1, 4, "LOC")])
NYC_TARGET = Sentence("nyc", "es", ["el", "consejo", "de", "Nueva", "York", "City"])


def test_removing_a_link_splits_the_span_and_the_length_ratio_drops_it() -> None:
    record = make_record(NYC_SOURCE, NYC_TARGET, [(0, 0), (1, 3), (3, 5), (4, 1)])
    assert [span.key for span in record.projected] == [(3, 6, "LOC")], "the gap word 4 is merged (distance 1)"
    edited = reproject(record, LinkEdit(removed=((3, 5),)))
    assert edited.record.projected == [] and [span.key for span in edited.lost] == [(3, 6, "LOC")]
    why = only(dropped(edited.record))
    assert why.reason == "length-ratio" and why.detail == {"ratio": 0.3333, "threshold": 0.8, "best": [3, 4]}
    assert "'Nueva' are too short: length ratio 0.33 <= 0.8" in describe(edited.record, why)
    assert edited.record.alignment.links == [(0, 0), (1, 3), (4, 1)]
    assert edited.record.provenance["alignment_edit"] == {"added": [], "removed": [[3, 5]]}
    assert record.alignment.links == [(0, 0), (1, 3), (3, 5), (4, 1)], "the record itself is left alone"


def test_the_length_ratio_knob_lets_the_short_span_through() -> None:
    record = make_record(NYC_SOURCE, NYC_TARGET, [(1, 3)])
    assert record.projected == []
    looser = ProjectorSettings.of(record).with_knobs(length_ratio=0.3)
    result = reproject(record, settings=looser)
    assert [span.key for span in result.gained] == [(3, 4, "LOC")]
    why = only(explanations_for(result.record, result.record.projected[0]))
    assert (why.kind, why.links) == ("links", ((1, 3),))
    assert result.record.provenance["stages"]["project"]["params"] == {"merge_distance": 1, "length_ratio": 0.3}


def test_the_merge_distance_knob_decides_whether_a_gap_joins() -> None:
    record = make_record(NYC_SOURCE, NYC_TARGET, [(1, 3), (3, 5)])
    assert [span.key for span in record.projected] == [(3, 6, "LOC")]
    strict = reproject(record, settings=ProjectorSettings.of(record).with_knobs(merge_distance=0))
    assert strict.record.projected == []
    why = only(dropped(strict.record))
    assert why.reason == "length-ratio" and why.detail["best"] == [3, 4], "two runs of one word, each 1/3"
    wide = reproject(make_record(NYC_SOURCE, NYC_TARGET, [(1, 3)]), LinkEdit(added=((2, 5),)))
    assert [span.key for span in wide.record.projected] == [(3, 6, "LOC")]
    assert only(explanations_for(wide.record, wide.record.projected[0])).links == ((1, 3), (2, 5))


def test_adding_a_link_projects_an_entity_that_had_none() -> None:
    source = Sentence(
        "s", "en", ["Lisbon", "hosted", "the", "Atlantic", "summit"], [Span(0, 1, "LOC"), Span(3, 4, "LOC")]
    )
    target = Sentence("s", "es", ["Lisboa", "acogió", "la", "cumbre", "del", "Atlántico"])
    record = make_record(source, target, [(0, 0), (1, 1), (4, 3)])
    assert only(dropped(record)).reason == "no-links"
    assert "none of its words is aligned" in describe(record, only(dropped(record)))
    result = reproject(record, LinkEdit(added=((3, 5),)))
    assert [span.key for span in result.record.projected] == [(0, 1, "LOC"), (5, 6, "LOC")]
    assert [span.key for span in result.gained] == [(5, 6, "LOC")] and result.lost == []
    why = only(explanations_for(result.record, Span(5, 6, "LOC")))
    assert (
        describe(result.record, why) == "'Atlántico' LOC: projected from 'Atlantic' (LOC) by links Atlantic→Atlántico"
    )


def test_a_link_that_makes_two_projections_overlap_drops_the_shorter() -> None:
    source = Sentence("s", "en", ["Bank", "of", "Spain", "chief", "Ana"], [Span(0, 3, "ORG"), Span(4, 5, "PER")])
    target = Sentence("s", "es", ["Ana", "del", "Banco", "de", "España"])
    record = make_record(source, target, [(0, 2), (1, 3), (2, 4), (4, 0)])
    assert [span.key for span in record.projected] == [(0, 1, "PER"), (2, 5, "ORG")]
    result = reproject(record, LinkEdit(added=((4, 2),), removed=((4, 0),)))
    assert [span.key for span in result.record.projected] == [(2, 5, "ORG")]
    why = only(dropped(result.record))
    assert (why.reason, why.entity, why.detail["lost"], why.detail["to"]) == ("overlap", 1, [2, 3], [2, 5])
    assert describe(result.record, why) == (
        "'Ana' (PER) not projected: 'Banco' overlaps 'Banco de España', projected for another entity"
    )


def test_candidate_scores_follow_the_links() -> None:
    source = Sentence("s", "en", ["the", "Atlantic", "Coast"], [Span(1, 3, "LOC")])
    target = Sentence("s", "es", ["la", "costa", "del", "Atlántico"])
    record = make_record(source, target, [(0, 0), (2, 1)], "ngram-greedy")
    first = only(explanations_for(record, record.projected[0]))
    assert (first.span, first.score) == ((1, 2), pytest.approx(2 * 1 / (2 + 1)))
    result = reproject(record, LinkEdit(added=((1, 3),)))
    why = only(explanations_for(result.record, result.record.projected[0]))
    assert why.kind == "candidate" and why.span == (1, 4) and why.score == pytest.approx(2 * 2 / (2 + 3))
    assert why.runner_up is not None and why.runner_up[2] == pytest.approx(2 * 1 / (2 + 1))
    assert result.record.projected[0].score == pytest.approx(0.8)
    assert describe(result.record, why).startswith(
        "'costa del Atlántico' LOC: 'Atlantic Coast' (LOC) matched as an n-gram candidate, c(e,t) = 0.80, runner-up"
    )


def test_a_link_only_to_an_excluded_word_leaves_no_candidate() -> None:
    source = Sentence("s", "en", ["Hello", "Maria"], [Span(1, 2, "PER")])
    target = Sentence("s", "es", ["¡Hola", "María!"])
    record = make_record(source, target, [(0, 0), (1, 1)], "ngram-greedy")
    why = only(dropped(record))
    assert why.reason == "no-candidate"
    assert describe(record, why) == "'Maria' (PER) not projected: no candidate span contains a word aligned to it"
    removed = reproject(record, LinkEdit(removed=((1, 1),)))
    assert only(dropped(removed.record)).reason == "no-links"


def test_a_link_to_punctuation_only_is_dropped_by_garcia_ferrero() -> None:
    source = Sentence("s", "en", ["Madrid", ",", "Monday"], [Span(0, 1, "LOC")])
    target = Sentence("s", "es", ["Madrid", ",", "lunes"])
    record = make_record(source, target, [(0, 1), (2, 2)], "garcia-ferrero")
    why = only(dropped(record))
    assert why.reason == "punctuation" and describe(record, why).endswith("it is aligned to punctuation only")
    fixed = reproject(record, LinkEdit(added=((0, 0),), removed=((0, 1),)))
    assert [span.key for span in fixed.record.projected] == [(0, 1, "LOC")]
    assert ProjectorSettings.of(record).options == {"merge_distance": 1}


def efe_corpus() -> list[ProjectionRecord]:
    """Three datelines; "EFE" is projected as ORG in the first two, through a link the third also has."""
    records = []
    for k, city in enumerate(["Madrid", "Sevilla", "Bilbao"]):
        source = Sentence(f"d{k}", "en", [city, "(", "EFE", ")"], [Span(0, 1, "LOC"), Span(2, 3, "ORG")])
        target = Sentence(f"d{k}", "es", [city, "(", "EFE", ")"])
        records.append(make_record(source, target, [(0, 0), (1, 1), (2, 2), (3, 3)], propagate_min=2))
    return records


def test_propagation_adds_back_a_name_whose_link_was_removed_and_names_its_sources() -> None:
    corpus = efe_corpus()
    result = reproject(corpus[2], LinkEdit(removed=((2, 2),)), corpus=corpus)
    assert [span.key for span in result.record.projected] == [(0, 1, "LOC"), (2, 3, "ORG")]
    (span,) = [span for span in result.record.projected if span.label == "ORG"]
    assert span.origin == "propagated" and result.gained == [] and result.lost == []
    why = only(explanations_for(result.record, span))
    assert why.kind == "propagated" and why.detail == {"from": ["d0", "d1"], "count": 2, "share": 1.0}
    assert describe(result.record, why) == (
        "'EFE' ORG: added by label propagation; the phrase was projected as ORG in 2 sentence(s) "
        "(100% of its projections), e.g. d0, d1"
    )
    assert only(dropped(result.record)).reason == "no-links", "the projector's own drop is still said"

    off = reproject(corpus[2], LinkEdit(removed=((2, 2),)), ProjectorSettings.of(corpus[2]).with_knobs(propagate=0))
    assert [span.key for span in off.record.projected] == [(0, 1, "LOC")]
    assert [span.key for span in off.lost] == [(2, 3, "ORG")]
    higher = ProjectorSettings.of(corpus[2]).with_knobs(propagate=3)
    assert (
        reproject(corpus[2], LinkEdit(removed=((2, 2),)), higher, corpus=corpus).record.projected
        == off.record.projected
    )


def test_propagation_on_one_sentence_needs_its_corpus() -> None:
    with pytest.raises(ValueError, match="corpus"):
        reproject(efe_corpus()[0], LinkEdit(removed=((2, 2),)))


def test_toggling_links_builds_an_edit_relative_to_the_aligner_output() -> None:
    original = Alignment([(0, 0), (1, 1)])
    edit = LinkEdit().toggled((1, 1), original).toggled((2, 0), original)
    assert edit == LinkEdit(added=((2, 0),), removed=((1, 1),))
    assert edit.toggled((1, 1), original).toggled((2, 0), original) == LinkEdit(), "toggling twice undoes"
    assert not LinkEdit() and edit


def test_edited_links_keep_their_scores_and_take_the_similarity_of_new_cells() -> None:
    similarity = np.array([[0.9, 0.2], [0.3, 0.7]], dtype=np.float32)
    alignment = Alignment([(0, 0), (1, 1)], [0.9, 0.7], similarity)
    edited = LinkEdit(added=((0, 1),), removed=((1, 1),)).apply(alignment, 2, 2)
    assert edited.links == [(0, 0), (0, 1)] and edited.scores == pytest.approx([0.9, 0.2])
    plain = LinkEdit(added=((1, 0),)).apply(Alignment([(0, 0)], [0.5]), 2, 2)
    assert plain.links == [(0, 0), (1, 0)] and plain.scores is None
    with pytest.raises(ProjectionError, match=r"5→0 is outside the sentence pair \(2 source and 2 target"):
        LinkEdit(added=((5, 0),)).apply(alignment, 2, 2)


def test_records_without_an_alignment_and_methods_that_do_not_use_it_are_refused() -> None:
    gold_only = ProjectionRecord("g1", NYC_SOURCE, NYC_TARGET, projected=[Span(3, 5, "LOC")], gold=[Span(3, 5, "LOC")])
    with pytest.raises(ProjectionError, match="Sentence g1 has no alignment"):
        reproject(gold_only, LinkEdit(added=((1, 3),)), ProjectorSettings("heuristic"))
    with pytest.raises(ProjectionError, match="does not say which projector"):
        ProjectorSettings.of(gold_only)
    with pytest.raises(ProjectionError, match="back-translation"):
        ProjectorSettings("backtranslation")
    with pytest.raises(ProjectionError, match="uses no alignment"):
        ProjectorSettings("model-transfer:spacy:es_core_news_sm")
    with pytest.raises(ProjectionError, match="length ratio is a setting of the heuristic"):
        ProjectorSettings("garcia-ferrero", {"length_ratio": 0.5})
    with pytest.raises(ProjectionError, match="candidate type is a setting of candidate matching"):
        ProjectorSettings("heuristic").with_knobs(candidates="ner")
    with pytest.raises(ProjectionError, match="none was named"):
        ProjectorSettings("ngram-greedy").with_knobs(candidates="ner")


def test_the_candidate_knob_switches_between_ngrams_and_ner_spans() -> None:
    ner = ProjectorSettings("ngram-exact").with_knobs(candidates="ner", target_model="spacy:es_core_news_sm")
    assert ner.method == "ner-exact:spacy:es_core_news_sm" and ner.candidates == "ner"
    assert ner.with_knobs(candidates="ngram").method == "ngram-exact"


def test_what_if_reports_the_f1_change_with_gold_and_changed_spans_always() -> None:
    gold = [Span(3, 6, "LOC")]
    split = make_record(NYC_SOURCE, NYC_TARGET, [(1, 3), (3, 5)], gold=gold)  # (3, 6) with merge distance 1
    single = make_record(NYC_SOURCE, NYC_TARGET, [(1, 3)], gold=[Span(3, 4, "LOC")])  # dropped at ratio 0.8
    records = [split, replace(single, id="nyc-2")]
    result = what_if(records, ProjectorSettings("heuristic", {"merge_distance": 0, "length_ratio": 0.3}))
    assert [[span.key for span in record.projected] for record in result.records] == [
        [(3, 4, "LOC"), (5, 6, "LOC")],
        [(3, 4, "LOC")],
    ]
    assert (result.changed_spans, result.changed_sentences) == (4, 2)
    assert result.before.f1 == pytest.approx(2 * 0.5 / 1.5)  # P = 1/1, R = 1/2
    assert result.after.f1 == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))  # P = 1/3, R = 1/2
    assert result.f1_change == pytest.approx(result.after.f1 - result.before.f1)
    without_gold = what_if(
        [replace(r, gold=None) for r in records], ProjectorSettings("heuristic", {"merge_distance": 0})
    )
    assert without_gold.before is None and without_gold.f1_change is None
    assert (without_gold.changed_spans, without_gold.changed_sentences) == (1, 1)


def test_what_if_with_propagation_matches_the_pipeline_steps() -> None:
    corpus = efe_corpus()
    edited = [corpus[0], corpus[1], reproject(corpus[2], LinkEdit(removed=((2, 2),)), corpus=corpus).record]
    result = what_if(edited, ProjectorSettings.of(corpus[0]))
    spans = [projectors.create("heuristic").explain_one(r.source, r.target, r.alignment).spans for r in edited]
    expected = propagate([r.target.tokens for r in edited], spans, min_count=2, ids=[r.id for r in edited])
    assert [r.projected for r in result.records] == [p.spans for p in expected]
    assert result.changed_spans == 0 and result.records[2].provenance["alignment_edit"]["removed"] == [[2, 2]]


ALIGNMENT_METHODS = ("heuristic", "garcia-ferrero", "ngram-greedy", "ngram-exact")


@pytest.mark.parametrize("dataset", ["example-bitext", "example-apertium"])
def test_what_if_with_the_records_own_settings_reproduces_the_built_in_example(dataset: str) -> None:
    (example,) = [d for d in load_example() if d.name == dataset]
    for method in ALIGNMENT_METHODS:
        records = example.records("es", method)
        result = what_if(records, ProjectorSettings.of(records[0]))
        assert result.changed_spans == 0 and result.f1_change == 0.0, method
        assert [r.projected for r in result.records] == [r.projected for r in records], method
        assert [r.explanations for r in result.records] == [r.explanations for r in records], method


@pytest.mark.slow
def test_what_if_with_ner_candidates_reproduces_the_example_and_remembers_the_predictions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """NER candidates come from the Spanish spaCy model the example was built with; it runs once per corpus."""
    (example,) = [d for d in load_example() if d.name == "example-bitext"]
    for method in [m for m in example.methods("es") if m.startswith("ner-")]:
        records = example.records("es", method)
        settings = ProjectorSettings.of(records[0])
        result = what_if(records, settings)
        assert [r.projected for r in result.records] == [r.projected for r in records], method
        assert [r.explanations for r in result.records] == [r.explanations for r in records], method
        calls: list[int] = []
        monkeypatch.setattr(settings.projector().labeller, "label", lambda sentences, calls=calls: calls.append(1))
        what_if(records, settings.with_knobs(propagate=0))
        assert calls == [], "the second what-if over the same sentences reuses the model's spans"


def test_editing_the_atlantic_link_of_the_example_projects_atlantico() -> None:
    (example,) = [d for d in load_example() if d.name == "example-bitext"]
    corpus = example.records("es", "heuristic")
    record = example.record("es", "heuristic", "ex-11")
    atlantic, atlantico = record.source.tokens.index("Atlantic"), record.target.tokens.index("Atlántico")
    wrong = tuple(link for link in record.alignment.links if link[0] == atlantic)
    result = reproject(record, LinkEdit(added=((atlantic, atlantico),), removed=wrong), corpus=corpus)
    assert (atlantico, atlantico + 1, "LOC") in [span.key for span in result.record.projected]
    assert any(span.key == (atlantico, atlantico + 1, "LOC") for span in result.record.gold or [])
    why = only(explanations_for(result.record, Span(atlantico, atlantico + 1, "LOC")))
    assert why.links == ((atlantic, atlantico),)


@pytest.mark.parametrize("labels", [None, ("PER", "ORG", "LOC")])
def test_span_metrics_equal_seqeval_on_every_method_of_the_example(labels: tuple[str, ...] | None) -> None:
    for example in load_example():
        for method in example.methods("es"):
            records = example.records("es", method)
            gold = [record.gold or [] for record in records]
            predicted = [record.projected for record in records]
            expected = evaluate(gold, predicted, [len(r.target.tokens) for r in records], labels=labels)
            found = span_metrics(gold, predicted, labels)
            assert (found.precision, found.recall, found.f1) == pytest.approx(
                (expected.precision, expected.recall, expected.f1)
            ), method
            assert list(found.per_label) == list(expected.per_label) and found.proj_ratio == expected.proj_ratio
            for label, scores in expected.per_label.items():
                assert found.per_label[label] == pytest.approx(scores), (method, label)
