"""Term ends, renewal dates and charge cycles, checked against Microsoft's published tables."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.terms import (
    ChargeCycle,
    add_months,
    charge_cycle_on,
    charge_cycles,
    renewal_date,
    term_end,
)
from tests.unit.domain.builders import day

FAST = settings(max_examples=200, deadline=None)
VALID_PLANS = [
    (term, cycle) for term in Term for cycle in BillingCycle if cycle.months <= term.months
]


def test_add_months_clamps_to_the_last_day_of_a_short_month() -> None:
    assert add_months(day("2021-01-31"), 1) == day("2021-02-28")
    assert add_months(day("2024-01-31"), 1) == day("2024-02-29")
    assert add_months(day("2021-03-31"), -1) == day("2021-02-28")
    assert add_months(day("2021-12-15"), 1) == day("2022-01-15")


# D23:common-billing-scenarios-onetime-recurring.md, "Monthly term subscription expiration dates".
@pytest.mark.parametrize(
    ("bought", "ends", "renews"),
    [
        ("2021-01-31", "2021-02-27", "2021-02-28"),
        ("2021-02-28", "2021-03-27", "2021-03-28"),
        ("2021-05-31", "2021-06-29", "2021-06-30"),
        ("2021-06-30", "2021-07-29", "2021-07-30"),
        ("2021-07-31", "2021-08-30", "2021-08-31"),
        ("2021-01-30", "2021-02-27", "2021-02-28"),
        ("2021-02-27", "2021-03-26", "2021-03-27"),
        ("2021-05-30", "2021-06-29", "2021-06-30"),
        ("2021-06-29", "2021-07-28", "2021-07-29"),
        ("2021-07-30", "2021-08-29", "2021-08-30"),
        ("2021-04-14", "2021-05-13", "2021-05-14"),
    ],
)
def test_monthly_terms_end_as_in_microsofts_month_end_table(
    bought: str, ends: str, renews: str
) -> None:
    assert term_end(day(bought), Term.P1M) == day(ends)
    assert renewal_date(day(bought), Term.P1M) == day(renews)


@pytest.mark.parametrize(
    ("bought", "term", "ends"),
    [
        ("2021-01-31", Term.P1Y, "2022-01-30"),
        ("2021-01-30", Term.P1Y, "2022-01-29"),
        ("2021-04-15", Term.P1Y, "2022-04-14"),
        ("2021-05-25", Term.P3Y, "2024-05-24"),
        ("2024-02-29", Term.P1Y, "2025-02-27"),
    ],
)
def test_annual_and_triennial_terms_end_the_day_before_the_anniversary(
    bought: str, term: Term, ends: str
) -> None:
    assert term_end(day(bought), term) == day(ends)


def test_charge_cycles_follow_the_purchase_day_of_month() -> None:
    cycles = charge_cycles(day("2022-02-21"), Term.P1Y, BillingCycle.MONTHLY)
    assert cycles[:2] == (
        ChargeCycle(day("2022-02-21"), day("2022-03-20"), 28),
        ChargeCycle(day("2022-03-21"), day("2022-04-20"), 31),
    )


def test_month_end_annual_term_cycles_match_microsofts_table() -> None:
    cycles = charge_cycles(day("2021-01-31"), Term.P1Y, BillingCycle.MONTHLY)
    expected_ends = [
        "2021-02-27", "2021-03-30", "2021-04-29", "2021-05-30", "2021-06-29", "2021-07-30",
        "2021-08-30", "2021-09-29", "2021-10-30", "2021-11-29", "2021-12-30", "2022-01-30",
    ]  # fmt: skip
    assert [c.end for c in cycles] == [day(text) for text in expected_ends]
    assert [c.start.day for c in cycles[1:4]] == [28, 31, 30]


def test_day_before_month_end_annual_term_cycles_match_microsofts_table() -> None:
    cycles = charge_cycles(day("2021-01-30"), Term.P1Y, BillingCycle.MONTHLY)
    expected_starts = [
        "2021-01-30", "2021-02-27", "2021-03-30", "2021-04-29", "2021-05-30", "2021-06-29",
        "2021-07-30", "2021-08-30", "2021-09-29", "2021-10-30", "2021-11-29", "2021-12-30",
    ]  # fmt: skip
    assert [c.start for c in cycles] == [day(text) for text in expected_starts]
    assert cycles[0].end == day("2021-02-26")
    assert cycles[-1].end == day("2022-01-29")


def test_charge_cycle_days_are_the_days_of_the_starting_month_or_the_cycle_length() -> None:
    monthly = charge_cycles(day("2021-01-31"), Term.P1Y, BillingCycle.MONTHLY)
    assert [c.charge_cycle_days for c in monthly[:3]] == [31, 28, 31]
    assert monthly[0].days == 28
    assert (
        charge_cycles(day("2021-06-18"), Term.P1Y, BillingCycle.ANNUAL)[0].charge_cycle_days == 365
    )
    assert (
        charge_cycles(day("2023-06-18"), Term.P1Y, BillingCycle.ANNUAL)[0].charge_cycle_days == 366
    )
    triennial = charge_cycles(day("2021-06-18"), Term.P3Y, BillingCycle.TRIENNIAL)
    assert [c.charge_cycle_days for c in triennial] == [1096]


def test_annual_billing_of_a_triennial_term_has_three_yearly_cycles() -> None:
    cycles = charge_cycles(day("2021-05-25"), Term.P3Y, BillingCycle.ANNUAL)
    assert [(c.start, c.end) for c in cycles] == [
        (day("2021-05-25"), day("2022-05-24")),
        (day("2022-05-25"), day("2023-05-24")),
        (day("2023-05-25"), day("2024-05-24")),
    ]


def test_billing_days_count_both_ends_and_only_inside_the_cycle() -> None:
    cycle = ChargeCycle(day("2021-06-18"), day("2021-07-17"), 30)
    assert cycle.billing_days_from(day("2021-06-20")) == 28
    assert cycle.billing_days_from(day("2021-07-17")) == 1
    with pytest.raises(ValueError, match="outside the charge cycle"):
        cycle.billing_days_from(day("2021-07-18"))


def test_the_cycle_containing_a_day_is_found_or_refused_outside_the_term() -> None:
    found = charge_cycle_on(day("2022-02-21"), Term.P1Y, BillingCycle.MONTHLY, day("2022-04-01"))
    assert found.start == day("2022-03-21")
    with pytest.raises(ValueError, match="outside the term"):
        charge_cycle_on(day("2022-02-21"), Term.P1Y, BillingCycle.MONTHLY, day("2023-02-21"))


@FAST
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    plan=st.sampled_from(VALID_PLANS),
)
def test_consecutive_cycles_are_contiguous_and_cover_the_term_exactly(
    start: date, plan: tuple[Term, BillingCycle]
) -> None:
    term, billing_cycle = plan
    cycles = charge_cycles(start, term, billing_cycle)
    assert len(cycles) == term.months // billing_cycle.months
    assert cycles[0].start == start
    assert cycles[-1].end == term_end(start, term)
    for earlier, later in pairwise(cycles):
        assert later.start == earlier.end + timedelta(days=1)
    assert all(c.start <= c.end for c in cycles)
    assert renewal_date(start, term) == cycles[-1].end + timedelta(days=1)
