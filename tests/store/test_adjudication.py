"""What an adjudicator chooses from: every distinct span, with who made it."""

from __future__ import annotations

import pytest

from projection.data import Span
from projection.errors import ProjectionError
from projection.store.adjudication import adjudicated_spans, candidates, disagree


def test_candidates_list_each_span_once_with_its_reviewers() -> None:
    versions = {"ben": [Span(0, 2, "PER"), Span(4, 5, "ORG")], "ana": [Span(0, 2, "PER"), Span(4, 5, "LOC")]}
    found = [(c.span.key, c.reviewers) for c in candidates(versions)]
    assert found == [((0, 2, "PER"), ("ana", "ben")), ((4, 5, "LOC"), ("ana",)), ((4, 5, "ORG"), ("ben",))]
    assert disagree(versions) and not disagree({"ana": versions["ana"], "ben": list(reversed(versions["ana"]))})


def test_the_kept_spans_become_the_adjudicated_version_and_may_not_overlap() -> None:
    kept = adjudicated_spans([Span(4, 5, "LOC", origin="corrected"), Span(0, 2, "PER", 0.7, "projected:heuristic")])
    assert [(s.key, s.origin) for s in kept] == [((0, 2, "PER"), "adjudicated"), ((4, 5, "LOC"), "adjudicated")]
    with pytest.raises(ProjectionError, match="may not overlap"):
        adjudicated_spans([Span(4, 5, "LOC"), Span(4, 5, "ORG")])
