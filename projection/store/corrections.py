"""The corrections store: SQLite under ``cache/`` by default, any SQLAlchemy database URL for a team.

Every change is a new row (see :mod:`projection.store.schema`); nothing is
updated or deleted. Each reviewer edits their own version of a sentence, and
adjudicators one shared adjudicated version (:mod:`projection.store.versions`
says which version a sentence is exported with). Two sessions editing the
same version at once both keep their work: each write runs in a serialised
transaction that replays the edit's change on the newest state of that
version (:func:`projection.store.edits.rebase_spans`). Corrections of a
sentence's alignment (its links) are kept the same way, under their own
layer (:meth:`CorrectionsStore.save_links`).
Opening a store checks it (a damaged or foreign SQLite file is refused, see
:mod:`projection.store.sqlite_file`) and migrates its schema to this
version's (:mod:`projection.store.migrate`).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import URL, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from projection.cache import DEFAULT_CACHE_DIR
from projection.data import Span, spans_to_dicts
from projection.errors import ProjectionError
from projection.evaluation.estimate import draw_sample
from projection.link_edit import LinkEdit
from projection.store.edits import LINK_LAYER, SPAN_LAYER, UNDO, Edit, Layer, check_no_overlap
from projection.store.locking import lock_for_transaction
from projection.store.migrate import upgrade_schema
from projection.store.samples import Sample, check_draw, to_sample
from projection.store.schema import (
    LINK_TRACK,
    REVIEW,
    SPANS,
    TRACKS,
    AssignmentRow,
    EditRow,
    ReviewRow,
    SampleRow,
)
from projection.store.sqlite_file import check_integrity, check_store_file, create_store_file
from projection.store.versions import (
    SentenceKey,
    SentenceLinks,
    SentenceReviews,
    collect_links,
    collect_reviews,
    live_edits,
)

DEFAULT_URL_ENV = "PROJECTION_CORRECTIONS_URL"
"""Environment variable naming the database when no URL is given (e.g. a shared PostgreSQL server)."""

WRITE_ATTEMPTS = 5
T = TypeVar("T")
V = TypeVar("V")


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


def _to_edit(layer: Layer[V], row: EditRow, undone_by: int | None = None) -> Edit[V]:
    return Edit(
        id=row.id,
        dataset=row.dataset,
        sentence_id=row.sentence_id,
        lang=row.lang,
        method=row.method,
        author=row.author,
        timestamp=_as_utc(row.created_at),
        action=row.action,
        before=layer.load(row.before),
        after=layer.load(row.after),
        undoes=row.undoes,
        undone_by=undone_by,
        track=row.track,
        text_hash=row.text_hash,
    )


def _check_track(track: str) -> None:
    if track not in TRACKS:
        raise ValueError(f"unknown track {track!r}; use one of {', '.join(TRACKS)}")


class CorrectionsStore:
    """Append-only history of span and link corrections, keyed by data set key, language and sentence id.

    Sentence ids must be unique within a (data set, language). ``dataset`` is
    the data set's key (:func:`projection.store.keys.dataset_key`);
    ``dataset_name`` (the name people know it by, default: the key) lets the
    command line find a data set's corrections by name; ``text_hash``
    (:func:`projection.store.keys.text_hash` of the sentence's tokens) lets a
    reader refuse corrections made on another text.
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

    @staticmethod
    def _version_rows(
        session: Session,
        layer: Layer[Any],
        dataset: str,
        sentence_id: str,
        lang: str | None,
        track: str,
        author: str,
        text_hash: str | None,
    ) -> list[EditRow]:
        """The rows of one version of a sentence's layer: a reviewer's own (review track), or the shared one;
        of one text only where the layer says so."""
        query = select(EditRow).where(
            EditRow.dataset == dataset,
            EditRow.sentence_id == sentence_id,
            EditRow.track == track,
            EditRow.layer == layer.name,
        )
        if layer.per_text:
            query = query.where(
                EditRow.text_hash == text_hash if text_hash is not None else EditRow.text_hash.is_(None)
            )
        if lang is not None:
            query = query.where(EditRow.lang == lang)
        if track == REVIEW:
            query = query.where(EditRow.author == author)
        return list(session.scalars(query.order_by(EditRow.id)))

    def _save(
        self,
        layer: Layer[V],
        dataset: str,
        sentence_id: str,
        before: V,
        after: V,
        *,
        author: str,
        lang: str,
        action: str,
        method: str,
        track: str,
        text_hash: str | None,
        dataset_name: str | None,
    ) -> int:
        """Append a change of one version of a sentence's ``layer``, replayed on that version's newest value."""
        if action == UNDO:
            raise ValueError("use CorrectionsStore.undo() to undo an edit")
        if not action:
            raise ValueError("an edit needs an action name (add, delete, relabel, accept, adjudicate ...)")
        _check_track(track)
        sentence_id = str(sentence_id)
        author = author or "anonymous"

        def work(session: Session) -> int:
            lock_for_transaction(session, "sentence", dataset, sentence_id)
            rows = self._version_rows(session, layer, dataset, sentence_id, lang, track, author, text_hash)
            stored = layer.load(rows[-1].after) if rows else before
            row = EditRow(
                dataset=dataset,
                dataset_name=dataset if dataset_name is None else dataset_name,
                sentence_id=sentence_id,
                lang=lang,
                method=method,
                author=author,
                created_at=datetime.now(UTC),
                action=action,
                before=layer.dump(stored),
                after=layer.dump(layer.rebase(stored, before, after)),
                text_hash=text_hash,
                track=track,
                layer=layer.name,
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)

    def _undo(
        self,
        layer: Layer[V],
        dataset: str,
        sentence_id: str,
        *,
        author: str,
        lang: str | None,
        track: str,
        text_hash: str | None = None,
    ) -> int | None:
        """Revert ``author``'s newest live edit of a version of a sentence's ``layer``, as a new row."""
        _check_track(track)
        sentence_id = str(sentence_id)
        author = author or "anonymous"

        def work(session: Session) -> int | None:
            lock_for_transaction(session, "sentence", dataset, sentence_id)
            rows = self._version_rows(session, layer, dataset, sentence_id, lang, track, author, text_hash)
            own = [row for row in live_edits(rows) if row.author == author]
            if not own:
                return None
            target = own[-1]
            stored = layer.load(rows[-1].after)
            after = layer.rebase(stored, layer.load(target.after), layer.load(target.before))
            row = EditRow(
                dataset=dataset,
                dataset_name=target.dataset_name,
                sentence_id=sentence_id,
                lang=target.lang,
                method=target.method,
                author=author,
                created_at=datetime.now(UTC),
                action=UNDO,
                before=layer.dump(stored),
                after=layer.dump(after),
                undoes=target.id,
                text_hash=target.text_hash,
                track=track,
                layer=layer.name,
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)

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
        track: str = REVIEW,
        text_hash: str | None = None,
        dataset_name: str | None = None,
    ) -> int:
        """Record that ``author`` changed the spans of their version of a sentence (or the adjudicated version,
        ``track="adjudication"``); returns the new edit's id.

        ``spans_before`` is what the author saw (the projection, or the last
        state of that version); if another session has changed the version
        since, the change is applied to its newest state instead, so neither
        edit is lost.
        """
        check_no_overlap(spans_after)
        return self._save(
            SPAN_LAYER,
            dataset,
            sentence_id,
            list(spans_before),
            list(spans_after),
            author=author,
            lang=lang,
            action=action,
            method=method,
            track=track,
            text_hash=text_hash,
            dataset_name=dataset_name,
        )

    def undo(
        self, dataset: str, sentence_id: str, *, author: str, lang: str | None = None, track: str = REVIEW
    ) -> int | None:
        """Revert ``author``'s newest edit of a sentence's version that is not yet undone, as a new row.

        Only the author's own edits are undone (as in shared editors), and the
        reverted change is replayed on the newest state of the version, so
        later edits of the same version stay. Returns the undo row's id, or
        None when there is nothing to undo.
        """
        return self._undo(SPAN_LAYER, dataset, sentence_id, author=author, lang=lang, track=track)

    def save_links(
        self,
        dataset: str,
        sentence_id: str,
        before: LinkEdit,
        after: LinkEdit,
        *,
        author: str,
        lang: str,
        action: str,
        method: str = "",
        text_hash: str | None = None,
        dataset_name: str | None = None,
    ) -> int:
        """Record that ``author`` changed the correction of a sentence's alignment from ``before`` (what they saw)
        to ``after``; returns the new edit's id.

        A sentence has one link correction that everyone edits; a change made
        on a stale ``before`` is replayed on the newest correction. Going back
        to the aligner's links is an edit to the empty :class:`LinkEdit`.
        ``text_hash`` is the sentence pair's (:func:`projection.store.keys.pair_hash`).
        """
        return self._save(
            LINK_LAYER,
            dataset,
            sentence_id,
            before,
            after,
            author=author,
            lang=lang,
            action=action,
            method=method,
            track=LINK_TRACK,
            text_hash=text_hash,
            dataset_name=dataset_name,
        )

    def undo_links(
        self, dataset: str, sentence_id: str, *, author: str, lang: str | None = None, text_hash: str | None = None
    ) -> int | None:
        """Revert ``author``'s newest link edit of the sentence pair hashing to ``text_hash`` that is not yet
        undone (see :meth:`undo`); None when there is nothing left to undo."""
        return self._undo(
            LINK_LAYER, dataset, sentence_id, author=author, lang=lang, track=LINK_TRACK, text_hash=text_hash
        )

    def mark_reviewed(
        self,
        dataset: str,
        sentence_id: str,
        *,
        author: str,
        lang: str,
        reviewed: bool = True,
        spans: Sequence[Span] | None = None,
        method: str = "",
        text_hash: str | None = None,
        dataset_name: str | None = None,
    ) -> int:
        """Mark a sentence as reviewed by ``author`` (or take the mark back); returns the mark's id.

        ``spans`` are the spans the reviewer approves, i.e. what they were
        shown; they make the reviewer's version when they changed nothing.
        """

        def work(session: Session) -> int:
            row = ReviewRow(
                dataset=dataset,
                dataset_name=dataset if dataset_name is None else dataset_name,
                sentence_id=str(sentence_id),
                lang=lang,
                author=author or "anonymous",
                created_at=datetime.now(UTC),
                reviewed=reviewed,
                text_hash=text_hash,
                method=method,
                spans=None if spans is None else spans_to_dicts(spans),
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)

    def set_assignments(
        self,
        dataset: str,
        lang: str,
        plan: Mapping[str, Sequence[str]],
        *,
        assigned_by: str,
        dataset_name: str | None = None,
    ) -> int:
        """Make ``plan`` (reviewer -> sentence ids, in the order to review them) the data set's assignment in
        ``lang``: sentences given before and not in it are taken back. Returns the rows written."""
        name = dataset if dataset_name is None else dataset_name

        def work(session: Session) -> int:
            lock_for_transaction(session, "assignments", dataset, lang)
            wanted = {reviewer: set(ids) for reviewer, ids in plan.items()}
            changes = [
                (reviewer, sentence_id, False)
                for reviewer, ids in self._assignments(session, dataset, lang).items()
                for sentence_id in ids
                if sentence_id not in wanted.get(reviewer, set())
            ]
            changes += [(reviewer, str(sentence_id), True) for reviewer, ids in plan.items() for sentence_id in ids]
            now = datetime.now(UTC)
            session.add_all(
                AssignmentRow(
                    dataset=dataset,
                    dataset_name=name,
                    lang=lang,
                    sentence_id=sentence_id,
                    reviewer=reviewer,
                    assigned_by=assigned_by or "anonymous",
                    created_at=now,
                    assigned=assigned,
                )
                for reviewer, sentence_id, assigned in changes
            )
            return len(changes)

        return self._write(work)

    def draw_sample(
        self,
        dataset: str,
        lang: str,
        sentences: Sequence[tuple[str, str]],
        *,
        size: int,
        seed: int,
        drawn_by: str,
        dataset_name: str | None = None,
        replace: bool = False,
    ) -> Sample:
        """The data set's random sample in ``lang``: ``size`` of ``sentences`` (``(sentence id, text hash)``, in
        the data set's order) drawn with ``seed`` and stored in the order drawn.

        A sample drawn before is returned as it is unless ``replace``: every
        reviewer's estimate rests on it, so only an explicit request draws
        anew (the earlier draw stays in the table's history).
        """
        check_draw(size, seed, len(sentences))

        def work(session: Session) -> Sample:
            lock_for_transaction(session, "sample", dataset, lang)
            current = self._sample(session, dataset, lang)
            if current is not None and not replace:
                return current
            hashes = dict(sentences)
            chosen = draw_sample(list(hashes), size, seed)
            row = SampleRow(
                dataset=dataset,
                dataset_name=dataset if dataset_name is None else dataset_name,
                lang=lang,
                seed=seed,
                population=len(hashes),
                sentence_ids=chosen,
                text_hashes=[hashes[sentence_id] for sentence_id in chosen],
                drawn_by=drawn_by or "anonymous",
                created_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            return to_sample(row)

        return self._write(work)

    # -- reading -------------------------------------------------------------------------------

    @staticmethod
    def _sample(session: Session, dataset: str, lang: str) -> Sample | None:
        query = select(SampleRow).where(SampleRow.dataset == dataset, SampleRow.lang == lang)
        row = session.scalars(query.order_by(SampleRow.id.desc()).limit(1)).first()
        return None if row is None else to_sample(row)

    def sample(self, dataset: str, lang: str) -> Sample | None:
        """The data set's random sample in ``lang`` (the newest draw), None before one is drawn."""
        return self._read(lambda session: self._sample(session, dataset, lang))

    def samples_named(self, dataset: str, lang: str | None = None) -> list[Sample]:
        """The samples of the data sets whose key or name is ``dataset`` (newest draw of each key and language),
        newest first; of one language when given."""

        def work(session: Session) -> list[Sample]:
            query = select(SampleRow).where((SampleRow.dataset == dataset) | (SampleRow.dataset_name == dataset))
            if lang is not None:
                query = query.where(SampleRow.lang == lang)
            newest: dict[tuple[str, str], Sample] = {}
            for row in session.scalars(query.order_by(SampleRow.id.desc())):
                newest.setdefault((row.dataset, row.lang), to_sample(row))
            return list(newest.values())

        return self._read(work)

    def sample_names(self) -> list[str]:
        """The names of the data sets that have a sample (for a message naming what there is)."""
        return self._read(lambda session: sorted(session.scalars(select(SampleRow.dataset_name).distinct())))

    def _read(self, work: Callable[[Session], T]) -> T:
        with self._session.begin() as session:
            return work(session)

    @staticmethod
    def _assignments(session: Session, dataset: str, lang: str) -> dict[str, list[str]]:
        query = (
            select(AssignmentRow)
            .where(AssignmentRow.dataset == dataset, AssignmentRow.lang == lang)
            .order_by(AssignmentRow.id)
        )
        latest: dict[tuple[str, str], bool] = {}
        for row in session.scalars(query):
            latest.pop((row.reviewer, row.sentence_id), None)  # a new row moves the sentence to its place
            latest[(row.reviewer, row.sentence_id)] = row.assigned
        plan: dict[str, list[str]] = {}
        for (reviewer, sentence_id), assigned in latest.items():
            if assigned:
                plan.setdefault(reviewer, []).append(sentence_id)
        return plan

    def assignments(self, dataset: str, lang: str) -> dict[str, list[str]]:
        """Reviewer -> the sentence ids they are given in ``lang``, in the order they were given."""
        return self._read(lambda session: self._assignments(session, dataset, lang))

    def reviews(
        self, *datasets: str, lang: str | None = None, sentence_id: str | None = None
    ) -> dict[SentenceKey, SentenceReviews]:
        """Every version of every sentence of the data sets ``datasets`` (keys, or legacy names), by
        ``(lang, sentence id)``; only of one language or one sentence when given."""

        def work(session: Session) -> dict[SentenceKey, SentenceReviews]:
            edits = select(EditRow).where(EditRow.dataset.in_(datasets), EditRow.layer == SPANS)
            marks = select(ReviewRow).where(ReviewRow.dataset.in_(datasets))
            if lang is not None:
                edits, marks = edits.where(EditRow.lang == lang), marks.where(ReviewRow.lang == lang)
            if sentence_id is not None:
                edits = edits.where(EditRow.sentence_id == str(sentence_id))
                marks = marks.where(ReviewRow.sentence_id == str(sentence_id))
            return collect_reviews(
                session.scalars(edits.order_by(EditRow.id)), session.scalars(marks.order_by(ReviewRow.id))
            )

        return self._read(work)

    def sentence_reviews(self, *datasets: str, lang: str, sentence_id: str) -> SentenceReviews:
        """The versions of one sentence (none yet: an empty :class:`SentenceReviews`)."""
        found = self.reviews(*datasets, lang=lang, sentence_id=sentence_id)
        return found.get((lang, str(sentence_id)), SentenceReviews(lang, str(sentence_id)))

    def _history(self, layer: Layer[V], dataset: str, sentence_id: str, lang: str | None) -> list[Edit[V]]:
        def work(session: Session) -> list[Edit[V]]:
            query = select(EditRow).where(
                EditRow.dataset == dataset, EditRow.sentence_id == str(sentence_id), EditRow.layer == layer.name
            )
            if lang is not None:
                query = query.where(EditRow.lang == lang)
            rows = list(session.scalars(query.order_by(EditRow.id)))
            undone_by = {row.undoes: row.id for row in rows if row.undoes is not None}
            return [_to_edit(layer, row, undone_by.get(row.id)) for row in rows]

        return self._read(work)

    def history(self, dataset: str, sentence_id: str, *, lang: str | None = None) -> list[Edit[list[Span]]]:
        """Every span edit and undo of a sentence, by every reviewer and adjudicator, oldest first."""
        return self._history(SPAN_LAYER, dataset, sentence_id, lang)

    def link_history(self, dataset: str, sentence_id: str, *, lang: str | None = None) -> list[Edit[LinkEdit]]:
        """Every link edit and undo of a sentence, oldest first."""
        return self._history(LINK_LAYER, dataset, sentence_id, lang)

    def links(
        self, *datasets: str, lang: str | None = None, sentence_id: str | None = None
    ) -> dict[SentenceKey, SentenceLinks]:
        """The link corrections of the data sets ``datasets`` (keys, or legacy names), by ``(lang, sentence id)``;
        only of one language or one sentence when given."""

        def work(session: Session) -> dict[SentenceKey, SentenceLinks]:
            query = select(EditRow).where(EditRow.dataset.in_(datasets), EditRow.layer == LINK_LAYER.name)
            if lang is not None:
                query = query.where(EditRow.lang == lang)
            if sentence_id is not None:
                query = query.where(EditRow.sentence_id == str(sentence_id))
            return collect_links(session.scalars(query.order_by(EditRow.id)))

        return self._read(work)

    def keys_named(self, name: str) -> list[str]:
        """The keys of the data sets called ``name`` that have rows (a legacy row's key is its name)."""

        def work(session: Session) -> list[str]:
            edited = session.scalars(select(EditRow.dataset).where(EditRow.dataset_name == name).distinct())
            marked = session.scalars(select(ReviewRow.dataset).where(ReviewRow.dataset_name == name).distinct())
            return sorted({*edited, *marked})

        return self._read(work)

    def datasets(self) -> list[str]:
        """Keys of the data sets that have edits or review marks."""

        def work(session: Session) -> list[str]:
            edited = session.scalars(select(EditRow.dataset).distinct())
            marked = session.scalars(select(ReviewRow.dataset).distinct())
            return sorted({*edited, *marked})

        return self._read(work)

    def last_change(self, *datasets: str) -> tuple[int, int]:
        """The newest edit and review mark ids of the data sets: while they stay the same, so do their reviews."""

        def work(session: Session) -> tuple[int, int]:
            edit = session.scalar(select(func.max(EditRow.id)).where(EditRow.dataset.in_(datasets)))
            mark = session.scalar(select(func.max(ReviewRow.id)).where(ReviewRow.dataset.in_(datasets)))
            return edit or 0, mark or 0

        return self._read(work)
