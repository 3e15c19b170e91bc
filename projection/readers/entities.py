"""Entities as every reader keeps them: labels in upper case, the label set applied, and what was odd noted.

Labels are read case-insensitively and kept in upper case, the spelling of
every NER label set in use (PER, ORG, LOC, DATE, MISC, OntoNotes'): a file
tagged ``b-loc`` means ``B-LOC``, and reading it so is what its author
expects, where keeping ``loc`` would silently make it a label of its own.
Each tag or label not written in upper case is noted. With a label set
(``label_set``, ``--labels``; given in any case), entities with another
label are dropped, i.e. read as O, and noted with their label; without one,
every label is kept. Entities that start with a stray ``I-``/``E-`` (see
:mod:`projection.tags`) are noted too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from projection.data import Span
from projection.readers.notes import LOWERCASE, OTHER_LABEL, STRAY_INSIDE, ReadNotes
from projection.tags import decode_tags

Place = Callable[[int], str]
"""Where token ``i`` of the sentence being read is, for notes (e.g. ``train.txt, line 12``)."""


def normalised_label_set(labels: Iterable[str] | None) -> tuple[str, ...] | None:
    """The label set in use, upper-cased as the labels read are, in the given order; None keeps every label."""
    if labels is None:
        return None
    return tuple(dict.fromkeys(label.strip().upper() for label in labels if label.strip()))


@dataclass(frozen=True)
class Entities:
    """How one input's entities are read: ``source`` names it in notes; ``notes`` may be None (nothing noted)."""

    source: str
    label_set: tuple[str, ...] | None = None
    notes: ReadNotes | None = None

    def from_tags(self, tags: Sequence[str], place: Place, *, origin: str = "gold") -> list[Span]:
        """The kept spans of one sentence's tags (each already checked with :func:`projection.tags.parse_tag`)."""
        upper = [tag.upper() for tag in tags]
        if self.notes is not None:
            for i, (tag, written) in enumerate(zip(upper, tags, strict=True)):
                if tag != written:
                    self.notes.note(LOWERCASE, self.source, place(i), written)
        decoded = decode_tags(upper, origin=origin)
        if self.notes is not None:
            for i in decoded.stray:
                self.notes.note(STRAY_INSIDE, self.source, place(i), upper[i])
        return self.in_label_set(decoded.spans, place)

    def from_spans(self, spans: Sequence[Span], place: Place) -> list[Span]:
        """The kept spans of a sentence given as spans, their labels upper-cased."""
        upper = []
        for span in spans:
            label = span.label.upper()
            if label != span.label:
                if self.notes is not None:
                    self.notes.note(LOWERCASE, self.source, place(span.start), span.label)
                span = Span(span.start, span.end, label, span.score, span.origin)
            upper.append(span)
        return self.in_label_set(upper, place)

    def in_label_set(self, spans: Sequence[Span], place: Place) -> list[Span]:
        if self.label_set is None:
            return list(spans)
        kept = []
        for span in spans:
            if span.label in self.label_set:
                kept.append(span)
            elif self.notes is not None:
                self.notes.note(OTHER_LABEL, self.source, place(span.start), span.label, self.label_set)
        return kept
