"""Settling a sentence that reviewers disagree on: every span any of them made, and which to keep.

The adjudicator sees each distinct span once, with who made it, and keeps a
choice of them: all of one reviewer's (picking a version) or some of
several (merging them). The kept spans must not overlap, as any version of a
sentence; they are saved as an edit of the adjudicated version
(:data:`ADJUDICATE`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from projection.data import Span
from projection.store.edits import check_no_overlap

ADJUDICATE = "adjudicate"
"""The action of an edit that settles a sentence's spans."""
ADJUDICATED_ORIGIN = "adjudicated"


@dataclass(frozen=True)
class Candidate:
    """A span one or more reviewers made, and who."""

    span: Span
    reviewers: tuple[str, ...]


def candidates(versions: Mapping[str, Sequence[Span]]) -> list[Candidate]:
    """Every distinct span (tokens and label) of the versions, in sentence order, with the reviewers who made it."""
    found: dict[tuple[int, int, str], list[str]] = {}
    first_seen: dict[tuple[int, int, str], Span] = {}
    for reviewer in sorted(versions):
        for span in versions[reviewer]:
            found.setdefault(span.key, []).append(reviewer)
            first_seen.setdefault(span.key, span)
    return [Candidate(first_seen[key], tuple(found[key])) for key in sorted(found)]


def disagree(versions: Mapping[str, Sequence[Span]]) -> bool:
    """Whether the versions differ in any span."""
    keys = {frozenset(span.key for span in spans) for spans in versions.values()}
    return len(keys) > 1


def adjudicated_spans(kept: Sequence[Span]) -> list[Span]:
    """The spans an adjudicator kept, as the adjudicated version holds them (refused if they overlap)."""
    check_no_overlap(kept)
    spans = [Span(span.start, span.end, span.label, span.score, ADJUDICATED_ORIGIN) for span in kept]
    return sorted(spans, key=lambda span: (span.start, span.end))
