"""Job leases: let exactly one worker at a time run a named background job.

Every backend worker runs the same lifespan loops; before each round of work a loop calls
`try_acquire_lease(...)` and works only if it returns True. A holder renews by acquiring again
before `expires_at`; a crashed holder's lease simply runs out and another worker takes over.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Table, case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from o365portal.db.tables.sync import JobLease

_LEASES: Table = JobLease.__table__  # type: ignore[attr-defined]


def try_acquire_lease(
    session: Session, name: str, holder: str, ttl: timedelta, now: datetime
) -> bool:
    """Take or renew lease `name` for `holder` until `now + ttl`; True if `holder` now has it.

    One `INSERT ... ON CONFLICT DO UPDATE ... WHERE` statement, atomic on SQLite and
    PostgreSQL: the row is written only if no one holds the lease, it has expired, or `holder`
    already holds it. Concurrent takers wait on the row until this session commits, so commit
    right after acquiring.
    """
    insert = _dialect_insert(session)(_LEASES).values(
        name=name, holder=holder, acquired_at=now, expires_at=now + ttl
    )
    statement = insert.on_conflict_do_update(
        index_elements=[_LEASES.c.name],
        set_={
            "holder": insert.excluded.holder,
            "acquired_at": case(
                (_LEASES.c.holder == holder, _LEASES.c.acquired_at),
                else_=insert.excluded.acquired_at,
            ),
            "expires_at": insert.excluded.expires_at,
        },
        where=(_LEASES.c.expires_at <= now) | (_LEASES.c.holder == holder),
    ).returning(_LEASES.c.holder)
    return session.exec(statement).first() is not None


def release_lease(session: Session, name: str, holder: str) -> bool:
    """Give up lease `name` if `holder` has it, so another worker may take it at once."""
    statement = delete(JobLease).where(
        _LEASES.c.name == name,
        _LEASES.c.holder == holder,
    )
    return bool(session.exec(statement).rowcount)


def _dialect_insert(session: Session) -> Callable[[Table], postgresql.Insert | sqlite.Insert]:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"job leases need SQLite or PostgreSQL, not {dialect}")
