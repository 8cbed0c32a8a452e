"""Rating a subscription history into one billing period's lines, sales side and cost side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365portal.domain.billing_periods import period_ending_in, periods_between
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.errors import InvalidSubscriptionHistory
from o365portal.domain.money import MICROSOFT_COST_ROUNDING, SALES_ROUNDING, Money, total
from o365portal.domain.proration import ChargeType, LineKind, seat_change_lines
from o365portal.domain.rating import (
    Cancellation,
    PriceChange,
    Purchase,
    QuantityChange,
    Reactivation,
    Renewal,
    SubscriptionEvent,
    Suspension,
    line_basis,
    rate_history,
    rate_period,
)
from o365portal.domain.terms import ChargeCycle, term_end
from tests.unit.domain.builders import day, eur, monthly_price

FAST = settings(max_examples=150, deadline=None)
VALID_PLANS = [(t, c) for t in Term for c in BillingCycle if c.months <= t.months]


twelve = monthly_price("12.00")


def sales(events: Sequence[SubscriptionEvent], year: int, month: int) -> list[Money]:
    lines = rate_period(
        events, period_ending_in(year, month), price_on=twelve, rounding=SALES_ROUNDING
    )
    return [line.amount for line in lines]


def buy(
    on: str, quantity: int = 10, term: Term = Term.P1Y, cycle: BillingCycle = BillingCycle.MONTHLY
) -> Purchase:
    return Purchase(day(on), quantity, term, cycle, "buy")


def test_the_sales_side_truncates_as_microsoft_does() -> None:
    events: list[SubscriptionEvent] = [
        buy("2021-06-18", 10, Term.P1M),
        QuantityChange(day("2021-06-20"), 12, "add"),
    ]
    assert sales(events, 2021, 6) == [eur("120.00"), eur("-112.00"), eur("134.40")]
    costs = rate_period(
        events, period_ending_in(2021, 6), price_on=monthly_price("10.08"), rounding=SALES_ROUNDING
    )
    assert costs[-1].amount == eur("112.89")  # 12 × 9.408 = 112.896


def test_a_future_dated_purchase_is_charged_only_from_its_start() -> None:
    events: list[SubscriptionEvent] = [buy("2025-03-01")]
    assert sales(events, 2025, 2) == []
    assert sales(events, 2025, 3) == [eur("120.00")]


def test_a_suspended_subscription_keeps_being_charged() -> None:
    events: list[SubscriptionEvent] = [buy("2025-01-10"), Suspension(day("2025-01-20"), "s")]
    assert sales(events, 2025, 2) == [eur("120.00")]
    events.append(Reactivation(day("2025-02-15"), "r"))
    assert sales(events, 2025, 3) == [eur("120.00")]


def test_nothing_is_charged_after_a_cancellation() -> None:
    events: list[SubscriptionEvent] = [buy("2025-01-10"), Cancellation(day("2025-01-10"), "c")]
    assert sales(events, 2025, 1) == [eur("120.00"), eur("-120.00")]
    assert sales(events, 2025, 2) == []


def test_a_cancellation_refunds_only_the_current_cycle_of_an_annual_term() -> None:
    events: list[SubscriptionEvent] = [buy("2025-01-10"), Cancellation(day("2025-02-14"), "c")]
    lines = rate_period(events, period_ending_in(2025, 2), price_on=twelve, rounding=SALES_ROUNDING)
    assert [(line.kind, line.amount) for line in lines] == [
        (LineKind.CYCLE_FEE, eur("120.00")),
        (LineKind.REFUND, eur("-102.80")),  # 12.00 / 28 (February) × 24 days = 10.28, × 10
    ]


def test_a_term_without_renewal_expires_and_is_charged_no_more() -> None:
    events: list[SubscriptionEvent] = [buy("2025-01-10", term=Term.P1M)]
    assert sales(events, 2025, 2) == []


def test_a_renewal_applies_its_scheduled_quantity_and_billing_cycle() -> None:
    events: list[SubscriptionEvent] = [
        buy("2024-01-10"),
        Renewal(day("2025-01-10"), 4, Term.P1Y, BillingCycle.ANNUAL, "renew"),
    ]
    lines = rate_period(events, period_ending_in(2025, 1), price_on=twelve, rounding=SALES_ROUNDING)
    assert [(line.charge_type, line.quantity, line.amount) for line in lines] == [
        (ChargeType.RENEW, 4, eur("576.00"))
    ]
    assert lines[0].end == day("2026-01-09")


def test_a_price_change_applies_from_the_next_charge_cycle() -> None:
    def price_on(on: date, _term: Term, _cycle: BillingCycle) -> Money:
        return eur("12.00") if on < day("2025-02-01") else eur("15.00")

    events: list[SubscriptionEvent] = [
        buy("2025-01-10"),
        PriceChange(day("2025-02-01"), "new price"),
        QuantityChange(day("2025-02-05"), 11, "q"),
    ]
    rate = period_ending_in(2025, 2)
    february = rate_period(events, rate, price_on=price_on, rounding=SALES_ROUNDING)
    # The cycle 01-10..02-09 was charged at 12.00, so its proration stays at 12.00; the cycle
    # starting 02-10 reads the new price.
    assert [line.unit_price for line in february] == [eur("12.00"), eur("12.00"), eur("15.00")]
    march = rate_period(
        events, period_ending_in(2025, 3), price_on=price_on, rounding=SALES_ROUNDING
    )
    assert [(line.quantity, line.amount) for line in march] == [(11, eur("165.00"))]


def test_without_a_price_change_the_term_keeps_its_starting_price() -> None:
    def price_on(on: date, _term: Term, _cycle: BillingCycle) -> Money:
        return eur("12.00") if on < day("2025-02-01") else eur("15.00")

    march = rate_period(
        [buy("2025-01-10")], period_ending_in(2025, 3), price_on=price_on, rounding=SALES_ROUNDING
    )
    assert [line.amount for line in march] == [eur("120.00")]


def _quantity(on: str, quantity: int) -> QuantityChange:
    return QuantityChange(day(on), quantity, f"quantity on {on}")


def _renewal(on: str) -> Renewal:
    return Renewal(day(on), 1, Term.P1M, BillingCycle.MONTHLY, "renewal")


MONTHLY = buy("2025-01-01", term=Term.P1M)
ANNUAL = buy("2025-01-01")
SUSPENDED = Suspension(day("2025-01-02"), "suspension")


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([_quantity("2025-01-01", 2)], "before the purchase"),
        ([ANNUAL, buy("2025-01-02")], "purchased only once"),
        ([buy("2025-01-02"), Cancellation(day("2025-01-01"), "c")], "chronological"),
        (
            [ANNUAL, Cancellation(day("2025-01-02"), "c"), _quantity("2025-01-03", 2)],
            "after the cancel",
        ),
        ([MONTHLY, _quantity("2025-02-01", 2)], "term ended without renewal"),
        ([ANNUAL, SUSPENDED, _quantity("2025-01-03", 2)], "suspended subscription"),
        ([ANNUAL, SUSPENDED, Suspension(day("2025-01-03"), "again")], "already suspended"),
        ([ANNUAL, Reactivation(day("2025-01-02"), "r")], "already active"),
        ([ANNUAL, _quantity("2025-01-02", 10)], "quantity already held"),
        ([ANNUAL, _quantity("2025-01-02", 0)], "at least 1"),
        ([MONTHLY, _renewal("2025-02-02")], "renews on 2025-02-01"),
        ([MONTHLY, SUSPENDED, _renewal("2025-02-01")], "does not renew"),
    ],
)
def test_impossible_histories_are_refused_naming_the_rule(
    events: list[SubscriptionEvent], message: str
) -> None:
    with pytest.raises(InvalidSubscriptionHistory, match=message):
        rate_history(events, until=day("2025-12-31"), price_on=twelve, rounding=SALES_ROUNDING)


def test_events_after_the_rated_date_are_ignored() -> None:
    events: list[SubscriptionEvent] = [
        buy("2025-01-10", term=Term.P1M),
        Cancellation(day("2025-01-12"), "c"),
    ]
    lines = rate_history(events, until=day("2025-01-11"), price_on=twelve, rounding=SALES_ROUNDING)
    assert [line.amount for line in lines] == [eur("120.00")]


def test_a_seat_change_must_change_the_quantity() -> None:
    cycle = ChargeCycle(day("2025-01-01"), day("2025-01-31"), 31)
    with pytest.raises(ValueError, match="different quantity"):
        seat_change_lines(3, 3, eur("1"), cycle, day("2025-01-02"), SALES_ROUNDING, "x")


@FAST
@given(
    start=st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31)),
    plan=st.sampled_from(VALID_PLANS),
    quantity=st.integers(min_value=1, max_value=500),
    cents=st.integers(min_value=1, max_value=100_000),
    cost_side=st.booleans(),
)
def test_an_unchanged_term_costs_quantity_times_price_times_months(
    start: date, plan: tuple[Term, BillingCycle], quantity: int, cents: int, cost_side: bool
) -> None:
    term, cycle = plan
    monthly = Money(Decimal(cents).scaleb(-2), "EUR")
    rounding = MICROSOFT_COST_ROUNDING if cost_side else SALES_ROUNDING
    events: list[SubscriptionEvent] = [Purchase(start, quantity, term, cycle, "buy")]
    periods = periods_between(start, term_end(start, term))
    lines = [
        line
        for period in periods
        for line in rate_period(
            events,
            period,
            price_on=lambda _on, _term, cycle: monthly * cycle.months,
            rounding=rounding,
        )
    ]
    assert total((line.amount for line in lines), "EUR") == monthly * quantity * term.months
    assert len(lines) == term.months // cycle.months


@FAST
@given(
    start=st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31)),
    changes=st.lists(
        st.tuples(st.integers(min_value=0, max_value=364), st.integers(min_value=1, max_value=50)),
        max_size=6,
    ),
    cancel_after=st.one_of(st.none(), st.integers(min_value=0, max_value=364)),
)
def test_every_line_lands_in_exactly_one_period_and_refunds_never_exceed_charges(
    start: date, changes: list[tuple[int, int]], cancel_after: int | None
) -> None:
    events: list[SubscriptionEvent] = [Purchase(start, 5, Term.P1Y, BillingCycle.MONTHLY, "buy")]
    held = 5
    for offset, quantity in sorted(changes):
        if quantity != held and (cancel_after is None or offset < cancel_after):
            events.append(QuantityChange(start + timedelta(days=offset), quantity, f"q{offset}"))
            held = quantity
    if cancel_after is not None:
        cancel_on = max(cancel_after, events[-1].on.toordinal() - start.toordinal())
        events.append(Cancellation(start + timedelta(days=cancel_on), "cancel"))
    end = term_end(start, Term.P1Y)
    whole = rate_history(events, until=end, price_on=twelve, rounding=SALES_ROUNDING)
    by_period = [
        line
        for period in periods_between(start, end)
        for line in rate_period(events, period, price_on=twelve, rounding=SALES_ROUNDING)
    ]
    assert sorted(map(repr, by_period)) == sorted(map(repr, whole))
    assert all(start <= line.start <= line.end <= end for line in whole)
    assert total((line.amount for line in whole), "EUR").amount >= 0


def test_a_prorated_line_never_exceeds_a_full_cycle_of_a_long_month_end_cycle() -> None:
    # Cycle 2021-02-28..03-30 lasts 31 days but is divided by February's 28 days.
    events: list[SubscriptionEvent] = [buy("2021-01-31"), Cancellation(day("2021-02-28"), "cancel")]
    lines = rate_period(events, period_ending_in(2021, 2), price_on=twelve, rounding=SALES_ROUNDING)
    assert [line.amount for line in lines] == [eur("120.00"), eur("-120.00")]
    assert lines[-1].effective_unit_price == -12


def test_a_lines_basis_names_its_term_cycle_price_day_and_billed_days() -> None:
    """A seat change after a mid-cycle price change is priced from the cycle's start."""
    events: list[SubscriptionEvent] = [
        buy("2025-01-10"),
        PriceChange(day("2025-02-01"), "price"),
        PriceChange(day("2025-02-20"), "later"),
        QuantityChange(day("2025-02-25"), 12, "add"),
    ]
    lines = rate_history(events, until=day("2025-03-10"), price_on=twelve, rounding=SALES_ROUNDING)
    cycle_fee, _, refund, charge, next_fee = lines
    fee = line_basis(events, cycle_fee)
    assert (fee.term_start, fee.term_reference, fee.price_read_on) == (
        day("2025-01-10"), "buy", day("2025-01-10"),
    )  # fmt: skip
    assert fee.billing_days == fee.cycle.charge_cycle_days == 31
    added = line_basis(events, charge)
    assert added.cycle == ChargeCycle(day("2025-02-10"), day("2025-03-09"), 28)
    assert (added.price_read_on, added.billing_days) == (day("2025-02-01"), 13)
    assert line_basis(events, refund) == added
    assert line_basis(events, next_fee).price_read_on == day("2025-02-20")
    with pytest.raises(InvalidSubscriptionHistory):
        line_basis(events[1:], charge)
