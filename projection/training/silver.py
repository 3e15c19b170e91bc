"""Silver training data from projection records, and the choices that decide its quality.

A projected sentence is only as good as what failed to project: when a
source entity found no target span, the target sentence still contains the
entity's words, now labelled O, and a model trained on it learns to miss
such entities (a false negative in training). :class:`SilverOptions` says
what to do with such sentences (keep them, drop them, or mark the words the
entity was aligned to as unknown, i.e. partial annotation), whether to keep
sentences with no entity at all, which labels to keep, and a minimum
projection score below which a projected span counts as failed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from projection.data import ProjectionRecord, Sentence, Span
from projection.errors import ProjectionError
from projection.training import MISSING

UnprojectedPolicy = Literal["keep", "drop", "missing"]
EmptyPolicy = Literal["keep", "drop"]
DatePolicy = Literal["all", "points"]
UNPROJECTED_POLICIES = ("keep", "drop", "missing")
EMPTY_POLICIES = ("keep", "drop")
DATE_POLICIES = ("all", "points")

CALENDAR_WORDS = frozenset(
    """january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday christmas easter ramadan
    eid janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
    lundi mardi mercredi jeudi vendredi samedi dimanche""".split()
)
"""English and French words that name a day or a month of the calendar."""
ANCHOR_WORDS = frozenset(
    """ago last next past this previous coming dernier dernière derniers dernières prochain prochaine prochains
    prochaines passé passée ce cet cette""".split()
)
"""Words that anchor a period in time: "last week", "this year", "two years ago", "l'année dernière"."""
YEAR = re.compile(r"^'?\d{4}s?$|^'\d{2}s?$")
"""1998, 1990s, '98."""


@dataclass(frozen=True)
class SilverOptions:
    """How projected records become training sentences.

    ``unprojected``: a sentence where some source entity has no projected span
    (or only one scoring below ``min_score``) is kept as it is (``keep``),
    dropped (``drop``), or kept with the target words aligned to that entity
    marked unknown (``missing``; dropped when those words cannot be located).
    ``empty``: keep or drop sentences whose source has no entity.
    ``labels``: the entity types kept (None: all; :mod:`projection.train_eval`
    fills in the evaluation's labels). ``unknown_capitalised``: capitalised
    words outside every projected span are marked unknown rather than O, since
    they are where names missed by the source NER or the alignment hide.
    ``unknown_labels``: source entity types not trained on whose projected
    words are marked unknown rather than O (NORP: "American" projects onto
    "Marekani", which a MasakhaNER-style test set calls LOC). ``dates``:
    ``points`` keeps only DATE entities anchored in time (a year, a month or
    weekday, "last week", "two years ago"; English and French sources) and marks the
    projections of the others (durations, frequencies, a bare "today") unknown.
    """

    labels: tuple[str, ...] | None = None
    unprojected: UnprojectedPolicy = "drop"
    empty: EmptyPolicy = "keep"
    min_score: float | None = None
    unknown_capitalised: bool = False
    unknown_labels: tuple[str, ...] = ()
    dates: DatePolicy = "all"

    def __post_init__(self) -> None:
        if self.unprojected not in UNPROJECTED_POLICIES:
            raise ProjectionError(
                f"Unknown policy for unprojected entities {self.unprojected!r}; use {', '.join(UNPROJECTED_POLICIES)}."
            )
        if self.dates not in DATE_POLICIES:
            raise ProjectionError(f"Unknown DATE policy {self.dates!r}; use {', '.join(DATE_POLICIES)}.")
        if self.empty not in EMPTY_POLICIES:
            raise ProjectionError(
                f"Unknown policy for empty sentences {self.empty!r}; use {', '.join(EMPTY_POLICIES)}."
            )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["labels"] = None if self.labels is None else list(self.labels)
        data["unknown_labels"] = list(self.unknown_labels)
        return data


@dataclass
class SilverStats:
    """Counts that say how much of the projection survived, for the run JSON."""

    n_records: int = 0
    n_kept: int = 0
    n_dropped_unprojected: int = 0
    n_dropped_empty: int = 0
    n_with_missing: int = 0
    n_source_entities: int = 0
    n_unprojected_entities: int = 0
    n_low_score_spans: int = 0
    n_unknown_entities: int = 0
    entities: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _linked_targets(record: ProjectionRecord, entity: Span) -> set[int]:
    n_target = len(record.target.tokens)
    return {j for i, j in record.alignment.links if entity.start <= i < entity.end and 0 <= j < n_target}


def unprojected_entities(record: ProjectionRecord, entities: Sequence[Span], kept: Sequence[Span]) -> list[Span]:
    """The ``entities`` with no kept projected span of their label over a target word they are aligned to."""
    failed = []
    for entity in entities:
        linked = _linked_targets(record, entity)
        if not any(span.label == entity.label and linked & set(range(span.start, span.end)) for span in kept):
            failed.append(entity)
    return failed


