"""Replaying an edit made on a stale view onto the newest state of a sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from projection.data import Span
from projection.store import rebase_spans

LABELS = ["PER", "ORG", "LOC"]


@st.composite
def span_sets(draw: st.DrawFn, length: int = 12) -> list[Span]:
    """Non-overlapping spans over a sentence of ``length`` tokens."""
    cuts = sorted(draw(st.sets(st.integers(0, length), max_size=8)))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if start < end:
            spans.append(Span(start, end, draw(st.sampled_from(LABELS))))
    return spans


def key_set(spans: list[Span]) -> set[tuple[int, int, str]]:
    return {span.key for span in spans}


@given(span_sets(), span_sets())
def test_on_the_state_it_was_made_on_an_edit_gives_exactly_its_result(before: list[Span], after: list[Span]) -> None:
    assert key_set(rebase_spans(before, before, after)) == key_set(after)


@given(span_sets(), span_sets(), span_sets())
def test_a_rebased_edit_never_creates_overlaps_and_keeps_what_it_added(
    stored: list[Span], before: list[Span], after: list[Span]
) -> None:
    result = rebase_spans(stored, before, after)
    for k, first in enumerate(result):
        for second in result[k + 1 :]:
            assert not first.overlaps(second)
    added = key_set(after) - key_set(before)
    assert added <= key_set(result)
    removed = key_set(before) - key_set(after)
    assert not removed & key_set(result)


def test_a_concurrent_addition_survives_a_deletion_made_on_the_older_state() -> None:
    projected = [Span(0, 2, "PER"), Span(4, 5, "LOC")]
    newest = [*projected, Span(7, 9, "DATE")]  # someone else added a date meanwhile
    result = rebase_spans(newest, projected, [projected[0]])
    assert [span.key for span in result] == [(0, 2, "PER"), (7, 9, "DATE")]
