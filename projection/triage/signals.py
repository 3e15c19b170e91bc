"""What every signal group hands to the combination: values per projected span, words for each, flags.

A signal group (committee, alignment support, corpus consistency, the
cross-validated model) looks at the default method's projections without
gold and returns, for each projected span of each sentence, a few named
numbers (its *features*) with the words that explain each one, and the
target word ranges it believes are entities the projection missed
(*flags*). A group that cannot be computed says why in ``missing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GROUPS = ("committee", "support", "consistency", "shape", "model")


@dataclass
class Flag:
    """Target words ``start`` .. ``end - 1`` that look like an entity the projection missed."""

    start: int
    end: int
    label: str | None
    score: float
    reasons: list[str]
    group: str

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "signal": self.group,
        }


@dataclass
class GroupSignals:
    """One group's features (name -> value) and their words for every projected span, and its flags.

    ``values[k][m]`` and ``words[k][m]`` belong to span ``m`` of sentence
    ``k`` (the default method's spans, in record order); ``flags[k]`` and
    ``notes[k]`` (sentence-level remarks, e.g. entities left unprojected) to
    sentence ``k``. ``missing`` says why the group could not be computed
    (then everything else is empty).
    """

    group: str
    values: list[list[dict[str, float]]] = field(default_factory=list)
    words: list[list[dict[str, str]]] = field(default_factory=list)
    flags: list[list[Flag]] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)
    missing: str | None = None

    @classmethod
    def unavailable(cls, group: str, why: str) -> GroupSignals:
        return cls(group, missing=why)

    def notes_for(self, k: int) -> list[str]:
        """Sentence ``k``'s remarks (groups without sentence-level remarks leave ``notes`` empty)."""
        return self.notes[k] if self.notes else []


def quoted(tokens: list[str], start: int, end: int) -> str:
    return "'" + " ".join(tokens[start:end]) + "'"
