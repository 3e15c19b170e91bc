"""A data set's random sample: sentences drawn with a seed and stored, so that every reviewer reviews the same ones.

The sample is for estimating the corpus's quality (:mod:`projection.quality`):
its sentences must be chosen by chance, not by what they look like, and stay
the same however many people review them and whenever the estimate is read.
Each sampled sentence keeps the hash of its text, so a sample is only ever
applied to the very sentences it was drawn from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from projection.errors import ProjectionError
from projection.store.schema import SampleRow

MAX_SEED = 2**31 - 1
"""Seeds are stored in a 32-bit integer column."""


@dataclass(frozen=True)
class Sample:
    """One draw: ``sentence_ids`` (in the order drawn, the order to review them in) and their ``text_hashes``."""

    id: int
    dataset: str
    dataset_name: str
    lang: str
    seed: int
    population: int
    sentence_ids: tuple[str, ...]
    text_hashes: tuple[str, ...]
    drawn_by: str
    drawn_at: datetime

    @property
    def size(self) -> int:
        return len(self.sentence_ids)

    def misfits(self, hashes: Mapping[str, str]) -> list[str]:
        """The sampled sentences that ``hashes`` (sentence id -> text hash) lacks or has another text of."""
        return [
            sentence_id
            for sentence_id, found in zip(self.sentence_ids, self.text_hashes, strict=True)
            if hashes.get(sentence_id) != found
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "dataset_name": self.dataset_name,
            "lang": self.lang,
            "seed": self.seed,
            "size": self.size,
            "population": self.population,
            "drawn_by": self.drawn_by,
            "drawn_at": self.drawn_at.isoformat(),
        }


def check_draw(size: int, seed: int, population: int) -> None:
    """A draw the store can keep: at least one sentence to draw from and to draw, a seed that fits its column."""
    if population == 0:
        raise ProjectionError("There are no sentences to draw a sample from.")
    if size < 1:
        raise ProjectionError(f"A sample needs at least one sentence, not {size}.")
    if not 0 <= seed <= MAX_SEED:
        raise ProjectionError(f"The seed is a whole number from 0 to {MAX_SEED:,}, not {seed}.")


def to_sample(row: SampleRow) -> Sample:
    drawn_at = row.created_at if row.created_at.tzinfo is not None else row.created_at.replace(tzinfo=UTC)
    return Sample(
        id=row.id,
        dataset=row.dataset,
        dataset_name=row.dataset_name,
        lang=row.lang,
        seed=row.seed,
        population=row.population,
        sentence_ids=tuple(row.sentence_ids),
        text_hashes=tuple(row.text_hashes),
        drawn_by=row.drawn_by,
        drawn_at=drawn_at,
    )
