"""NCE term and charge-cycle calendar arithmetic, as Microsoft bills it (pure, no clock).

Rule (D23:common-billing-scenarios-onetime-recurring.md, reference §10.1): a term or charge cycle
that starts on day D of a month ends the day before the same day D of the month N months later;
when that month is shorter, day D is clamped to its last day. The anchor day D is the day of the
original purchase and stays for every later cycle and renewal (bought 2021-01-31: cycles
01-31..02-27, 02-28..03-30, 03-31..04-29; a monthly term bought 01-31 ends 02-27 and renews 02-28).
One exception, from the same article's table: the monthly charge cycles of a longer term that
starts on the day before its month's last day start on the day before each month's last day
(bought 2021-01-30: 01-30..02-26, 02-27..03-29, 03-30..04-28, 04-29..05-29, ...). That anchor is
written `DAY_BEFORE_MONTH_END` (-2, counted from the month's end).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

TERM_MONTHS = {"P1M": 1, "P1Y": 12, "P3Y": 36}
CYCLE_MONTHS = {"monthly": 1, "annual": 12, "triennial": 36}
DAY_BEFORE_MONTH_END = -2


def days_in_month(year: int, month: int) -> int:
    """Number of days of one calendar month."""
    return calendar.monthrange(year, month)[1]


def anchored_date(start: date, months: int, anchor_day: int) -> date:
    """The date `months` calendar months after `start`, on the anchor day clamped to month end
    (a negative anchor counts from the month's end: -2 is the day before the last day)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = days_in_month(year, month + 1)
    return date(year, month + 1, last + 1 + anchor_day if anchor_day < 0 else min(anchor_day, last))


def term_anchor_day(
    term_start: date, term_duration: str, billing_cycle: str, purchase_day: int
) -> int:
    """The anchor of a term's dates: the purchase day, or `DAY_BEFORE_MONTH_END` for the monthly
    cycles of a longer term starting on the day before its month's last day."""
    longer_than_a_cycle = TERM_MONTHS[term_duration] > CYCLE_MONTHS[billing_cycle.lower()]
    penultimate = term_start.day == days_in_month(term_start.year, term_start.month) - 1
    return DAY_BEFORE_MONTH_END if longer_than_a_cycle and penultimate else purchase_day


def term_end(term_start: date, term_duration: str, anchor_day: int) -> date:
    """Inclusive last day of a term (`commitmentEndDate`): the day before its anniversary."""
    return anchored_date(term_start, TERM_MONTHS[term_duration], anchor_day) - timedelta(days=1)


def charge_cycle(
    term_start: date, billing_cycle: str, anchor_day: int, on: date
) -> tuple[date, date]:
    """The (first, last) day of the charge cycle of a term that contains the day `on`."""
    months = CYCLE_MONTHS[billing_cycle.lower()]
    start, index = term_start, 0
    while True:
        following = anchored_date(term_start, months * (index + 1), anchor_day)
        if on < following:
            return start, following - timedelta(days=1)
        start, index = following, index + 1


def charge_cycle_days(cycle_start: date, cycle_end: date, billing_cycle: str) -> int:
    """Microsoft's `chargeCycleDays`: days of the month the cycle started in, else the cycle's days.

    Monthly cycles count the calendar days of their start month (28/29/30/31); annual and
    triennial cycles count their own length (365/366 for a year).
    """
    if billing_cycle.lower() == "monthly":
        return days_in_month(cycle_start.year, cycle_start.month)
    return (cycle_end - cycle_start).days + 1


def billing_days(event_day: date, cycle_end: date) -> int:
    """Days from the event day to the end of its charge cycle, both inclusive."""
    return (cycle_end - event_day).days + 1


def cycle_starts(
    term_start: date, term_end_day: date, billing_cycle: str, anchor_day: int
) -> list[date]:
    """First days of every charge cycle of one term, in order."""
    months = CYCLE_MONTHS[billing_cycle.lower()]
    starts, index = [term_start], 1
    while (following := anchored_date(term_start, months * index, anchor_day)) <= term_end_day:
        starts.append(following)
        index += 1
    return starts
