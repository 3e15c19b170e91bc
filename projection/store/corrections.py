"""The corrections store: SQLite under ``cache/`` by default, any SQLAlchemy database URL for a team.

Every change is a new row (see :mod:`projection.store.schema`); nothing is
updated or deleted. Two people editing the same sentence at once both keep
their work: each write runs in a serialised transaction that replays the
edit's change on the newest state of the sentence (:func:`rebase_spans`).
Opening a store checks it (a damaged or foreign SQLite file is refused, see
:mod:`projection.store.sqlite_file`) and migrates its schema to this
version's (:mod:`projection.store.migrate`).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import URL, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from projection.cache import DEFAULT_CACHE_DIR
from projection.data import Span, spans_from_dicts, spans_to_dicts
from projection.errors import ProjectionError
from projection.store.edits import UNDO, Edit, check_no_overlap, rebase_spans
from projection.store.locking import lock_for_transaction
from projection.store.migrate import upgrade_schema
from projection.store.schema import EditRow, ReviewRow
from projection.store.sqlite_file import check_integrity, check_store_file, create_store_file

DEFAULT_URL_ENV = "PROJECTION_CORRECTIONS_URL"
"""Environment variable naming the database when no URL is given (e.g. a shared PostgreSQL server)."""

WRITE_ATTEMPTS = 5
T = TypeVar("T")


def default_url() -> str:
    """``$PROJECTION_CORRECTIONS_URL``, else ``cache/corrections.sqlite`` in the checkout."""
    return os.environ.get(DEFAULT_URL_ENV) or f"sqlite:///{DEFAULT_CACHE_DIR / 'corrections.sqlite'}"


def _sqlite_engine(url: URL) -> Engine:
    """SQLite with every transaction opened as ``BEGIN IMMEDIATE``.

    pysqlite starts transactions lazily, so two writers could both read the
    old state before either writes; taking the write lock at BEGIN serialises
    read-modify-write, and ``timeout`` makes the second writer wait instead of failing.
    """
    in_memory = url.database in (None, "", ":memory:")
    engine = create_engine(
        url,
        connect_args={"timeout": 30, "check_same_thread": False},
        poolclass=StaticPool if in_memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        if not in_memory:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _store_file(url: URL) -> Path | None:
    """The file of a SQLite store, its folder created; None for an in-memory database."""
    if url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ProjectionError(
            f"Cannot open the corrections database {url.database}: its folder cannot be created "
            f"({err.strerror}). Choose a writable path or another database URL."
        ) from None
    return path


def _open_sqlite(url: URL) -> Engine:
    """A checked SQLite store at its newest schema: a missing file is created whole, an existing one checked."""
    path = _store_file(url)
    if path is None:
        engine = _sqlite_engine(url)
        upgrade_schema(engine, "The in-memory database", whole_database=True)
        return engine
    url = url.set(database=str(path))  # SQLite itself would take a leading ~ literally
    if not path.exists():
        create_store_file(path, lambda scratch: _build_store_file(url.set(database=str(scratch)), path))
    check_store_file(path)
    engine = _sqlite_engine(url)
    try:
        _check_and_migrate(engine, path)
    except ProjectionError:
        engine.dispose()
        raise
    return engine


def _build_store_file(scratch_url: URL, path: Path) -> None:
    engine = _sqlite_engine(scratch_url)
    try:
        _check_and_migrate(engine, path)
    finally:
        engine.dispose()


def _check_and_migrate(engine: Engine, path: Path) -> None:
    try:
        check_integrity(engine, path)
        upgrade_schema(engine, f"The file {path}", whole_database=True)
    except SQLAlchemyError as err:
        raise ProjectionError(
            f"Cannot open the corrections store {path}: {err.__class__.__name__}: {getattr(err, 'orig', err)}. "
            "Check that the file and its folder are writable by this user, or choose another store."
        ) from None


def _open_server(url: URL) -> Engine:
    """A database server's store at its newest schema.

    PostgreSQL runs at READ COMMITTED: writers of a sentence take its lock
    (:mod:`projection.store.locking`) before they read, and every statement
    sees what they committed. Other databases run at SERIALIZABLE, and a
    writer that loses a conflict is retried.
    """
    isolation = "READ COMMITTED" if url.get_backend_name() == "postgresql" else "SERIALIZABLE"
    engine = create_engine(url, isolation_level=isolation, pool_pre_ping=True)
    shown = url.render_as_string(hide_password=True)
    try:
        upgrade_schema(engine, f"The database {shown}", whole_database=False)
    except SQLAlchemyError as err:
        engine.dispose()
        raise ProjectionError(
            f"Cannot open the corrections database {shown}: {err.__class__.__name__}: {getattr(err, 'orig', err)}. "
            "Check that the server is reachable and that this user may create tables there, or choose another URL."
        ) from None
    except ProjectionError:
        engine.dispose()
        raise
    return engine


def _open_engine(url_text: str) -> Engine:
    try:
        url = make_url(url_text)
        if url.get_backend_name() == "sqlite":
            return _open_sqlite(url)
        return _open_server(url)
    except (ArgumentError, ValueError) as err:
        raise ProjectionError(
            f"The corrections database URL {url_text!r} is not valid ({err}). Give a SQLAlchemy URL such as "
            "sqlite:///path/to/corrections.sqlite or postgresql+psycopg://user@host/dbname."
        ) from None
    except (NoSuchModuleError, ModuleNotFoundError) as err:
        raise ProjectionError(
            f"The database driver for {url_text!r} is not installed ({err}). Install it in the venv "
            "(e.g. `pip install psycopg[binary]` for PostgreSQL) or use the default SQLite store."
        ) from None


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _to_edit(row: EditRow, undone_by: int | None = None) -> Edit:
    return Edit(
        id=row.id,
        dataset=row.dataset,
        sentence_id=row.sentence_id,
        lang=row.lang,
        method=row.method,
        author=row.author,
        timestamp=_as_utc(row.created_at),
        action=row.action,
        before=spans_from_dicts(row.before),
        after=spans_from_dicts(row.after),
        undoes=row.undoes,
        undone_by=undone_by,
    )


def _live_edits(rows: Sequence[EditRow]) -> list[EditRow]:
    """Edits (not undo rows) that no undo row has reverted, oldest first."""
    undone = {row.undoes for row in rows if row.undoes is not None}
    return [row for row in rows if row.action != UNDO and row.id not in undone]


class CorrectionsStore:
    """Append-only history of span corrections, keyed by data set, language and sentence id.

    Sentence ids must be unique within a (data set, language); pass ``lang``
    to the readers when one data set holds several languages with the same ids.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = _open_engine(self.url)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------------------

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction, retrying when a concurrent writer made it fail."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._session.begin() as session:
                    return work(session)
            except OperationalError:
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0.5, 1.5) * 0.05 * (attempt + 1))  # jitter: retried writers drift apart
        raise AssertionError("unreachable")

    def save(
        self,
        dataset: str,
        sentence_id: str,
        spans_before: Sequence[Span],
        spans_after: Sequence[Span],
        *,
        author: str,
        lang: str,
        action: str,
        method: str = "",
    ) -> int:
        """Record that ``author`` changed the spans of a sentence; returns the new edit's id.

        ``spans_before`` is what the author saw (the projection, or the last
        corrected state); if someone else has changed the sentence since, the
        change is applied to the newest state instead, so neither edit is lost.
        """
        if action == UNDO:
            raise ValueError("use CorrectionsStore.undo() to undo an edit")
        if not action:
            raise ValueError("an edit needs an action name (add, delete, relabel, move-start, move-end ...)")
        check_no_overlap(spans_after)
        sentence_id = str(sentence_id)

        def work(session: Session) -> int:
            lock_for_transaction(session, "sentence", dataset, sentence_id)
            rows = self._rows(session, dataset, sentence_id, lang)
            stored = spans_from_dicts(rows[-1].after) if rows else list(spans_before)
            after = rebase_spans(stored, spans_before, spans_after)
            row = EditRow(
                dataset=dataset,
                sentence_id=sentence_id,
                lang=lang,
                method=method,
                author=author or "anonymous",
                created_at=datetime.now(UTC),
                action=action,
                before=spans_to_dicts(stored),
                after=spans_to_dicts(after),
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)

    def undo(self, dataset: str, sentence_id: str, *, author: str, lang: str | None = None) -> int | None:
        """Revert ``author``'s newest edit of a sentence that is not yet undone, as a new row.

        Only the author's own edits are undone (as in shared editors), and the
        reverted change is replayed on the newest state, so others' later
        edits stay. Returns the undo row's id, or None when there is nothing to undo.
        """
        sentence_id = str(sentence_id)

        def work(session: Session) -> int | None:
            lock_for_transaction(session, "sentence", dataset, sentence_id)
            rows = self._rows(session, dataset, sentence_id, lang)
            own = [row for row in _live_edits(rows) if row.author == (author or "anonymous")]
            if not own:
                return None
            target = own[-1]
            stored = spans_from_dicts(rows[-1].after)
            after = rebase_spans(stored, spans_from_dicts(target.after), spans_from_dicts(target.before))
            row = EditRow(
                dataset=dataset,
                sentence_id=sentence_id,
                lang=target.lang,
                method=target.method,
                author=author or "anonymous",
                created_at=datetime.now(UTC),
                action=UNDO,
                before=spans_to_dicts(stored),
                after=spans_to_dicts(after),
                undoes=target.id,
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)

    def mark_reviewed(self, dataset: str, sentence_id: str, *, author: str, lang: str, reviewed: bool = True) -> int:
        """Mark a sentence as reviewed (or take the mark back); returns the mark's id."""

        def work(session: Session) -> int:
            row = ReviewRow(
                dataset=dataset,
                sentence_id=str(sentence_id),
                lang=lang,
                author=author or "anonymous",
                created_at=datetime.now(UTC),
                reviewed=reviewed,
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)

    # -- reading -------------------------------------------------------------------------------

    @staticmethod
    def _rows(session: Session, dataset: str, sentence_id: str | None, lang: str | None) -> list[EditRow]:
        query = select(EditRow).where(EditRow.dataset == dataset)
        if sentence_id is not None:
            query = query.where(EditRow.sentence_id == sentence_id)
        if lang is not None:
            query = query.where(EditRow.lang == lang)
        return list(session.scalars(query.order_by(EditRow.id)))

    def _read(self, work: Callable[[Session], T]) -> T:
        with self._session.begin() as session:
            return work(session)

    def current(self, dataset: str, lang: str | None = None) -> dict[str, list[Span]]:
        """Corrected spans of every sentence that has an edit not undone (other sentences are absent)."""

        def work(session: Session) -> dict[str, list[Span]]:
            by_sentence: dict[str, list[EditRow]] = {}
            for row in self._rows(session, dataset, None, lang):
                by_sentence.setdefault(row.sentence_id, []).append(row)
            return {
                sentence_id: spans_from_dicts(rows[-1].after)
                for sentence_id, rows in by_sentence.items()
                if _live_edits(rows)
            }

        return self._read(work)

    def current_spans(self, dataset: str, sentence_id: str, *, lang: str | None = None) -> list[Span] | None:
        """Corrected spans of one sentence, or None when it has no edit that is not undone."""

        def work(session: Session) -> list[Span] | None:
            rows = self._rows(session, dataset, str(sentence_id), lang)
            return spans_from_dicts(rows[-1].after) if _live_edits(rows) else None

        return self._read(work)

    def history(self, dataset: str, sentence_id: str, *, lang: str | None = None) -> list[Edit]:
        """Every edit and undo of a sentence, oldest first."""

        def work(session: Session) -> list[Edit]:
            rows = self._rows(session, dataset, str(sentence_id), lang)
            undone_by = {row.undoes: row.id for row in rows if row.undoes is not None}
            return [_to_edit(row, undone_by.get(row.id)) for row in rows]

        return self._read(work)

    def reviewed(self, dataset: str, lang: str | None = None) -> set[str]:
        """Ids of the sentences whose newest review mark says reviewed."""

        def work(session: Session) -> set[str]:
            query = select(ReviewRow).where(ReviewRow.dataset == dataset)
            if lang is not None:
                query = query.where(ReviewRow.lang == lang)
            latest: dict[str, bool] = {}
            for row in session.scalars(query.order_by(ReviewRow.id)):
                latest[row.sentence_id] = row.reviewed
            return {sentence_id for sentence_id, reviewed in latest.items() if reviewed}

        return self._read(work)

    def is_reviewed(self, dataset: str, sentence_id: str, *, lang: str | None = None) -> bool:
        """Whether one sentence's newest review mark says reviewed."""

        def work(session: Session) -> bool:
            query = select(ReviewRow.reviewed).where(
                ReviewRow.dataset == dataset, ReviewRow.sentence_id == str(sentence_id)
            )
            if lang is not None:
                query = query.where(ReviewRow.lang == lang)
            return bool(session.scalars(query.order_by(ReviewRow.id.desc()).limit(1)).first())

        return self._read(work)

    def datasets(self) -> list[str]:
        """Names of the data sets that have edits or review marks."""

        def work(session: Session) -> list[str]:
            edited = session.scalars(select(EditRow.dataset).distinct())
            marked = session.scalars(select(ReviewRow.dataset).distinct())
            return sorted({*edited, *marked})

        return self._read(work)
