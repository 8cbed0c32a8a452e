"""The portal's business clock: real UTC plus an offset that development and test portals honour.

Services ask `now()` / `today()` instead of `datetime.now()`, so tests can move business time
(a scheduled order's go-live day, session expiry) for every worker of a portal under test: the
offset lives in the `portal_clock` row. It is read only when O365PORTAL_ENV is `development`
or `test`; in production `now()` is the real clock and `set_offset()` refuses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.tables.clock import PORTAL_CLOCK_ID, PortalClock

_MOVABLE = {"development", "test"}


def _movable() -> bool:
    return get_settings().environment in _MOVABLE


def offset() -> timedelta:
    """How far business time is moved from real time (zero in production or when never set)."""
    if not _movable():
        return timedelta(0)
    with session_scope() as session:
        row = session.get(PortalClock, PORTAL_CLOCK_ID)
        return timedelta(seconds=row.offset_seconds if row else 0)


def now() -> datetime:
    """The current business instant, timezone-aware UTC."""
    return datetime.now(UTC) + offset()


def today() -> date:
    """The current business day (UTC)."""
    return now().date()


def set_offset(value: timedelta) -> datetime:
    """Move business time to real time + `value` (development and tests only); the new now."""
    if not _movable():
        raise RuntimeError("The portal clock can only be moved in development or test.")
    with session_scope() as session:
        row = session.get(PortalClock, PORTAL_CLOCK_ID) or PortalClock()
        row.offset_seconds = round(value.total_seconds())
        session.add(row)
    return now()


def advance(by: timedelta) -> datetime:
    """Move business time forward by `by` from where it is now; the new now."""
    return set_offset(offset() + by)
