"""The candidate-matching projectors on realistic sentence pairs, by registry name."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from projection.data import Alignment, Sentence, Span
from projection.errors import ProjectionError
from projection.labellers import Labeller
from projection.projectors import projectors
from projection.projectors.candidate_matching import NerGreedyProjector


class FixedLabeller(Labeller):
    """Target-side "NER model" with known output, so the candidate set is known."""

    name = "fixed"

    def __init__(self, spans: list[list[Span]]) -> None:
        super().__init__()
        self.spans = spans

    def label(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        return self.spans[: len(sentences)]


def pair() -> tuple[Sentence, Sentence, Alignment]:
    source = Sentence("1", "en", ["The", "European", "Union", "met", "Angela", "Merkel", "in", "Berlin", "."])
    source.spans = [Span(1, 3, "ORG"), Span(4, 6, "PER"), Span(7, 8, "LOC")]
    target = Sentence(
        "1", "es", ["La", "Unión", "Europea", "se", "reunió", "con", "Angela", "Merkel", "en", "Berlín", "."]
    )
    links = [(0, 0), (1, 2), (2, 1), (3, 4), (4, 6), (5, 7), (6, 8), (7, 9), (8, 10)]
    return source, target, Alignment(links)


@pytest.mark.parametrize("name", ["ngram-greedy", "ngram-exact"])
def test_ngram_projectors_carry_each_entity(name: str) -> None:
    source, target, alignment = pair()
    spans = projectors.create(name).project([source], [target], [alignment])[0]
    assert [(s.start, s.end, s.label) for s in spans] == [(1, 3, "ORG"), (6, 8, "PER"), (9, 10, "LOC")]
    assert all(s.score == 1.0 and s.origin == f"projected:{name}" for s in spans)


def test_scores_are_c_of_e_t() -> None:
    source = Sentence("2", "en", ["New", "York", "City"], [Span(0, 3, "LOC")])
    target = Sentence("2", "es", ["Nueva", "York"])
    spans = projectors.create("ngram-greedy").project_one(source, target, Alignment([(0, 0), (1, 1)]))
    assert [(s.start, s.end) for s in spans] == [(0, 2)]
    assert spans[0].score == pytest.approx(2 * 2 / (3 + 2))


def test_exact_beats_greedy_when_a_long_span_blocks_another_entity() -> None:
    # "Real Madrid" links to both Spanish words, "Madrid" (the city) only to the second.
    source = Sentence("3", "en", ["Real", "Madrid", "in", "Madrid"], [Span(0, 2, "ORG"), Span(3, 4, "LOC")])
    target = Sentence("3", "es", ["Real", "Madrid"])
    alignment = Alignment([(0, 0), (1, 1), (3, 1)])
    greedy = projectors.create("ngram-greedy").project_one(source, target, alignment)
    exact = projectors.create("ngram-exact").project_one(source, target, alignment)
    assert [(s.start, s.end, s.label) for s in greedy] == [(0, 2, "ORG")]
    assert [(s.start, s.end, s.label) for s in exact] == [(0, 1, "ORG"), (1, 2, "LOC")]
    assert sum(s.score for s in exact) > sum(s.score for s in greedy)


def test_spans_with_exclamation_marks_are_never_projected() -> None:
    # Without the exclusion "Barcelona ! gana" would win (2·2/(2+3) = 0.8 > 2·1/(2+1)).
    source = Sentence("4", "en", ["Barcelona", "wins"], [Span(0, 2, "ORG")])
    target = Sentence("4", "es", ["Barcelona", "!", "gana"])
    alignment = Alignment([(0, 0), (1, 2)])
    spans = projectors.create("ngram-greedy").project_one(source, target, alignment)
    assert [(s.start, s.end) for s in spans] == [(0, 1)]
    unrestricted = projectors.create("ngram-greedy", excluded_chars="").project_one(source, target, alignment)
    assert [(s.start, s.end) for s in unrestricted] == [(0, 3)]


def test_length_cap_from_the_spec() -> None:
    source = Sentence("5", "en", ["a", "b", "c"], [Span(0, 3, "ORG")])
    target = Sentence("5", "es", ["x", "y", "z"])
    alignment = Alignment([(0, 0), (1, 1), (2, 2)])
    capped = projectors.create("ngram-greedy:2").project_one(source, target, alignment)
    assert [(s.start, s.end) for s in capped] == [(0, 2)]
    with pytest.raises(ProjectionError, match="positive whole number"):
        projectors.create("ngram-greedy:two")


def test_ner_candidates_come_from_the_target_model_and_labels_from_the_source() -> None:
    source, target, alignment = pair()
    # The model finds "Unión Europea" (as LOC: ignored) and "Merkel" alone, nothing for Berlin.
    labeller = FixedLabeller([[Span(1, 3, "LOC"), Span(7, 8, "PER")]])
    spans = NerGreedyProjector(labeller).project([source], [target], [alignment])[0]
    assert [(s.start, s.end, s.label) for s in spans] == [(1, 3, "ORG"), (7, 8, "PER")]
    assert spans[1].score == pytest.approx(2 * 1 / (2 + 1))


def test_ner_projector_without_a_model_is_a_user_error() -> None:
    with pytest.raises(ProjectionError, match="ner-exact:spacy"):
        projectors.create("ner-exact")


def test_no_entities_or_no_links_project_nothing() -> None:
    source, target, alignment = pair()
    bare = Sentence("1", "en", source.tokens)
    projector = projectors.create("ngram-exact")
    assert projector.project([bare, source], [target, target], [alignment, Alignment()]) == [[], []]


@pytest.mark.slow
def test_real_french_model_supplies_candidates() -> None:
    pytest.importorskip("fr_core_news_sm")
    source = Sentence("6", "en", ["President", "Emmanuel", "Macron", "visited", "Marseille", "."])
    source.spans = [Span(1, 3, "PER"), Span(4, 5, "LOC")]
    target = Sentence("6", "fr", ["Le", "président", "Emmanuel", "Macron", "a", "visité", "Marseille", "."])
    alignment = Alignment([(0, 1), (1, 2), (2, 3), (3, 5), (4, 6), (5, 7)])
    spans = projectors.create("ner-greedy:spacy:fr_core_news_sm").project([source], [target], [alignment])[0]
    assert [(s.start, s.end, s.label) for s in spans] == [(2, 4, "PER"), (6, 7, "LOC")]
