"""Billing periods: the spans the broker's billing reports cover.

A billing period ends on the broker's Microsoft billing cycle day (`cycle_end_day`, 1..31) and
starts the day after the previous period ended; its report is dated the day after it ends. The
product owner's example: a cycle ending on the 15th gives a report dated the 16th covering the
16th of the previous month to the 15th. The default, 31, clamps to every month's last day and so
gives calendar months (NCE's own billing period, partner-center-api.md §10.1).

Short months: a cycle day of 29–31 is clamped to the month's last day (day 30 ends February's
period on the 28th/29th and March's on the 30th, so March's period starts on March 1st). Because
every period starts the day after its predecessor ends, periods tile time with no gap or overlap.

A period is named by the month in which it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from o365portal.domain.terms import add_months, days_in_month

CALENDAR_MONTH = 31


@dataclass(frozen=True)
class BillingPeriod:
    """One billing period: first and last day, both included."""

    start: date
    end: date

    @property
    def report_date(self) -> date:
        """The date of the billing report for this period: the day after it ends."""
        return self.end + timedelta(days=1)

    def contains(self, day: date) -> bool:
        """True when `day` falls in the period."""
        return self.start <= day <= self.end


def _check_cycle_day(cycle_end_day: int) -> None:
    if not 1 <= cycle_end_day <= 31:
        raise ValueError(f"The billing cycle day must be 1..31, not {cycle_end_day}")


def _end_in_month(year: int, month: int, cycle_end_day: int) -> date:
    return date(year, month, min(cycle_end_day, days_in_month(year, month)))


def period_ending_in(year: int, month: int, cycle_end_day: int = CALENDAR_MONTH) -> BillingPeriod:
    """The billing period that ends in the given month."""
    _check_cycle_day(cycle_end_day)
    previous = add_months(date(year, month, 1), -1)
    start = _end_in_month(previous.year, previous.month, cycle_end_day) + timedelta(days=1)
    return BillingPeriod(start, _end_in_month(year, month, cycle_end_day))


def period_containing(day: date, cycle_end_day: int = CALENDAR_MONTH) -> BillingPeriod:
    """The billing period that contains `day`."""
    period = period_ending_in(day.year, day.month, cycle_end_day)
    if period.contains(day):
        return period
    following = add_months(date(day.year, day.month, 1), 1)
    return period_ending_in(following.year, following.month, cycle_end_day)


def last_period(today: date, cycle_end_day: int = CALENDAR_MONTH) -> BillingPeriod:
    """The latest billing period that has fully ended before `today` ("last month")."""
    current = period_containing(today, cycle_end_day)
    return period_containing(current.start - timedelta(days=1), cycle_end_day)


def periods_between(
    start_month: date, end_month: date, cycle_end_day: int = CALENDAR_MONTH
) -> tuple[BillingPeriod, ...]:
    """One period per month from `start_month` to `end_month` (any day of each; inclusive).

    Each period is the one ending in that month, so a custom multi-month range yields one
    report per billing cycle.
    """
    first = date(start_month.year, start_month.month, 1)
    months = (end_month.year - first.year) * 12 + end_month.month - first.month
    if months < 0:
        raise ValueError(f"{end_month} is before {start_month}")
    return tuple(
        period_ending_in(month.year, month.month, cycle_end_day)
        for month in (add_months(first, offset) for offset in range(months + 1))
    )
