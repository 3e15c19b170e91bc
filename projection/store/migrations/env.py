"""Alembic's environment for the corrections store: migrations run on the connection the store opened.

The store passes its connection, already inside the transaction that holds
the schema lock, in ``config.attributes["connection"]`` (see
:func:`projection.store.migrate.upgrade_schema`); there is no ini file and no
offline (SQL script) mode.
"""

from alembic import context

from projection.store.migrate import VERSION_TABLE
from projection.store.schema import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,  # SQLite alters a table by copying it; batch mode writes migrations that way
)
with context.begin_transaction():
    context.run_migrations()
