"""Every projector says why each span is there and why each unprojected entity is not, on hand-built sentences."""

from __future__ import annotations

from collections.abc import Sequence

from projection.data import Alignment, Explanation, ProjectionRecord, Sentence, Span
from projection.labellers import Labeller
from projection.projectors import projectors
from projection.projectors.backtranslation import BacktranslationProjector
from projection.projectors.explanations import describe, dropped, explanations_for
from projection.projectors.model_transfer import ModelTransferProjector
from projection.projectors.propagation import propagate
from projection.translators import Translator

ENGLISH = Sentence("s1", "en", ["the", "Atlantic", "Coast", "of", "Brazil"], [Span(1, 3, "LOC"), Span(4, 5, "LOC")])
SPANISH = Sentence("s1", "es", ["la", "costa", "del", "Atlántico", "de", "Brasil"])


def record(source: Sentence, target: Sentence, alignment: Alignment, method: str) -> ProjectionRecord:
    projection = projectors.create(method).explain_one(source, target, alignment)
    return ProjectionRecord(
        source.id, source, target, alignment, projection.spans, explanations=projection.explanations
    )


def only(explanations: Sequence[Explanation]) -> Explanation:
    (explanation,) = explanations
    return explanation


def test_a_span_made_of_links_lists_them() -> None:
    alignment = Alignment([(1, 3), (2, 1), (4, 5)])
    made = record(ENGLISH, SPANISH, alignment, "heuristic")
    why = only(explanations_for(made, Span(1, 4, "LOC")))
    assert (why.kind, why.entity, why.links) == ("links", 0, ((1, 3), (2, 1)))
    assert describe(made, why) == (
        "'costa del Atlántico' LOC: projected from 'Atlantic Coast' (LOC) by links Atlantic→Atlántico, Coast→costa"
    )
    assert dropped(made) == []


def test_an_entity_without_links_is_dropped_for_that() -> None:
    made = record(ENGLISH, SPANISH, Alignment([(1, 3), (2, 1)]), "heuristic")
    why = only(dropped(made))
    assert (why.entity, why.reason) == (1, "no-links")
    assert describe(made, why) == "'Brazil' (LOC) not projected: none of its words is aligned to a target word"


def test_a_stray_link_of_a_long_entity_fails_the_length_ratio() -> None:
    source = Sentence("s", "en", ["Bank", "of", "the", "Republic"], [Span(0, 4, "ORG")])
    target = Sentence("s", "es", ["el", "Banco", "mantuvo", "tasas"])
    made = record(source, target, Alignment([(0, 2)]), "heuristic")
    assert made.projected == []
    why = only(dropped(made))
    assert why.reason == "length-ratio" and why.detail == {"ratio": 0.25, "threshold": 0.8, "best": [2, 3]}
    assert "'mantuvo' are too short: length ratio 0.25 <= 0.8" in describe(made, why)


def test_the_shorter_of_two_overlapping_projections_is_dropped_for_the_overlap() -> None:
    source = Sentence("s", "en", ["Lima", "Peru", "Airport"], [Span(0, 1, "LOC"), Span(1, 3, "ORG")])
    target = Sentence("s", "es", ["aeropuerto", "de", "Lima"])
    made = record(source, target, Alignment([(0, 2), (1, 2), (2, 0)]), "heuristic")
    assert [span.key for span in made.projected] == [(0, 3, "ORG")]
    why = only(dropped(made))
    assert (why.entity, why.reason, why.detail["to"]) == (0, "overlap", [0, 3])
    assert describe(made, why) == (
        "'Lima' (LOC) not projected: 'Lima' overlaps 'aeropuerto de Lima', projected for another entity"
    )


def test_a_matched_candidate_has_its_score_and_runner_up() -> None:
    made = record(ENGLISH, SPANISH, Alignment([(1, 3), (2, 1), (4, 5)]), "ngram-greedy")
    why = only(explanations_for(made, Span(1, 4, "LOC")))
    assert why.kind == "candidate" and why.entity == 0 and why.links == ((1, 3), (2, 1))
    assert why.score == 2 * 2 / (2 + 3)  # two links into a three-word candidate from a two-word entity
    # the next best score, 2/3, is reached by several candidates; the earliest, shortest of them is named
    assert why.runner_up == (0, 4, round(2 * 2 / (2 + 4), 6))
    assert describe(made, why) == (
        "'costa del Atlántico' LOC: 'Atlantic Coast' (LOC) matched as an n-gram candidate, c(e,t) = 0.80, "
        "runner-up 'la costa del Atlántico' 0.67"
    )


def test_an_entity_whose_candidates_were_taken_is_dropped_for_the_overlap() -> None:
    source = Sentence("s", "en", ["Banco", "Central", "Banco"], [Span(0, 2, "ORG"), Span(2, 3, "ORG")])
    target = Sentence("s", "es", ["Banco", "Central"])
    made = record(source, target, Alignment([(0, 0), (1, 1), (2, 0)]), "ngram-greedy")
    assert [span.key for span in made.projected] == [(0, 2, "ORG")]
    why = only(dropped(made))
    assert (why.entity, why.reason) == (1, "overlap")


