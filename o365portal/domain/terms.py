"""Term and charge-cycle calendar, exactly as Microsoft computes it (partner-center-api.md §10.1).

A term ends the day before its anniversary; the anniversary is the same day of the month
`term.months` later, clamped to that month's last day (bought 2021-01-31 monthly -> anniversary
2021-02-28 -> term end 2021-02-27, renewal 2021-02-28; annual -> term end 2022-01-30).
Anniversaries are always counted from the term start, never from the previous one.

Charge cycles tile the term. Each starts on an anniversary of the term start (every 1, 12 or 36
months for monthly, annual, triennial billing) and ends the day before the next. Microsoft's
month-end table (D23:common-billing-scenarios-onetime-recurring.md) adds one special case for
monthly cycles inside a longer term: a term started on the day before a month's last day keeps
its cycles on the day before each month's last day (2021-01-30 -> 02-27 -> 03-30 -> 04-29 ...).

Charge-cycle days, the divisor of daily proration (§10.4): for a monthly cycle, the number of
days of the month in which the cycle started; for an annual or triennial cycle, its length in
days (365/366 for a year).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from o365portal.domain.catalog import BillingCycle, Term

_DAY = timedelta(days=1)


def days_in_month(year: int, month: int) -> int:
    """Number of days in the month."""
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, days_in_month(year, month + 1)))


def term_end(start: date, term: Term) -> date:
    """Last day of a term started on `start`: the day before its anniversary."""
    return add_months(start, term.months) - _DAY


def renewal_date(start: date, term: Term) -> date:
    """The day a term started on `start` renews: the day after its term end."""
    return term_end(start, term) + _DAY


@dataclass(frozen=True)
class ChargeCycle:
    """One charge cycle: first and last day (inclusive) and its proration divisor."""

    start: date
    end: date
    charge_cycle_days: int

    @property
    def days(self) -> int:
        """Number of days in the cycle, both ends included."""
        return (self.end - self.start).days + 1

    def billing_days_from(self, day: date) -> int:
        """Days from `day` to the cycle end, both included (the billing days of §10.4)."""
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the charge cycle {self.start}..{self.end}")
        return (self.end - day).days + 1


def _cycle_start(term_start: date, months: int, billing_cycle: BillingCycle) -> date:
    last_day = days_in_month(term_start.year, term_start.month)
    if billing_cycle is BillingCycle.MONTHLY and term_start.day == last_day - 1:
        anniversary = add_months(term_start.replace(day=1), months)
        return anniversary.replace(day=days_in_month(anniversary.year, anniversary.month) - 1)
    return add_months(term_start, months)


@lru_cache(maxsize=8192)  # pure and asked for every cycle of every subscription rated
def charge_cycles(
    term_start: date, term: Term, billing_cycle: BillingCycle
) -> tuple[ChargeCycle, ...]:
    """All charge cycles of a term started on `term_start`, contiguous, covering it exactly."""
    count = term.months // billing_cycle.months
    starts = [
        _cycle_start(term_start, k * billing_cycle.months, billing_cycle) for k in range(count)
    ]
    ends = [next_start - _DAY for next_start in starts[1:]] + [term_end(term_start, term)]
    return tuple(
        ChargeCycle(start, end, _charge_cycle_days(start, end, billing_cycle))
        for start, end in zip(starts, ends, strict=True)
    )


def _charge_cycle_days(start: date, end: date, billing_cycle: BillingCycle) -> int:
    if billing_cycle is BillingCycle.MONTHLY:
        return days_in_month(start.year, start.month)
    return (end - start).days + 1


def charge_cycle_on(
    term_start: date, term: Term, billing_cycle: BillingCycle, day: date
) -> ChargeCycle:
    """The charge cycle of the term started on `term_start` that contains `day`."""
    for cycle in charge_cycles(term_start, term, billing_cycle):
        if cycle.start <= day <= cycle.end:
            return cycle
    raise ValueError(f"{day} is outside the term that started on {term_start}")
