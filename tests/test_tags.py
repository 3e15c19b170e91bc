"""Tags <-> spans: decoding checked against seqeval's own decoder on generated tag sequences, and IOB2 round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from projection.data import Span
from projection.tags import decode_tags, is_tag, parse_tag, spans_to_tags, tags_to_spans

LABELS = ("PER", "ORG", "LOC", "DATE")
tag = st.one_of(
    st.just("O"), st.builds(lambda p, label: f"{p}-{label}", st.sampled_from("BIES"), st.sampled_from(LABELS))
)
sentences = st.lists(tag, max_size=25)


def seqeval_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """seqeval's entities as our ``(start, end exclusive, label)``."""
    return sorted((start, end + 1, label) for label, start, end in get_entities(tags))


@given(sentences)
def test_decoding_agrees_with_seqeval_on_any_mix_of_iob1_iob2_and_bioes(tags: list[str]) -> None:
    assert sorted(span.key for span in tags_to_spans(tags)) == seqeval_spans(tags)


@given(sentences)
def test_a_stray_start_is_an_inside_tag_that_seqeval_starts_an_entity_at(tags: list[str]) -> None:
    starts = {start for start, _, _ in seqeval_spans(tags)}
    expected = [i for i, t in enumerate(tags) if t[0] in "IE" and i in starts]
    assert decode_tags(tags).stray == expected


@given(st.lists(st.tuples(st.sampled_from(LABELS), st.integers(1, 4), st.integers(0, 3)), max_size=6))
def test_iob2_written_by_us_reads_back_to_the_same_spans(entities: list[tuple[str, int, int]]) -> None:
    spans, position = [], 0
    for label, length, gap in entities:
        position += gap
        spans.append(Span(position, position + length, label))
        position += length
    tags = spans_to_tags(spans, position + 1)
    decoded = decode_tags(tags)
    assert [span.key for span in decoded.spans] == [span.key for span in spans]
    assert decoded.stray == []


def test_the_schemes_decode_to_the_same_spans() -> None:
    iob1 = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "O"]
    iob2 = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O"]
    bioes = ["B-PER", "E-PER", "O", "S-LOC", "S-LOC", "O"]
    expected = [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC")]
    for tags in (iob1, iob2, bioes):
        assert [span.key for span in tags_to_spans(tags)] == expected
    assert decode_tags(iob1).stray == [0, 3]
    assert decode_tags(iob2).stray == decode_tags(bioes).stray == []


def test_origin_is_keyword_only_so_a_leftover_scheme_argument_fails_loudly() -> None:
    assert tags_to_spans(["B-PER"], origin="gold") == [Span(0, 1, "PER", origin="gold")]
    with pytest.raises(TypeError):
        tags_to_spans(["B-PER"], "IOB2")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("tag", "parsed"),
    [
        ("O", ("O", None)),
        ("o", ("O", None)),
        ("B-PER", ("B", "PER")),
        ("b-loc", ("B", "loc")),
        ("I_ORG", ("I", "ORG")),
        ("L-PER", ("E", "PER")),
        ("U-PER", ("S", "PER")),
        ("B-WORK_OF_ART", ("B", "WORK_OF_ART")),
    ],
)
def test_parse_tag(tag: str, parsed: tuple[str, str | None]) -> None:
    assert parse_tag(tag) == parsed and is_tag(tag)


@pytest.mark.parametrize("tag", ["", "B-", "B", "PER", "X-PER", "-", "OO", "B PER"])
def test_parse_tag_refuses(tag: str) -> None:
    assert not is_tag(tag)
    with pytest.raises(ValueError, match="unknown tag"):
        parse_tag(tag)