def _unknown_region(record: ProjectionRecord, entities: Sequence[Span], kept: Sequence[Span]) -> list[Span] | None:
    """:data:`MISSING` spans over the words each failed entity is aligned to, or None if one has no such word."""
    regions = []
    for entity in entities:
        linked = _linked_targets(record, entity)
        if not linked:
            return None
        start, end = min(linked), max(linked) + 1
        free = [j for j in range(start, end) if not any(span.start <= j < span.end for span in kept)]
        regions.extend(Span(j, j + 1, MISSING, origin="silver:unknown") for j in free)
    return regions


def capitalised_unknown(tokens: Sequence[str], spans: Sequence[Span]) -> list[Span]:
    """:data:`MISSING` spans over capitalised words that no span covers."""
    covered = {i for span in spans for i in range(span.start, span.end)}
    return [
        Span(i, i + 1, MISSING, origin="silver:unknown")
        for i, token in enumerate(tokens)
        if i not in covered and token[:1].isupper()
    ]


def is_point_in_time(tokens: Sequence[str], entity: Span) -> bool:
    """Whether an (English) DATE entity names a point or a period anchored in time, not a duration or a deixis.

    Points: a year, a month or weekday ("May 5", "Monday"), an anchored period
    ("last week", "two years ago"). Not points: durations ("two years", "12
    days"), frequencies ("every day") and the bare "today" or "yesterday",
    which OntoNotes calls DATE and MasakhaNER-style guidelines mostly do not.
    """
    words = [token.lower() for token in tokens[entity.start : entity.end]]
    return any(word in CALENDAR_WORDS or word in ANCHOR_WORDS or YEAR.match(word) for word in words)


def _split_unknown(record: ProjectionRecord, options: SilverOptions) -> tuple[list[Span], list[Span]]:
    """Source entities to train on, and those whose projections are to be unknown (other types, durations)."""
    trained, unknown = [], []
    for entity in record.source.spans:
        if entity.label in options.unknown_labels:
            unknown.append(entity)
        elif options.labels is not None and entity.label not in options.labels:
            continue
        elif entity.label == "DATE" and options.dates == "points":
            (trained if is_point_in_time(record.source.tokens, entity) else unknown).append(entity)
        else:
            trained.append(entity)
    return trained, unknown


def _projections_of(record: ProjectionRecord, entity: Span, spans: Sequence[Span]) -> list[Span]:
    """Projected spans of ``entity``'s label over the target words it is aligned to."""
    linked = _linked_targets(record, entity)
    return [span for span in spans if span.label == entity.label and linked & set(range(span.start, span.end))]


def silver_sentences(records: Sequence[ProjectionRecord], options: SilverOptions) -> tuple[list[Sentence], SilverStats]:
    """Target sentences carrying their projected spans, filtered as ``options`` say."""
    stats = SilverStats(n_records=len(records))
    entity_counts: Counter[str] = Counter()
    sentences = []
    for record in records:
        sources, unknown_sources = _split_unknown(record, options)
        stats.n_source_entities += len(sources)
        stats.n_unknown_entities += len(unknown_sources)
        if not sources and options.empty == "drop":
            stats.n_dropped_empty += 1
            continue
        unknown_spans = [s for e in unknown_sources for s in _projections_of(record, e, record.projected)]
        projected = [
            s
            for s in record.projected
            if s not in unknown_spans and (options.labels is None or s.label in options.labels)
        ]
        kept = [s for s in projected if options.min_score is None or s.score is None or s.score >= options.min_score]
        stats.n_low_score_spans += len(projected) - len(kept)
        failed = unprojected_entities(record, sources, kept)
        stats.n_unprojected_entities += len(failed)
        spans = list(kept)
        if failed and options.unprojected == "drop":
            stats.n_dropped_unprojected += 1
            continue
        if failed and options.unprojected == "missing":
            unknown = _unknown_region(record, failed, kept)
            if unknown is None:
                stats.n_dropped_unprojected += 1
                continue
            spans += unknown
            stats.n_with_missing += 1
        spans += [Span(s.start, s.end, MISSING, origin="silver:unknown") for s in unknown_spans]
        if options.unknown_capitalised:
            spans += capitalised_unknown(record.target.tokens, spans)
        entity_counts.update(span.label for span in kept)
        sentences.append(Sentence(record.id, record.target.lang, list(record.target.tokens), spans))
    stats.n_kept = len(sentences)
    stats.entities = dict(sorted(entity_counts.items()))
    return sentences, stats


def split_dev(
    sentences: Sequence[Sentence], *, fraction: float = 0.1, max_dev: int = 1000, seed: int = 0
) -> tuple[list[Sentence], list[Sentence]]:
    """A seeded random ``(train, dev)`` split of the silver sentences; dev is at most ``max_dev`` sentences."""
    if not 0.0 <= fraction < 1.0:
        raise ProjectionError(f"The dev fraction must be in [0, 1), not {fraction}.")
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    n_dev = min(int(len(sentences) * fraction), max_dev)
    dev_indices = set(order[:n_dev])
    train = [s for k, s in enumerate(sentences) if k not in dev_indices]
    dev = [s for k, s in enumerate(sentences) if k in dev_indices]
    return train, dev
