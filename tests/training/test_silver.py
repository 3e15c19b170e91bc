from __future__ import annotations

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.training import MISSING
from projection.training.silver import SilverOptions, silver_sentences, split_dev, unprojected_entities

# "President John Lewis visited Atlanta on Thursday" -> "Rais John Lewis alitembelea Atlanta Alhamisi"
SOURCE = ["President", "John", "Lewis", "visited", "Atlanta", "on", "Thursday"]
TARGET = ["Rais", "John", "Lewis", "alitembelea", "Atlanta", "Alhamisi"]
LINKS = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 5)]
PERSON, PLACE, DAY = Span(1, 3, "PER"), Span(4, 5, "LOC"), Span(6, 7, "DATE")


def record(projected: list[Span], source_spans: list[Span] | None = None, rid: str = "r") -> ProjectionRecord:
    spans = [PERSON, PLACE, DAY] if source_spans is None else source_spans
    return ProjectionRecord(
        rid, Sentence(rid, "en", SOURCE, spans), Sentence(rid, "swa", TARGET), Alignment(LINKS), projected
    )


FULL = [Span(1, 3, "PER"), Span(4, 5, "LOC"), Span(5, 6, "DATE")]
WITHOUT_PLACE = [Span(1, 3, "PER"), Span(5, 6, "DATE")]


def test_a_fully_projected_sentence_is_kept_with_its_spans():
    sentences, stats = silver_sentences([record(FULL)], SilverOptions())
    assert [s.tokens for s in sentences] == [TARGET]
    assert sentences[0].spans == FULL
    assert stats.n_kept == 1 and stats.n_unprojected_entities == 0
    assert stats.entities == {"DATE": 1, "LOC": 1, "PER": 1}


def test_an_entity_projected_with_another_label_or_elsewhere_counts_as_failed():
    wrong_label = [Span(1, 3, "PER"), Span(4, 5, "ORG"), Span(5, 6, "DATE")]
    elsewhere = [Span(1, 3, "PER"), Span(3, 4, "LOC"), Span(5, 6, "DATE")]
    for projected in (wrong_label, elsewhere):
        assert unprojected_entities(record(projected), [PERSON, PLACE, DAY], projected) == [PLACE]


def test_policies_for_sentences_with_an_unprojected_entity():
    records = [record(FULL, rid="full"), record(WITHOUT_PLACE, rid="partial")]
    kept, stats = silver_sentences(records, SilverOptions(unprojected="keep"))
    assert [s.id for s in kept] == ["full", "partial"]
    assert kept[1].spans == WITHOUT_PLACE  # "Atlanta" is now a training O: a false negative
    dropped, stats = silver_sentences(records, SilverOptions(unprojected="drop"))
    assert [s.id for s in dropped] == ["full"] and stats.n_dropped_unprojected == 1
    missing, stats = silver_sentences(records, SilverOptions(unprojected="missing"))
    assert [s.id for s in missing] == ["full", "partial"] and stats.n_with_missing == 1
    assert Span(4, 5, MISSING, origin="silver:unknown") in missing[1].spans


def test_missing_policy_drops_a_sentence_whose_failed_entity_has_no_link():
    unlinked = ProjectionRecord(
        "u",
        Sentence("u", "en", SOURCE, [PERSON, PLACE]),
        Sentence("u", "swa", TARGET),
        Alignment([(1, 1), (2, 2)]),
        [Span(1, 3, "PER")],
    )
    sentences, stats = silver_sentences([unlinked], SilverOptions(unprojected="missing"))
    assert sentences == [] and stats.n_dropped_unprojected == 1


def test_labels_outside_the_training_set_are_neither_projected_nor_required():
    options = SilverOptions(labels=("PER", "LOC"))
    sentences, stats = silver_sentences([record([Span(1, 3, "PER"), Span(4, 5, "LOC")])], options)
    assert len(sentences) == 1 and stats.n_source_entities == 2
    sentences, _ = silver_sentences([record(FULL)], options)
    assert [span.label for span in sentences[0].spans] == ["PER", "LOC"]


def test_empty_sentences_and_low_scores():
    empty = record([], source_spans=[], rid="empty")
    assert [s.id for s in silver_sentences([empty], SilverOptions(empty="keep"))[0]] == ["empty"]
    assert silver_sentences([empty], SilverOptions(empty="drop"))[0] == []
    scored = [Span(1, 3, "PER", score=0.9), Span(4, 5, "LOC", score=0.2), Span(5, 6, "DATE", score=0.7)]
    sentences, stats = silver_sentences([record(scored)], SilverOptions(min_score=0.5, unprojected="keep"))
    assert [span.label for span in sentences[0].spans] == ["PER", "DATE"] and stats.n_low_score_spans == 1
    assert silver_sentences([record(scored)], SilverOptions(min_score=0.5, unprojected="drop"))[0] == []


def test_dev_split_is_seeded_capped_and_disjoint():
    sentences = [Sentence(str(k), "swa", ["neno"]) for k in range(50)]
    train, dev = split_dev(sentences, fraction=0.2, max_dev=8, seed=1)
    assert len(dev) == 8 and len(train) == 42
    assert {s.id for s in train}.isdisjoint({s.id for s in dev})
    assert split_dev(sentences, fraction=0.2, max_dev=8, seed=1) == (train, dev)
    assert split_dev(sentences, fraction=0.2, max_dev=8, seed=2)[1] != dev


def test_bad_options_are_clear_errors():
    with pytest.raises(ProjectionError, match="unprojected"):
        SilverOptions(unprojected="ignore")  # type: ignore[arg-type]
    with pytest.raises(ProjectionError, match="empty"):
        SilverOptions(empty="some")  # type: ignore[arg-type]
    with pytest.raises(ProjectionError, match="fraction"):
        split_dev([], fraction=1.0)


def test_capitalised_words_outside_spans_can_be_marked_unknown():
    # "Atlanta" failed to project; with unknown_capitalised it is unknown, not a training O
    options = SilverOptions(unprojected="keep", unknown_capitalised=True)
    (sentence,) = silver_sentences([record(WITHOUT_PLACE)], options)[0]
    unknown = [span for span in sentence.spans if span.label == MISSING]
    assert [(span.start, span.end) for span in unknown] == [(0, 1), (4, 5)]  # "Rais" and "Atlanta"
    assert [span for span in sentence.spans if span.label != MISSING] == WITHOUT_PLACE
