"""Why each projected span is there and why each dropped entity is not, from the record's own explanations."""

from __future__ import annotations

from app_pages import example_record

from projection.app_support.span_origins import NO_EXPLANATION, origins, render_origins
from projection.data import Alignment, Explanation, ProjectionRecord, Sentence, Span


def test_projected_spans_then_dropped_entities_each_with_the_projectors_reason() -> None:
    record = example_record("ex-5")
    rows = origins(record)
    projected = [row for row in rows if row.side == "target"]
    assert [row.span.key for row in projected] == sorted(span.key for span in record.projected)
    (drop,) = [row for row in rows if row.side == "source"]
    assert drop.span.label == "ORG"
    assert drop.reasons == [
        "'World Health Organization' (ORG) not projected: its linked words 'Organización Mundial' are too short: "
        "length ratio 0.67 <= 0.8"
    ]
    assert all(row.reasons != [NO_EXPLANATION] for row in projected)


def test_a_span_without_recorded_reason_says_so_and_new_spans_are_marked() -> None:
    record = ProjectionRecord(
        "x",
        Sentence("x", "en", ["Ana", "<script>"], [Span(0, 1, "PER"), Span(1, 2, "LOC")]),
        Sentence("x", "es", ["Ana", "<script>"]),
        alignment=Alignment([(0, 0)]),
        projected=[Span(0, 1, "PER"), Span(1, 2, "<b>LOC</b>")],
        explanations=[
            Explanation("links", "PER", entity=0, span=(0, 1), links=((0, 0),)),
            Explanation("dropped", "LOC", entity=1, reason="no-links"),
        ],
    )
    rows = origins(record)
    assert [row.reasons for row in rows] == [
        ["'Ana' PER: projected from 'Ana' (PER) by links Ana→Ana"],
        [NO_EXPLANATION],
        ["'<script>' (LOC) not projected: none of its words is aligned to a target word"],
    ]
    page = render_origins(record, new={(0, 1, "PER")})
    assert "<script>" not in page and "<b>" not in page and "&lt;script&gt;" in page
    assert page.count(">new<") == 1


def test_a_sentence_without_entities_says_there_is_nothing_to_explain() -> None:
    record = ProjectionRecord("e", Sentence("e", "en", ["hello"]), Sentence("e", "es", ["hola"]))
    assert "nothing was projected" in render_origins(record)
