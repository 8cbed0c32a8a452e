""" "Last month": the month the broker's latest fully ended billing period ends in (the page's
default range)."""

from __future__ import annotations

from o365portal.db.engine import session_scope
from o365portal.domain.billing_periods import last_period
from o365portal.services import clock
from o365portal.services.billing._load import cycle_day


def last_month() -> str:
    """`YYYY-MM` of the latest billing period that ended before today (the broker's cycle)."""
    with session_scope() as session:
        day = cycle_day(session)
    return last_period(clock.today(), day).end.strftime("%Y-%m")
