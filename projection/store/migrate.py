"""The store's schema is brought to this version's when the store opens, with Alembic.

Every schema change is an Alembic revision in ``migrations/versions``: a new
file whose ``down_revision`` is the previous head (the tests check that the
head creates exactly :mod:`projection.store.schema`). A store made by any
earlier version therefore opens after an upgrade, its rows kept. A store
made before migrations existed (its tables, no version table) is recognised
and stamped at the first revision, whose schema it has.

The version table is named after the store rather than Alembic's default,
so that a shared PostgreSQL database may hold another application's Alembic
history beside it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect

from projection.errors import ProjectionError
from projection.store.locking import lock_for_transaction

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "corrections_schema_version"
FIRST_REVISION = "0001"
PRE_MIGRATION_COLUMNS = {
    "edits": {
        "id", "dataset", "sentence_id", "lang", "method", "author", "created_at", "action", "before", "after", "undoes",
    },
    "review_marks": {"id", "dataset", "sentence_id", "lang", "author", "created_at", "reviewed"},
}  # fmt: skip
"""The tables of a store made before migrations existed, as revision 0001 creates them."""

_ONE_MIGRATION_AT_A_TIME = threading.Lock()
"""Alembic's ``context`` and ``op`` are process-wide: two threads may not run its commands at once."""


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration for migrating over ``connection`` (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The revision a database is stamped at, None when it has no version table."""
    return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade_schema(engine: Engine, where: str, *, whole_database: bool) -> None:
    """Check that the database holds a corrections store (or nothing yet) and migrate it to the head revision.

    ``whole_database`` is true when the database is the store (a SQLite
    file), so that tables of something else mean the path is wrong; a
    server database may hold other applications' tables beside the store's.
    All of it runs in one transaction under the schema lock, so that two
    processes opening a new store at once create it once.
    """
    with _ONE_MIGRATION_AT_A_TIME, engine.begin() as connection:
        lock_for_transaction(connection, "corrections schema")
        config = alembic_config(connection)
        script = ScriptDirectory.from_config(config)
        revision = current_revision(connection)
        tables = set(inspect(connection).get_table_names()) - {VERSION_TABLE}
        if revision is None:
            ours = tables & PRE_MIGRATION_COLUMNS.keys()
            if ours:
                check_pre_migration_tables(connection, ours, where)
                command.stamp(config, FIRST_REVISION)
            elif tables and whole_database:
                raise ProjectionError(
                    f"{where} is a SQLite database but not a corrections store: it has the tables "
                    f"{', '.join(sorted(tables))} and none of the store's. Check the path; to start a new store "
                    "there, move the file aside."
                )
        else:
            try:
                script.get_revision(revision)
            except CommandError:
                raise ProjectionError(
                    f"{where} was last opened by a newer version of projection (its schema is at revision "
                    f"{revision!r}, which this version does not know). Upgrade projection to open it."
                ) from None
            if revision == script.get_current_head():
                return
        command.upgrade(config, "head")


def check_pre_migration_tables(connection: Connection, tables: set[str], where: str) -> None:
    """Tables named like the store's, without a version table, must be a whole store of before migrations."""
    missing = sorted(PRE_MIGRATION_COLUMNS.keys() - tables)
    if missing:
        raise ProjectionError(
            f"{where} has only some of a corrections store's tables ({', '.join(sorted(tables))}, but not "
            f"{', '.join(missing)}): it is not a complete store. Restore it from a backup, or choose another store."
        )
    found = inspect(connection)
    for table, columns in PRE_MIGRATION_COLUMNS.items():
        have = {column["name"] for column in found.get_columns(table)}
        if have != columns:
            raise ProjectionError(
                f"{where} has a table {table!r} that is not a corrections store's (columns {', '.join(sorted(have))}). "
                "Check the path or URL, or choose another store."
            )
