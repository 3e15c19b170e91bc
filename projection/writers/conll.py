"""CoNLL writer: ``token TAG`` (IOB2) per line, a blank line after each sentence.

Written from the tokens as they are, never re-tokenised, so the file reads
back with :func:`projection.readers.conll.read_conll` to the same ids, tokens
and spans. For a record the written side is chosen by ``which``: the target
with its projected spans (the silver training data), the target with its gold
spans, or the source with its entities. A sentence is written with its own
spans. Sentences without tokens are left out (a CoNLL file cannot hold them).

Each sentence starts with comment lines, as CoNLL-U has them: ``# id = ...``
and, for a record whose corrections were merged, ``# review_status = ...``
(:mod:`projection.store.merge` puts it in the provenance). ``comments=False`` leaves them out, for
tools that read every line as a token.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Literal

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.fileio import atomic_write
from projection.tags import spans_to_tags

Side = Literal["projected", "gold", "source"]
SIDES = ("projected", "gold", "source")
_UNWRITABLE = re.compile(r"[ \t\r\n]")
_LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
ID_COMMENT = "id"
STATUS = "review_status"
"""The provenance key holding the review status export merged into a record, and the writers' column for it."""
NOT_REVIEWED = "not reviewed"
REVIEWED = "reviewed"
CORRECTED = "corrected"
ADJUDICATED = "adjudicated"
REVIEW_STATUSES = (NOT_REVIEWED, REVIEWED, CORRECTED, ADJUDICATED)
"""The values of the status column: nobody looked at the sentence; a reviewer approved the projection as it
is; its spans differ from the projection; its spans were settled by adjudication."""


def side_of(item: ProjectionRecord | Sentence, which: Side) -> tuple[str, list[str], list[Span]]:
    """``(id, tokens, spans)`` of the side of ``item`` to write."""
    if isinstance(item, Sentence):
        return item.id, item.tokens, item.spans
    if which == "source":
        return item.id, item.source.tokens, item.source.spans
    if which == "gold":
        if item.gold is None:
            raise ProjectionError(
                f"Record {item.id!r} has no gold spans, so which='gold' cannot write it. Write the projected "
                "spans (which='projected') or read the gold labels in first."
            )
        return item.id, item.target.tokens, item.gold
    return item.id, item.target.tokens, item.projected


def comment_lines(sentence_id: str, status: str | None) -> str:
    """``# id = ...`` (and ``# review_status = ...``) for the head of a sentence."""
    if _LINE_BREAK.search(sentence_id):
        raise ProjectionError(
            f"Sentence id {sentence_id!r} contains a line break, which a `# id = ...` comment line cannot hold. "
            "Give the sentence another id, or write the file without comment lines."
        )
    lines = f"# {ID_COMMENT} = {sentence_id}\n"
    return lines + (f"# {STATUS} = {status}\n" if status else "")


def review_status(item: ProjectionRecord | Sentence) -> str | None:
    """The review status export merged into a record, if any."""
    return item.provenance.get(STATUS) if isinstance(item, ProjectionRecord) else None


def sentence_block(sentence_id: str, tokens: list[str], spans: list[Span]) -> str:
    """The token lines of one sentence, blank line included."""
    try:
        tags = spans_to_tags(spans, len(tokens))
    except ValueError as err:
        raise ProjectionError(
            f"Sentence {sentence_id!r} cannot be written as CoNLL: {err}. IOB2 tags hold only non-overlapping "
            "spans inside the sentence; fix or remove the offending span (e.g. in the Review page)."
        ) from None
    for index, token in enumerate(tokens):
        if not token or _UNWRITABLE.search(token):
            raise ProjectionError(
                f"Sentence {sentence_id!r}, token {index} ({token!r}) is empty or contains a space, tab or line "
                "break, which a `token TAG` line cannot hold. Fix the tokenisation of that sentence."
            )
    return "".join(f"{token} {tag}\n" for token, tag in zip(tokens, tags, strict=True)) + "\n"


def write_conll(
    items: Iterable[ProjectionRecord | Sentence],
    path: str | os.PathLike[str],
    *,
    which: Side = "projected",
    comments: bool = True,
) -> int:
    """Write sentences or records as IOB2 CoNLL, one sentence at a time; returns the sentences written."""
    if which not in SIDES:
        raise ProjectionError(f"Unknown side {which!r} to write: use one of {', '.join(SIDES)}.")
    written = 0
    with atomic_write(path) as handle:
        for item in items:
            sentence_id, tokens, spans = side_of(item, which)
            if tokens:
                head = comment_lines(sentence_id, review_status(item)) if comments else ""
                handle.write(head + sentence_block(sentence_id, tokens, spans))
                written += 1
    return written
