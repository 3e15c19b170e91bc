from __future__ import annotations

import pytest

from projection.data import Alignment, ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.training import MISSING
from projection.training.silver import (
    SilverOptions,
    is_point_in_time,
    silver_sentences,
    split_dev,
    unprojected_entities,
)

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


def test_durations_are_unknown_with_the_points_date_policy():
    # "He ruled for two years until Monday" -> "Alitawala kwa miaka miwili hadi Jumatatu"
    source = ["He", "ruled", "for", "two", "years", "until", "Monday"]
    target = ["Alitawala", "kwa", "miaka", "miwili", "hadi", "Jumatatu"]
    duration, day = Span(3, 5, "DATE"), Span(6, 7, "DATE")
    projected = [Span(2, 4, "DATE"), Span(5, 6, "DATE")]
    rec = ProjectionRecord(
        "d",
        Sentence("d", "en", source, [duration, day]),
        Sentence("d", "swa", target),
        Alignment([(1, 0), (2, 1), (3, 3), (4, 2), (5, 4), (6, 5)]),
        projected,
    )
    (everything,) = silver_sentences([rec], SilverOptions(dates="all"))[0]
    assert everything.spans == projected
    (points,), stats = silver_sentences([rec], SilverOptions(dates="points"))
    assert [s for s in points.spans if s.label != MISSING] == [Span(5, 6, "DATE")]
    assert [(s.start, s.end) for s in points.spans if s.label == MISSING] == [(2, 4)]
    assert stats.n_unknown_entities == 1 and stats.n_unprojected_entities == 0


def test_entity_types_not_trained_on_can_make_their_projections_unknown():
    # "the American president" -> "rais wa Marekani": NORP is not trained on, but "Marekani" must not become O
    rec = ProjectionRecord(
        "n",
        Sentence("n", "en", ["the", "American", "president"], [Span(1, 2, "NORP")]),
        Sentence("n", "swa", ["rais", "wa", "Marekani"]),
        Alignment([(1, 2), (2, 0)]),
        [Span(2, 3, "NORP")],
    )
    (plain,) = silver_sentences([rec], SilverOptions(labels=("PER", "LOC")))[0]
    assert plain.spans == []
    (marked,), stats = silver_sentences([rec], SilverOptions(labels=("PER", "LOC"), unknown_labels=("NORP",)))
    assert marked.spans == [Span(2, 3, MISSING, origin="silver:unknown")]
    assert stats.n_unknown_entities == 1


@pytest.mark.parametrize(
    ("words", "point"),
    [
        ("on Monday", True), ("May 5", True), ("in 1998", True), ("the 1990s", True), ("last week", True),
        ("two years ago", True), ("this year", True), ("two years", False), ("12 days", False),
        ("every day", False), ("today", False), ("yesterday", False),
    ],
)  # fmt: skip
def test_points_in_time_against_durations_and_deixis(words: str, point: bool) -> None:
    tokens = words.split()
    assert is_point_in_time(tokens, Span(0, len(tokens), "DATE")) is point
