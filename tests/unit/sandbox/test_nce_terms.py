"""Term ends and charge cycles against the month-end tables of Microsoft's billing article."""

from __future__ import annotations

from datetime import date

import pytest

from o365portal.sandbox.commerce.nce_terms import (
    billing_days,
    charge_cycle,
    charge_cycle_days,
    cycle_starts,
    term_anchor_day,
    term_end,
)


def test_an_annual_term_ends_the_day_before_the_purchase_anniversary() -> None:
    assert term_end(date(2021, 1, 14), "P1Y", 14) == date(2022, 1, 13)


def test_a_three_year_term_ends_the_day_before_its_third_anniversary() -> None:
    assert term_end(date(2021, 5, 25), "P3Y", 25) == date(2024, 5, 24)


@pytest.mark.parametrize(
    ("bought", "ends"),
    [
        # "bought on the last day of a month" table
        (date(2021, 1, 31), date(2021, 2, 27)),
        (date(2021, 2, 28), date(2021, 3, 27)),
        (date(2021, 5, 31), date(2021, 6, 29)),
        (date(2021, 6, 30), date(2021, 7, 29)),
        (date(2021, 7, 31), date(2021, 8, 30)),
        # "bought on the day before the last day" table
        (date(2021, 1, 30), date(2021, 2, 27)),
        (date(2021, 2, 27), date(2021, 3, 26)),
        (date(2021, 5, 30), date(2021, 6, 29)),
        (date(2021, 6, 29), date(2021, 7, 28)),
        (date(2021, 7, 30), date(2021, 8, 29)),
        # leap February
        (date(2024, 1, 31), date(2024, 2, 28)),
    ],
)
def test_a_monthly_term_bought_at_month_end_ends_as_microsofts_tables_show(
    bought: date, ends: date
) -> None:
    assert term_end(bought, "P1M", bought.day) == ends


def test_annual_monthly_charge_cycles_bought_on_the_31st_follow_the_table() -> None:
    start = date(2021, 1, 31)
    expected = [
        (date(2021, 1, 31), date(2021, 2, 27)),
        (date(2021, 2, 28), date(2021, 3, 30)),
        (date(2021, 3, 31), date(2021, 4, 29)),
        (date(2021, 4, 30), date(2021, 5, 30)),
        (date(2021, 5, 31), date(2021, 6, 29)),
        (date(2021, 6, 30), date(2021, 7, 30)),
        (date(2021, 11, 30), date(2021, 12, 30)),
        (date(2021, 12, 31), date(2022, 1, 30)),
    ]
    for first, last in expected:
        assert charge_cycle(start, "monthly", 31, first) == (first, last)
        assert charge_cycle(start, "monthly", 31, last) == (first, last)
    assert term_end(start, "P1Y", 31) == date(2022, 1, 30)


def test_an_annual_term_has_twelve_monthly_cycles_and_one_annual_cycle() -> None:
    start = date(2021, 1, 31)
    end = term_end(start, "P1Y", 31)
    assert len(cycle_starts(start, end, "monthly", 31)) == 12
    assert cycle_starts(start, end, "annual", 31) == [start]


def test_charge_cycle_days_count_the_start_month_or_the_year() -> None:
    assert charge_cycle_days(date(2022, 2, 21), date(2022, 3, 20), "monthly") == 28
    assert charge_cycle_days(date(2022, 3, 21), date(2022, 4, 20), "Monthly") == 31
    assert charge_cycle_days(date(2023, 3, 1), date(2024, 2, 29), "annual") == 366
    assert charge_cycle_days(date(2021, 6, 18), date(2022, 6, 17), "annual") == 365


def test_billing_days_include_the_event_day_and_the_cycle_end() -> None:
    assert billing_days(date(2021, 6, 20), date(2021, 7, 17)) == 28
    assert billing_days(date(2021, 7, 17), date(2021, 8, 14)) == 29


def test_annual_monthly_charge_cycles_bought_the_day_before_month_end_follow_the_table() -> None:
    start = date(2021, 1, 30)
    anchor = term_anchor_day(start, "P1Y", "monthly", 30)
    expected = [  # Microsoft's "day before the last day" annual table
        (date(2021, 1, 30), date(2021, 2, 26)),
        (date(2021, 2, 27), date(2021, 3, 29)),
        (date(2021, 3, 30), date(2021, 4, 28)),
        (date(2021, 4, 29), date(2021, 5, 29)),
        (date(2021, 5, 30), date(2021, 6, 28)),
        (date(2021, 6, 29), date(2021, 7, 29)),
        (date(2021, 9, 29), date(2021, 10, 29)),
        (date(2021, 12, 30), date(2022, 1, 29)),
    ]
    for first, last in expected:
        assert charge_cycle(start, "monthly", anchor, first) == (first, last)
        assert charge_cycle(start, "monthly", anchor, last) == (first, last)
    assert term_end(start, "P1Y", anchor) == date(2022, 1, 29)
    assert len(cycle_starts(start, term_end(start, "P1Y", anchor), "monthly", anchor)) == 12


def test_a_monthly_term_keeps_the_purchase_day_as_its_anchor() -> None:
    assert term_anchor_day(date(2021, 1, 30), "P1M", "monthly", 30) == 30
    assert term_anchor_day(date(2021, 1, 30), "P1Y", "annual", 30) == 30
    assert term_anchor_day(date(2021, 1, 29), "P1Y", "monthly", 29) == 29
