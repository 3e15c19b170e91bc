"""Whether the pages can draw a record: its target sentence has words and every span lies inside its sentence.

Records read from files are checked when they are read; records built in
memory (a pipeline run in the app, a test) are not, and a page shown one
with no target tokens or a span past the sentence end must say so in words
rather than fail.
"""

from __future__ import annotations

from collections.abc import Iterable

from projection.data import ProjectionRecord, Span


def _past_end(spans: Iterable[Span], n_tokens: int, side: str, sentence_id: str) -> str | None:
    for span in spans:
        if span.end > n_tokens:
            return (
                f"Sentence {sentence_id}: a {side} span ({span.label}, tokens {span.start}–{span.end - 1}) lies past "
                f"the end of its sentence ({n_tokens} tokens). Fix or re-run the projection of this sentence."
            )
    return None


def display_problem(record: ProjectionRecord) -> str | None:
    """Why the pages cannot show ``record``, in one sentence; None when they can."""
    if not record.target.tokens:
        return f"Sentence {record.id} has no target tokens, so there is nothing to show or correct."
    n_source, n_target = len(record.source.tokens), len(record.target.tokens)
    return (
        _past_end(record.source.spans, n_source, "source", record.id)
        or _past_end(record.projected, n_target, "projected", record.id)
        or _past_end(record.gold or [], n_target, "gold", record.id)
    )
