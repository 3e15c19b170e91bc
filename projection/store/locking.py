"""PostgreSQL advisory locks named by text, held until the transaction ends.

SQLite serialises writers itself (every transaction begins with ``BEGIN
IMMEDIATE``); on PostgreSQL a writer that must read before it writes (a
sentence's newest state, the schema's version) takes a named lock first, so
that concurrent writers wait for each other instead of failing.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session


def lock_key(*names: str) -> int:
    """A signed 64-bit key for ``names`` (PostgreSQL's advisory lock space)."""
    digest = hashlib.blake2b("\x1f".join(names).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_for_transaction(target: Connection | Session, *names: str) -> None:
    """Wait for, then hold until commit or rollback, the lock named ``names`` (PostgreSQL only)."""
    dialect = target.get_bind().dialect if isinstance(target, Session) else target.dialect
    if dialect.name == "postgresql":
        target.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key("projection", *names)})
