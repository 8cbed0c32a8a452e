"""Billing periods anchored on the broker's Microsoft billing cycle day."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365portal.domain.billing_periods import (
    BillingPeriod,
    last_period,
    period_containing,
    period_ending_in,
    periods_between,
)
from tests.unit.domain.builders import day

FAST = settings(max_examples=200, deadline=None)


def test_the_default_period_is_the_calendar_month() -> None:
    assert period_containing(day("2025-02-14")) == BillingPeriod(
        day("2025-02-01"), day("2025-02-28")
    )
    assert period_ending_in(2024, 2).end == day("2024-02-29")


def test_a_cycle_ending_on_the_15th_gives_a_report_dated_the_16th() -> None:
    period = period_ending_in(2025, 3, cycle_end_day=15)
    assert period == BillingPeriod(day("2025-02-16"), day("2025-03-15"))
    assert period.report_date == day("2025-03-16")


def test_a_day_after_the_cycle_day_belongs_to_next_months_period() -> None:
    assert period_containing(day("2025-03-16"), 15) == BillingPeriod(
        day("2025-03-16"), day("2025-04-15")
    )
    assert period_containing(day("2025-12-20"), 15).end == day("2026-01-15")
    assert period_containing(day("2025-03-15"), 15).end == day("2025-03-15")


def test_cycle_days_29_to_31_clamp_to_the_end_of_short_months() -> None:
    assert period_ending_in(2025, 2, 30) == BillingPeriod(day("2025-01-31"), day("2025-02-28"))
    assert period_ending_in(2025, 3, 30) == BillingPeriod(day("2025-03-01"), day("2025-03-30"))
    assert period_ending_in(2024, 3, 29) == BillingPeriod(day("2024-03-01"), day("2024-03-29"))


def test_last_month_is_the_latest_period_that_has_ended() -> None:
    assert last_period(day("2025-03-16"), 15) == BillingPeriod(day("2025-02-16"), day("2025-03-15"))
    assert last_period(day("2025-03-15"), 15) == BillingPeriod(day("2025-01-16"), day("2025-02-15"))
    assert last_period(day("2025-01-01")) == BillingPeriod(day("2024-12-01"), day("2024-12-31"))


def test_a_custom_range_yields_one_period_per_cycle() -> None:
    periods = periods_between(day("2024-11-20"), day("2025-02-03"), 15)
    assert [(p.start, p.end) for p in periods] == [
        (day("2024-10-16"), day("2024-11-15")),
        (day("2024-11-16"), day("2024-12-15")),
        (day("2024-12-16"), day("2025-01-15")),
        (day("2025-01-16"), day("2025-02-15")),
    ]
    assert len(periods_between(day("2025-05-01"), day("2025-05-31"))) == 1


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        periods_between(day("2025-05-01"), day("2025-04-30"))


@pytest.mark.parametrize("cycle_day", [0, 32])
def test_a_cycle_day_outside_1_to_31_is_refused(cycle_day: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.31"):
        period_ending_in(2025, 1, cycle_day)


@FAST
@given(
    cycle_day=st.integers(min_value=1, max_value=31),
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    months=st.integers(min_value=1, max_value=40),
)
def test_periods_tile_time_without_gap_or_overlap(cycle_day: int, first: date, months: int) -> None:
    last = first + timedelta(days=31 * months)
    periods = periods_between(first, last, cycle_day)
    for earlier, later in pairwise(periods):
        assert later.start == earlier.end + timedelta(days=1)
    assert all(p.start <= p.end for p in periods)


@FAST
@given(
    cycle_day=st.integers(min_value=1, max_value=31),
    some_day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
)
def test_every_day_lies_in_exactly_the_period_that_contains_it(
    cycle_day: int, some_day: date
) -> None:
    period = period_containing(some_day, cycle_day)
    assert period.contains(some_day)
    assert period_containing(period.start, cycle_day) == period
    assert period_containing(period.end, cycle_day) == period
    assert last_period(period.report_date, cycle_day) == period
