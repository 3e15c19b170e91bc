"""Every store test runs on a SQLite file and on a real PostgreSQL server.

PostgreSQL cases need ``PROJECTION_TEST_POSTGRES_URL``, a SQLAlchemy URL of a
database the tests may create databases from (``bash .ci/run`` starts a
throwaway server and sets it); each test gets a database of its own, dropped
afterwards. Without the variable those cases are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL_ENV = "PROJECTION_TEST_POSTGRES_URL"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'corrections.sqlite'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test."""
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        pytest.skip(f"PostgreSQL cases need {POSTGRES_URL_ENV} (a server URL; bash .ci/run starts one)")
    name = f"projection_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    """The URL of a new corrections store on each backend."""
    return request.getfixturevalue(f"{request.param}_url")
