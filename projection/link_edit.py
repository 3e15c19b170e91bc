"""A researcher's correction of a sentence's alignment: the links added to and removed from the aligner's.

An edit is relative to the aligner's links, so it applies to the records of
every method of a data set, which share one alignment, and it stays small
enough to store (:mod:`projection.store`) and to carry in a record's
provenance. Re-projection through an edited alignment is
:func:`projection.pipeline.reproject.reproject`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from projection.data import Alignment
from projection.errors import ProjectionError

Link = tuple[int, int]


def _links(value: Any) -> tuple[Link, ...]:
    return tuple(sorted({(int(i), int(j)) for i, j in value or ()}))


@dataclass(frozen=True)
class LinkEdit:
    """Links added to and removed from an alignment; adding a link already there or removing one that is not
    changes nothing."""

    added: tuple[Link, ...] = ()
    removed: tuple[Link, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def toggled(self, link: Link, original: Alignment) -> LinkEdit:
        """This edit with ``link`` switched, as a click on its cell does: a link the aligner gave (``original``)
        is removed or restored, any other link is added or taken out again."""
        link = (int(link[0]), int(link[1]))
        present = link in set(original.links)
        added, removed = [x for x in self.added if x != link], [x for x in self.removed if x != link]
        if present and link not in self.removed:
            removed.append(link)
        elif not present and link not in self.added:
            added.append(link)
        return LinkEdit(tuple(sorted(added)), tuple(sorted(removed)))

    def apply(self, alignment: Alignment, n_src: int, n_tgt: int) -> Alignment:
        """The edited alignment; every edited link must lie inside the sentence pair.

        Kept links keep their scores. An added link takes the aligner's
        similarity for that cell where there is a matrix; without one the
        edited alignment has no per-link scores (no projector reads them).
        """
        for i, j in (*self.added, *self.removed):
            if not (0 <= i < n_src and 0 <= j < n_tgt):
                raise ProjectionError(
                    f"The link {i}→{j} is outside the sentence pair ({n_src} source and {n_tgt} target tokens)."
                )
        removed = set(self.removed)
        kept = [(k, link) for k, link in enumerate(alignment.links) if link not in removed]
        existing = {link for _, link in kept}
        new = sorted({(int(i), int(j)) for i, j in self.added} - existing)
        links = [link for _, link in kept] + new
        scores = None
        similarity = alignment.similarity
        if similarity is not None and similarity.shape != (n_src, n_tgt):
            similarity = None
        if alignment.scores is not None and (not new or similarity is not None):
            scores = [alignment.scores[k] for k, _ in kept] + [float(similarity[i, j]) for i, j in new]
        order = sorted(range(len(links)), key=lambda k: links[k])
        return Alignment(
            [links[k] for k in order],
            None if scores is None else [scores[k] for k in order],
            alignment.similarity,
        )

    def to_dict(self) -> dict[str, list[list[int]]]:
        return {"added": [list(link) for link in self.added], "removed": [list(link) for link in self.removed]}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any] | None) -> LinkEdit:
        """The edit :meth:`to_dict` wrote (None or an empty mapping: no edit)."""
        value = value or {}
        return cls(_links(value.get("added")), _links(value.get("removed")))

    def rebased(self, before: LinkEdit, after: LinkEdit) -> LinkEdit:
        """This edit (the newest stored one) with the change ``before -> after`` replayed on it.

        Two sessions editing the same sentence's links both keep their work:
        the second one's ``before`` may be stale, so only what it changed
        (links it added to or dropped from either list) is applied. When this
        edit equals ``before`` the result equals ``after``.
        """

        def replay(stored: tuple[Link, ...], old: tuple[Link, ...], new: tuple[Link, ...]) -> set[Link]:
            return (set(stored) - (set(old) - set(new))) | (set(new) - set(old))

        added = replay(self.added, before.added, after.added)
        removed = replay(self.removed, before.removed, after.removed)
        return LinkEdit(_links(added), _links(removed - added))
