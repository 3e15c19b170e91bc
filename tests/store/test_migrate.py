"""The store's schema goes through Alembic migrations, on SQLite and on PostgreSQL.

``data/store_before_migrations.sqlite`` is a store written by the version
before migrations existed (edits, an undo and a review mark, through
``CorrectionsStore``); it must open, keep its rows, and be stamped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from projection.data import Span
from projection.errors import ProjectionError
from projection.store import CorrectionsStore
from projection.store.migrate import FIRST_REVISION, MIGRATIONS, VERSION_TABLE, alembic_config, current_revision
from projection.store.schema import Base

BEFORE_MIGRATIONS = Path(__file__).with_name("data") / "store_before_migrations.sqlite"
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    """Run Alembic itself on ``url``, as a store of that revision would have been left."""
    engine = create_engine(url)
    with engine.begin() as connection:
        config = alembic_config(connection)
        (command.downgrade if down else command.upgrade)(config, revision)
    engine.dispose()


def revision_and_tables(url: str) -> tuple[str | None, set[str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = current_revision(connection), set(inspect(connection).get_table_names())
    engine.dispose()
    return found


def test_the_head_revision_creates_exactly_the_schema_the_code_uses(url: str) -> None:
    CorrectionsStore(url).close()
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
    assert revision_and_tables(url) == (HEAD, {"edits", "review_marks", "assignments", "samples", VERSION_TABLE})


def test_every_revision_goes_down_and_up_again(url: str) -> None:
    migrate(url, "head")
    migrate(url, "base", down=True)
    assert revision_and_tables(url) == (None, {VERSION_TABLE})
    migrate(url, "head")
    store = CorrectionsStore(url)
    store.save("news", "s1", [], [Span(0, 1, "PER")], author="ana", lang="es", action="add")
    assert list(store.reviews("news")) == [("es", "s1")]


def legacy_spans(store: CorrectionsStore, dataset: str) -> dict[str, list[tuple[int, int, str]]]:
    """Sentence -> span keys of the versions rows of before data set keys left (they carry no text hash)."""
    return {
        sentence_id: sorted(span.key for version in reviews.orphans("any text") for span in version.spans or [])
        for (_, sentence_id), reviews in store.reviews(dataset).items()
    }


def test_a_store_at_the_first_revision_opens_upgraded_with_its_rows(url: str) -> None:
    migrate(url, FIRST_REVISION)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO edits (dataset, sentence_id, lang, method, author, created_at, action, before, after) "
                "VALUES ('news', 's1', 'es', '', 'ana', :now, 'add', '[]', :after)"
            ),
            {"now": "2025-01-02 03:04:05+00:00", "after": '[{"start": 0, "end": 2, "label": "PER"}]'},
        )
    engine.dispose()

    store = CorrectionsStore(url)
    assert legacy_spans(store, "news") == {"s1": [(0, 2, "PER")]}
    assert store.keys_named("news") == ["news"]  # the name stands in for the key it did not have
    (edit,) = store.history("news", "s1")
    assert (edit.track, edit.text_hash) == ("review", None)
    assert revision_and_tables(url)[0] == HEAD


def test_a_store_file_made_before_migrations_opens_stamped_with_every_row(tmp_path: Path) -> None:
    path = tmp_path / "corrections.sqlite"
    shutil.copyfile(BEFORE_MIGRATIONS, path)
    url = f"sqlite:///{path}"
    assert revision_and_tables(url) == (None, {"edits", "review_marks"})

    store = CorrectionsStore(url)
    assert revision_and_tables(url) == (HEAD, {"edits", "review_marks", "assignments", "samples", VERSION_TABLE})
    assert legacy_spans(store, "news") == {"s1": [(0, 2, "ORG")], "s2": [(3, 5, "LOC")]}
    assert [edit.action for edit in store.history("news", "s2")] == ["add", "delete", "undo"]
    reviewed = [v for reviews in store.reviews("news").values() for v in reviews.versions if v.reviewed]
    assert [v.sentence_id for v in reviewed] == ["s1"]
    store.save("news", "s3", [], [Span(1, 2, "PER")], author="ana", lang="es", action="add")
    store.close()
    assert sorted(sid for _, sid in CorrectionsStore(url).reviews("news")) == ["s1", "s2", "s3"]


def test_a_database_made_before_migrations_is_stamped_on_postgresql_too(postgresql_url: str) -> None:
    migrate(postgresql_url, FIRST_REVISION)  # the tables of before migrations, which revision 0001 creates
    engine = create_engine(postgresql_url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {VERSION_TABLE}"))
    engine.dispose()
    assert revision_and_tables(postgresql_url) == (None, {"edits", "review_marks"})

    CorrectionsStore(postgresql_url).save("news", "s1", [], [Span(0, 1, "LOC")], author="a", lang="es", action="add")
    assert revision_and_tables(postgresql_url)[0] == HEAD


def test_a_store_of_a_newer_version_is_refused_with_what_to_do(url: str) -> None:
    CorrectionsStore(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = 'f00d'"))
    engine.dispose()
    with pytest.raises(ProjectionError, match=r"newer version of projection .* revision 'f00d'.* Upgrade projection"):
        CorrectionsStore(url)


def test_a_store_with_only_some_of_its_tables_is_refused(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE edits (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(ProjectionError, match=r"only some of a corrections store's tables \(edits, but not review"):
        CorrectionsStore(url)


def test_a_server_database_keeps_the_other_tables_and_alembic_history_it_holds(postgresql_url: str) -> None:
    engine = create_engine(postgresql_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('another-app-rev')"))
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    CorrectionsStore(postgresql_url).save("news", "s1", [], [Span(0, 1, "PER")], author="a", lang="es", action="add")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "another-app-rev"
        assert current_revision(connection) == HEAD
        assert {"invoices", "alembic_version", "edits", "review_marks"} <= set(inspect(connection).get_table_names())
    engine.dispose()


def test_a_store_at_revision_0002_gains_the_samples_table_and_keeps_its_rows(url: str) -> None:
    migrate(url, "0002")
    store = CorrectionsStore(url)
    store.save("news", "s1", [], [Span(0, 1, "PER")], author="ana", lang="es", action="add", text_hash="h1")
    store.close()
    migrate(url, "0002", down=True)
    assert "samples" not in revision_and_tables(url)[1]

    store = CorrectionsStore(url)
    assert revision_and_tables(url)[0] == HEAD
    assert [e.action for e in store.history("news", "s1")] == ["add"]
    assert store.sample("news", "es") is None
    drawn = store.draw_sample("news", "es", [("s1", "h1"), ("s2", "h2")], size=1, seed=3, drawn_by="ana")
    assert store.sample("news", "es") == drawn
