"""What reading found besides sentences: sentences it could not use, and input it read other than as written.

A *problem* is one sentence (or line, pair, record) that cannot be used: a
malformed line, bytes that are not UTF-8, a span past the sentence end. A
reader either stops at the first one (``on_error="fail"``, the default) or
skips it, lists it in :attr:`ReadNotes.skipped` and goes on (``"skip"``).

A *note* is input that reads, but not quite as written, counted per file
and kind with the place it first occurs: tags not in upper case (read in
upper case), entities whose label is outside the label set in use (read as
O), entities that start with ``I-`` (read as starting there). Notes never
stop a run; :meth:`ReadNotes.messages` words them for the command line and
the app, which show them as plain text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from projection.errors import ProjectionError

OnError = Literal["fail", "skip"]
ON_ERROR: tuple[OnError, ...] = ("fail", "skip")

LOWERCASE = "lowercase"
OTHER_LABEL = "other-label"
STRAY_INSIDE = "stray-inside"
NOTE_KINDS = (LOWERCASE, OTHER_LABEL, STRAY_INSIDE)
SHOWN_SKIPPED = 20

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """A sentence that cannot be used; ``message`` names the file and line (or sentence) and what is wrong.

    ``hint`` says what the input should look like, for the error that stops
    a run; a list of skipped sentences leaves it out.
    """

    message: str
    sentence_id: str | None = None
    hint: str = ""

    def __str__(self) -> str:
        return self.message

    def error(self) -> ProjectionError:
        return ProjectionError(f"{self.message}. {self.hint}".strip())


@dataclass
class Note:
    """One kind of oddity in one file: how often, where first, and what was seen (tag or label -> count)."""

    kind: str
    source: str
    first: str
    count: int = 0
    seen: Counter[str] = field(default_factory=Counter)
    label_set: tuple[str, ...] = ()
    """For :data:`OTHER_LABEL`: the label set in use."""

    def message(self) -> str:
        """The note as one plain-text sentence: what, how often, what was seen, where first."""
        one = self.count == 1
        shown = ", ".join(f"{value!r} x{count:,}" for value, count in self.seen.most_common(5))
        more = f" and {len(self.seen) - 5} more" if len(self.seen) > 5 else ""
        seen = f"({shown}{more}); first at {self.first}."
        was = "was" if one else "were"
        if self.kind == LOWERCASE:
            what = "tag or label" if one else "tags or labels"
            return f"{self.source}: {self.count:,} {what} not in upper case {was} read in upper case {seen}"
        if self.kind == OTHER_LABEL:
            what = "entity" if one else "entities"
            return (
                f"{self.source}: {self.count:,} {what} with a label outside the label set in use "
                f"({', '.join(self.label_set)}) {was} read as O {seen} Name the labels to keep with --labels."
            )
        what, them = ("entity starts", "it") if one else ("entities start", "them")
        return (
            f"{self.source}: {self.count:,} {what} with I- or E- without a B- or I- of the same label before "
            f"{them}, read as starting there as IOB1 and seqeval do {seen}"
        )


@dataclass
class ReadNotes:
    """Notes and skipped sentences gathered while reading one or more inputs, for the user to see."""

    notes: dict[tuple[str, str], Note] = field(default_factory=dict)
    skipped: list[Problem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.notes or self.skipped)

    def note(self, kind: str, source: str, where: str, seen: str, label_set: Iterable[str] = ()) -> None:
        """Count one occurrence of ``kind`` in ``source``; ``where`` is kept only for the first."""
        if kind not in NOTE_KINDS:
            raise ValueError(f"unknown note kind {kind!r}")
        found = self.notes.get((source, kind))
        if found is None:
            found = self.notes[(source, kind)] = Note(kind, source, where, label_set=tuple(label_set))
        found.count += 1
        found.seen[seen] += 1

    def count(self, kind: str) -> int:
        """How many occurrences of ``kind`` were noted, over every input."""
        return sum(note.count for note in self.notes.values() if note.kind == kind)

    def messages(self, shown: int = SHOWN_SKIPPED) -> list[str]:
        """One line per note, then the skipped sentences (the first ``shown`` of them), as plain text."""
        lines = [note.message() for note in self.notes.values()]
        if self.skipped:
            lines.append(f"{len(self.skipped):,} sentence(s) could not be used and were skipped:")
            lines.extend(f"  {problem.message}" for problem in self.skipped[:shown])
            if len(self.skipped) > shown:
                lines.append(f"  ... and {len(self.skipped) - shown:,} more")
        return lines


def check_on_error(on_error: str) -> None:
    if on_error not in ON_ERROR:
        raise ProjectionError(f"Unknown on_error value {on_error!r}: use 'fail' or 'skip'.")


def kept(
    items: Iterable[tuple[T, str] | Problem], on_error: OnError, notes: ReadNotes | None, source: str
) -> Iterator[T]:
    """The good items of a reader's stream (``(item, where)`` or a problem), in order.

    A problem raises (``fail``) or is listed in ``notes.skipped`` (``skip``).
    An input whose every sentence was skipped is an error too: there is
    nothing to work on, and an empty result would hide why.
    """
    check_on_error(on_error)
    if on_error == "skip" and notes is None:
        raise ValueError("on_error='skip' needs notes=ReadNotes() to list what it skips")
    first: Problem | None = None
    skipped = 0
    good = False
    for item in items:
        if isinstance(item, Problem):
            if on_error == "fail":
                raise item.error()
            assert notes is not None
            notes.skipped.append(item)
            first, skipped = first or item, skipped + 1
            continue
        good = True
        yield item[0]
    if first is not None and not good:
        raise ProjectionError(f"{source}: no usable sentence, all {skipped:,} were skipped; the first: {first}.")
