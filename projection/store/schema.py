"""The append-only tables of the corrections store.

Rows are only ever inserted: an edit, an undo (a new edit that restores an
earlier state), a review mark or an assignment. The current state of a
sentence is read from its newest rows, so the full history of who changed
what, and when, stays.

Every row names its data set twice: ``dataset`` is the data set's key (its
name and a digest of its sentences, :func:`projection.store.keys.dataset_key`)
and ``dataset_name`` the name people know it by; ``text_hash`` is the hash of
the tokens of the sentence the row was made on. Rows written before keys
existed have the bare name in both and no hash.

An edit belongs to a *track*: ``review`` edits form one version of the
sentence per reviewer (the author's), ``adjudication`` edits one shared,
adjudicated version. Its *layer* says what it changes: ``spans`` (``before``
and ``after`` are lists of span dicts) or ``links``, the correction of a
sentence's alignment (``before`` and ``after`` are the links added to and
removed from the aligner's, :class:`projection.link_edit.LinkEdit`), with the
same history and undo. A sentence's links are one version everyone edits
(:data:`LINK_TRACK`), and their ``text_hash`` is that of the sentence pair
(:func:`projection.store.keys.pair_hash`), since links point into both sides.

A *random sample* (``samples``) is a list of sentence ids drawn with a seed
from a language's sentences, with the hash of each one's text; the newest
row of a data set and language is its sample, so drawing again keeps the
earlier samples in the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SPANS = "spans"
"""The layer of span corrections."""
LINKS = "links"
"""The layer of alignment corrections."""
REVIEW = "review"
ADJUDICATION = "adjudication"
TRACKS = (REVIEW, ADJUDICATION)
LINK_TRACK = ADJUDICATION
"""Link corrections form one shared version of a sentence's alignment, as adjudicated spans do."""


class Base(DeclarativeBase):
    pass


class EditRow(Base):
    """One change of a sentence's layer (its spans or links); ``before``/``after`` are that layer's JSON value."""

    __tablename__ = "edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(200))
    sentence_id: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[Any] = mapped_column(JSON)
    after: Mapped[Any] = mapped_column(JSON)
    undoes: Mapped[int | None] = mapped_column(ForeignKey("edits.id"), nullable=True)
    dataset_name: Mapped[str] = mapped_column(String(200), default="")
    text_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    track: Mapped[str] = mapped_column(String(32), default=REVIEW)
    layer: Mapped[str] = mapped_column(String(32), default=SPANS)

    __table_args__ = (
        Index("ix_edits_sentence", "dataset", "lang", "sentence_id", "id"),
        Index("ix_edits_name", "dataset_name"),
    )


class ReviewRow(Base):
    """A sentence marked as reviewed (or un-marked) by someone; the newest mark of each person counts.

    ``spans`` are the spans the reviewer approved (what the page showed them),
    ``method`` the method whose projection they were looking at.
    """

    __tablename__ = "review_marks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(200))
    sentence_id: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviewed: Mapped[bool] = mapped_column()
    dataset_name: Mapped[str] = mapped_column(String(200), default="")
    text_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    method: Mapped[str] = mapped_column(String(200), default="")
    spans: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (
        Index("ix_review_sentence", "dataset", "lang", "sentence_id", "id"),
        Index("ix_review_name", "dataset_name"),
    )


class AssignmentRow(Base):
    """A sentence given to (``assigned``) or taken from a reviewer; the newest row per reviewer and sentence counts."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(200))
    dataset_name: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str] = mapped_column(String(32))
    sentence_id: Mapped[str] = mapped_column(String(200))
    reviewer: Mapped[str] = mapped_column(String(200))
    assigned_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    assigned: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_assignments_dataset", "dataset", "lang", "reviewer", "id"),)


class SampleRow(Base):
    """A random sample of a data set's sentences in one language; the newest row per data set and language counts.

    ``sentence_ids`` and ``text_hashes`` are parallel lists (in the order drawn);
    ``population`` is how many sentences it was drawn from.
    """

    __tablename__ = "samples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(200))
    dataset_name: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str] = mapped_column(String(32))
    seed: Mapped[int] = mapped_column(Integer)
    population: Mapped[int] = mapped_column(Integer)
    sentence_ids: Mapped[list[str]] = mapped_column(JSON)
    text_hashes: Mapped[list[str]] = mapped_column(JSON)
    drawn_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_samples_dataset", "dataset", "lang", "id"),
        Index("ix_samples_name", "dataset_name"),
    )