def test_a_propagated_span_names_where_it_was_copied_from() -> None:
    tokens = [["EFE", "informa"], ["según", "EFE"], ["EFE", "dice"]]
    projected = [[Span(0, 1, "ORG")], [Span(1, 2, "ORG")], []]
    result = propagate(tokens, projected, min_count=2, ids=["d1", "d2", "d3"])
    made = ProjectionRecord(
        "d3",
        Sentence("d3", "en", ["EFE", "says"]),
        Sentence("d3", "es", tokens[2]),
        projected=result[2].spans,
        explanations=result[2].explanations,
    )
    assert describe(made, only(made.explanations)) == (
        "'EFE' ORG: added by label propagation; the phrase was projected as ORG in 2 sentence(s) "
        "(100% of its projections), e.g. d1, d2"
    )


class ListLabeller(Labeller):
    name = "list"

    def __init__(self, spans: list[list[Span]]) -> None:
        super().__init__()
        self.spans = spans

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        return self.spans[: len(sentences)]


def test_a_model_span_says_it_was_not_projected() -> None:
    projector = ModelTransferProjector(ListLabeller([[Span(5, 6, "LOC", score=0.93)]]))
    projection = projector.explain_one(ENGLISH, SPANISH, Alignment())
    made = ProjectionRecord("s1", ENGLISH, SPANISH, projected=projection.spans, explanations=projection.explanations)
    assert describe(made, only(made.explanations)) == (
        "'Brasil' LOC: found by the target-language model (score 0.93), not projected"
    )


class TableTranslator(Translator):
    name = "table"

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__(src_lang="en", tgt_lang="es")
        self.table = table

    def translate(self, texts: Sequence[str]) -> list[str]:
        return [self.table[text] for text in texts]


def test_back_translation_maps_its_spans_to_the_source_entities_and_names_lost_markers() -> None:
    sources = [
        Sentence("s1", "en", ["Ana", "visited", "Brazil"], [Span(0, 1, "PER"), Span(2, 3, "LOC")]),
        Sentence("s2", "en", ["Smith", "spoke", "."], [Span(0, 1, "PER")]),
    ]
    targets = [Sentence("s1", "es", ["Ana", "visitó", "Brasil"]), Sentence("s2", "es", ["Herrero", "habló", "."])]
    translator = TableTranslator(
        {
            "[Ana] visited [Brazil]": "[Ana] visitó [Brasil]",
            "[Smith] spoke .": "Habló .",
            "Ana": "Ana",
            "Brazil": "Brasil",
            "Smith": "Forjador",
        }
    )
    projector = BacktranslationProjector("heuristic", translator=translator, aligner="surface")
    projections = projector.explain(sources, targets, [Alignment(), Alignment()])
    made = [
        ProjectionRecord(s.id, s, t, projected=p.spans, explanations=p.explanations)
        for s, t, p in zip(sources, targets, projections, strict=True)
    ]
    why = only(explanations_for(made[0], Span(2, 3, "LOC")))
    assert why.entity == 1 and why.detail["via"] == "back-translation"
    assert describe(made[0], why) == (
        "'Brasil' LOC: projected from 'Brazil' (LOC) by links Brasil→Brasil (through the back-translation)"
    )
    lost = only(dropped(made[1]))
    assert (lost.entity, lost.reason) == (0, "marker-lost")
    assert describe(made[1], lost) == (
        "'Smith' (PER) not projected: its markers were lost in back-translation and it was not found again"
    )


def test_explanations_survive_the_records_round_trip() -> None:
    made = record(ENGLISH, SPANISH, Alignment([(1, 3), (2, 1)]), "heuristic")
    assert ProjectionRecord.from_dict(made.to_dict()).explanations == made.explanations


def test_garcia_ferrero_drops_an_entity_aligned_to_punctuation_and_merges_same_type_spans() -> None:
    source = Sentence("s", "en", ["New", "York", "and", "Boston", "Globe"], [Span(0, 2, "LOC"), Span(3, 5, "ORG")])
    target = Sentence("s", "es", ["Nueva", "York", "y", "«", "»"])
    made = record(source, target, Alignment([(0, 0), (1, 1), (3, 3), (4, 4)]), "garcia-ferrero")
    assert [span.key for span in made.projected] == [(0, 2, "LOC")]
    why = only(dropped(made))
    assert (why.entity, why.reason) == (1, "punctuation")
    assert describe(made, why) == "'Boston Globe' (ORG) not projected: it is aligned to punctuation only"
    twin = Sentence("s", "en", ["Rio", "de", "Janeiro"], [Span(0, 1, "LOC"), Span(2, 3, "LOC")])
    merged = record(twin, Sentence("s", "pt", ["Rio", "de", "Janeiro"]), Alignment([(0, 0), (0, 1), (2, 1), (2, 2)]),
                    "garcia-ferrero")  # fmt: skip
    why = only(merged.explanations)
    assert merged.projected == [Span(0, 3, "LOC", origin="projected:garcia-ferrero")]
    assert why.detail == {"merged_with": [1]} and why.links == ((0, 0), (0, 1), (2, 1), (2, 2))


def test_an_ner_candidate_entity_without_a_candidate_says_so() -> None:
    projector = projectors.create("ner-greedy", labeller=ListLabeller([[Span(0, 1, "PER")]]))
    projection = projector.explain_one(ENGLISH, SPANISH, Alignment([(1, 3), (2, 1), (4, 5)]))
    made = ProjectionRecord("s1", ENGLISH, SPANISH, projected=projection.spans, explanations=projection.explanations)
    assert made.projected == []
    assert [(why.entity, why.reason) for why in dropped(made)] == [(0, "no-candidate"), (1, "no-candidate")]
    assert describe(made, dropped(made)[0]) == (
        "'Atlantic Coast' (LOC) not projected: no candidate span contains a word aligned to it"
    )
