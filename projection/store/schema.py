"""The two append-only tables of the corrections store.

Rows are only ever inserted: an edit, an undo (a new edit that restores an
earlier state) or a review mark. The current state of a sentence is read from
its newest rows, so the full history of who changed what, and when, stays.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class EditRow(Base):
    """One change of a sentence's spans; ``before``/``after`` are lists of span dicts."""

    __tablename__ = "edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(200))
    sentence_id: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    after: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    undoes: Mapped[int | None] = mapped_column(ForeignKey("edits.id"), nullable=True)

    __table_args__ = (Index("ix_edits_sentence", "dataset", "lang", "sentence_id", "id"),)


class ReviewRow(Base):
    """A sentence marked as reviewed (or un-marked) by someone; the newest mark counts."""

    __tablename__ = "review_marks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(200))
    sentence_id: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviewed: Mapped[bool] = mapped_column()

    __table_args__ = (Index("ix_review_sentence", "dataset", "lang", "sentence_id", "id"),)
