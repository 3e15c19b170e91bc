"""Combine the two directional alignments of a statistical aligner into one.

A directional aligner such as eflomal links each word of one side to at most
one word of the other, so neither direction alone can express one-to-many
correspondences in both directions. The heuristics here are the standard ones
of Koehn et al. (2003) and the Moses toolkit:

- ``intersection``: links both directions agree on (high precision);
- ``union``: links either direction proposes (high recall);
- ``grow-diag``: start from the intersection and repeatedly add union links
  that neighbour (horizontally, vertically or diagonally) an accepted link and
  touch a word that is still unaligned;
- ``grow-diag-final``: grow-diag, then add the remaining forward links and
  then the remaining reverse links that touch an unaligned word on *either*
  side;
- ``grow-diag-final-and``: as grow-diag-final, but a final link is added only
  when *both* of its words are still unaligned.

``forward`` and ``reverse`` return one direction unchanged (for debugging an
aligner). All links are ``(source index, target index)`` pairs, both
directions expressed in that same order. The growing steps follow Koehn's
pseudocode exactly, including its order: cells are visited row by row
(source index, then target index) and a link added during a sweep is visited
in the same sweep when it comes later in that order, in the next one otherwise.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

from projection.errors import ProjectionError

Link = tuple[int, int]

_DIAGONAL_NEIGHBOURS: tuple[Link, ...] = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


class _State:
    """The growing alignment plus which source and target words it already covers."""

    def __init__(self, links: Iterable[Link]) -> None:
        self.links: set[Link] = set()
        self.aligned_src: set[int] = set()
        self.aligned_tgt: set[int] = set()
        for link in links:
            self.add(link)

    def add(self, link: Link) -> None:
        self.links.add(link)
        self.aligned_src.add(link[0])
        self.aligned_tgt.add(link[1])

    def touches_unaligned(self, link: Link) -> bool:
        return link[0] not in self.aligned_src or link[1] not in self.aligned_tgt

    def both_unaligned(self, link: Link) -> bool:
        return link[0] not in self.aligned_src and link[1] not in self.aligned_tgt


def _as_set(links: Iterable[Iterable[int]]) -> set[Link]:
    return {(int(i), int(j)) for i, j in links}


def intersection(forward: Iterable[Link], reverse: Iterable[Link]) -> list[Link]:
    return sorted(_as_set(forward) & _as_set(reverse))


def union(forward: Iterable[Link], reverse: Iterable[Link]) -> list[Link]:
    return sorted(_as_set(forward) | _as_set(reverse))


def _grow_diag(state: _State, candidates: set[Link]) -> None:
    """Koehn's GROW-DIAG on ``state``, adding links from ``candidates`` (the union)."""
    this_sweep = sorted(state.links)
    heapq.heapify(this_sweep)
    next_sweep: list[Link] = []
    while this_sweep:
        while this_sweep:
            i, j = heapq.heappop(this_sweep)
            for di, dj in _DIAGONAL_NEIGHBOURS:
                neighbour = (i + di, j + dj)
                if neighbour in candidates and state.touches_unaligned(neighbour):
                    state.add(neighbour)
                    heapq.heappush(this_sweep if neighbour > (i, j) else next_sweep, neighbour)
        this_sweep, next_sweep = next_sweep, []


def _final(state: _State, links: set[Link], accept: Callable[[Link], bool]) -> None:
    """Koehn's FINAL / FINAL-AND: add each of ``links`` (row-major order) that ``accept`` allows."""
    for link in sorted(links):
        if accept(link):
            state.add(link)


def grow_diag(forward: Iterable[Link], reverse: Iterable[Link]) -> list[Link]:
    fwd, rev = _as_set(forward), _as_set(reverse)
    state = _State(fwd & rev)
    _grow_diag(state, fwd | rev)
    return sorted(state.links)


def grow_diag_final(forward: Iterable[Link], reverse: Iterable[Link]) -> list[Link]:
    fwd, rev = _as_set(forward), _as_set(reverse)
    state = _State(fwd & rev)
    _grow_diag(state, fwd | rev)
    _final(state, fwd, state.touches_unaligned)
    _final(state, rev, state.touches_unaligned)
    return sorted(state.links)


def grow_diag_final_and(forward: Iterable[Link], reverse: Iterable[Link]) -> list[Link]:
    fwd, rev = _as_set(forward), _as_set(reverse)
    state = _State(fwd & rev)
    _grow_diag(state, fwd | rev)
    _final(state, fwd, state.both_unaligned)
    _final(state, rev, state.both_unaligned)
    return sorted(state.links)


def forward_only(forward: Iterable[Link], reverse: Iterable[Link]) -> list[Link]:
    return sorted(_as_set(forward))


def reverse_only(forward: Iterable[Link], reverse: Iterable[Link]) -> list[Link]:
    return sorted(_as_set(reverse))


SYMMETRISATIONS: dict[str, Callable[[Iterable[Link], Iterable[Link]], list[Link]]] = {
    "intersection": intersection,
    "union": union,
    "grow-diag": grow_diag,
    "grow-diag-final": grow_diag_final,
    "grow-diag-final-and": grow_diag_final_and,
    "forward": forward_only,
    "reverse": reverse_only,
}


def check_method(method: str) -> str:
    """``method`` if it names a heuristic, else a :class:`ProjectionError` listing the names."""
    if method not in SYMMETRISATIONS:
        raise ProjectionError(
            f"Unknown symmetrisation {method!r}. Choose one of: {', '.join(SYMMETRISATIONS)} "
            "(grow-diag-final-and is the usual choice for statistical aligners)."
        )
    return method


def symmetrise(forward: Iterable[Link], reverse: Iterable[Link], method: str) -> list[Link]:
    """Combine the two directions with the named heuristic; links come back sorted."""
    return SYMMETRISATIONS[check_method(method)](forward, reverse)
