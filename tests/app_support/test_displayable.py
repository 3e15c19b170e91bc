"""Which records the pages can draw, and the words for those they cannot."""

from __future__ import annotations

from projection.app_support.displayable import display_problem
from projection.data import Alignment, ProjectionRecord, Sentence, Span


def record(
    target: list[str], *, projected: list[Span] = (), gold: list[Span] | None = None, source_spans: list[Span] = ()
) -> ProjectionRecord:
    return ProjectionRecord(
        id="s7",
        source=Sentence("s7", "en", ["Ana", "visited", "Lima"], list(source_spans)),
        target=Sentence("s7", "es", target),
        alignment=Alignment([(0, 0), (9, 9)]),
        projected=list(projected),
        gold=gold,
    )


def test_a_whole_record_can_be_shown() -> None:
    tokens = ["Ana", "visitó", "Lima"]
    assert display_problem(record(tokens, projected=[Span(2, 3, "LOC")], gold=[Span(0, 1, "PER")])) is None
    # links past the end are only left out of the heatmap; they do not stop the page
    assert display_problem(record(tokens, source_spans=[Span(0, 3, "MISC")])) is None


def test_a_sentence_without_tokens_is_named() -> None:
    assert display_problem(record([])) == "Sentence s7 has no target tokens, so there is nothing to show or correct."


def test_a_span_past_the_end_is_named_with_its_side_and_tokens() -> None:
    tokens = ["Ana", "visitó"]
    problem = display_problem(record(tokens, projected=[Span(1, 3, "LOC")]))
    assert problem is not None and problem.startswith("Sentence s7: a projected span (LOC, tokens 1–2) lies past")
    assert "(2 tokens)" in problem
    assert "gold span (PER, tokens 2–2)" in (display_problem(record(tokens, gold=[Span(2, 3, "PER")])) or "")
    assert "source span (ORG" in (display_problem(record(tokens, source_spans=[Span(2, 4, "ORG")])) or "")
