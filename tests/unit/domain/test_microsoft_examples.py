"""Microsoft's worked billing examples, reproduced to the cent on the cost side.

Source: partner-center-api.md §10.4, D23:common-billing-scenarios-onetime-recurring.md. Microsoft's
lines are rated with `MICROSOFT_COST_ROUNDING` (exact amount truncated to 2 decimals per line).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from o365portal.domain.billing_periods import period_ending_in
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.money import MICROSOFT_COST_ROUNDING, RoundingPolicy
from o365portal.domain.proration import BillingLine, ChargeType, LineKind
from o365portal.domain.rating import (
    Cancellation,
    Purchase,
    QuantityChange,
    Renewal,
    SubscriptionEvent,
    rate_period,
)
from tests.unit.domain.builders import day, eur, monthly_price

# Microsoft's examples use 10.08 per seat per month; the annual upfront price is 12 × that.
ten_oh_eight = monthly_price("10.08")


def microsoft_lines(
    events: Sequence[SubscriptionEvent],
    year: int,
    month: int,
    rounding: RoundingPolicy = MICROSOFT_COST_ROUNDING,
) -> tuple[BillingLine, ...]:
    return rate_period(
        events, period_ending_in(year, month), price_on=ten_oh_eight, rounding=rounding
    )


def summary(lines: tuple[BillingLine, ...]) -> list[tuple[str, int, Decimal, Decimal]]:
    return [
        (line.charge_type.value, line.quantity, line.effective_unit_price, line.amount.amount)
        for line in lines
    ]


JUNE_PURCHASE = Purchase(day("2021-06-18"), 10, Term.P1M, BillingCycle.MONTHLY, "buy")


def test_microsoft_example_purchase_of_ten_seats_in_a_thirty_day_cycle() -> None:
    (line,) = microsoft_lines([JUNE_PURCHASE], 2021, 6)
    assert summary((line,)) == [("new", 10, Decimal("10.08"), Decimal("100.80"))]
    assert (line.start, line.end) == (day("2021-06-18"), day("2021-07-17"))
    assert line.kind is LineKind.CYCLE_FEE and line.reference == "buy"


def test_microsoft_example_add_two_seats_mid_cycle() -> None:
    events: list[SubscriptionEvent] = [
        JUNE_PURCHASE,
        QuantityChange(day("2021-06-20"), 12, "add-2"),
    ]
    _, refund, charge = microsoft_lines(events, 2021, 6)
    assert summary((refund, charge)) == [
        ("addQuantity", 10, Decimal("-9.408"), Decimal("-94.08")),
        ("addQuantity", 12, Decimal("9.408"), Decimal("112.89")),
    ]
    assert (refund.kind, charge.kind) == (LineKind.REFUND, LineKind.PRORATED_CHARGE)
    assert refund.reference == charge.reference == "add-2"
    assert {(line.start, line.end) for line in (refund, charge)} == {
        (day("2021-06-20"), day("2021-07-17"))
    }


def test_microsoft_example_remove_four_seats_mid_cycle() -> None:
    events: list[SubscriptionEvent] = [
        JUNE_PURCHASE,
        QuantityChange(day("2021-06-20"), 12, "add-2"),
        QuantityChange(day("2021-06-20"), 8, "remove-4"),
    ]
    lines = microsoft_lines(events, 2021, 6)
    assert summary(lines[-2:]) == [
        ("removeQuantity", 12, Decimal("-9.408"), Decimal("-112.89")),
        ("removeQuantity", 8, Decimal("9.408"), Decimal("75.26")),
    ]


def test_microsoft_example_cancellation_within_seven_days_refunds_from_a_price_in_cents() -> None:
    """Published: −94.2 with effective unit price −9.42 (10.08 / 31 × 29 = 9.4296… in cents).

    Microsoft's cancellation line shows its effective price in cents, its seat-change lines keep
    it unrounded (9.408); the cost policy follows both, see docs/domain.md.
    """
    events: list[SubscriptionEvent] = [
        Purchase(day("2021-07-15"), 10, Term.P1M, BillingCycle.MONTHLY, "buy"),
        Cancellation(day("2021-07-17"), "cancel"),
    ]
    new, refund = microsoft_lines(events, 2021, 7)
    assert summary((new,)) == [("new", 10, Decimal("10.08"), Decimal("100.80"))]
    assert refund.charge_type is ChargeType.CANCEL_IMMEDIATE
    assert (refund.start, refund.end) == (day("2021-07-17"), day("2021-08-14"))
    assert refund.amount == eur("-94.20")
    assert refund.effective_unit_price == Decimal("-9.42")


def test_the_recon_file_formula_for_every_line_would_break_the_seat_change_figures() -> None:
    """Truncating every effective unit price first would bill 112.80, not the published 112.89."""
    per_unit = RoundingPolicy("recon formula", ROUND_DOWN, places=2, unit_price_places=2)
    add_two: list[SubscriptionEvent] = [
        JUNE_PURCHASE,
        QuantityChange(day("2021-06-20"), 12, "add-2"),
    ]
    assert microsoft_lines(add_two, 2021, 6, per_unit)[-1].amount == eur("112.80")
    assert microsoft_lines(add_two, 2021, 6)[-1].amount == eur("112.89")


def test_microsoft_example_annual_upfront_is_twelve_months_in_one_line() -> None:
    events: list[SubscriptionEvent] = [
        Purchase(day("2021-06-18"), 10, Term.P1Y, BillingCycle.ANNUAL, "buy")
    ]
    (line,) = microsoft_lines(events, 2021, 6)
    assert summary((line,)) == [("new", 10, Decimal("120.96"), Decimal("1209.60"))]
    assert (line.start, line.end) == (day("2021-06-18"), day("2022-06-17"))
    assert microsoft_lines(events, 2021, 7) == ()


def test_microsoft_example_annual_term_billed_monthly_charges_a_cycle_fee_each_month() -> None:
    events: list[SubscriptionEvent] = [
        Purchase(day("2021-06-18"), 10, Term.P1Y, BillingCycle.MONTHLY, "buy")
    ]
    (line,) = microsoft_lines(events, 2021, 7)
    assert summary((line,)) == [("cycleCharge", 10, Decimal("10.08"), Decimal("100.80"))]
    assert (line.start, line.end) == (day("2021-07-18"), day("2021-08-17"))


def test_microsoft_example_monthly_renewal_charges_the_next_term() -> None:
    events: list[SubscriptionEvent] = [
        JUNE_PURCHASE,
        Renewal(day("2021-07-18"), 10, Term.P1M, BillingCycle.MONTHLY, "renew"),
    ]
    (line,) = microsoft_lines(events, 2021, 7)
    assert summary((line,)) == [("renew", 10, Decimal("10.08"), Decimal("100.80"))]
    assert (line.start, line.end) == (day("2021-07-18"), day("2021-08-17"))


def test_microsoft_example_march_seat_changes_table() -> None:
    """Five seat changes at 12.00 in a 31-day March cycle; every total matches the table."""
    twelve: list[SubscriptionEvent] = [
        Purchase(day("2022-03-05"), 10, Term.P1M, BillingCycle.MONTHLY, "buy"),
        QuantityChange(day("2022-03-07"), 15, "a"),
        QuantityChange(day("2022-03-10"), 25, "b"),
        QuantityChange(day("2022-03-12"), 23, "c"),
        QuantityChange(day("2022-03-14"), 20, "d"),
        QuantityChange(day("2022-03-25"), 30, "e"),
    ]
    lines = rate_period(
        twelve,
        period_ending_in(2022, 3),
        price_on=monthly_price("12"),
        rounding=MICROSOFT_COST_ROUNDING,
    )
    published = ["120", "-112.25", "168.38", "-150.96", "251.61", "-232.25", "213.67"]
    published += ["-195.87", "170.32", "-85.16", "127.74"]
    assert [line.amount for line in lines] == [eur(amount) for amount in published]
    assert [line.quantity for line in lines] == [10, 10, 15, 15, 25, 25, 23, 23, 20, 20, 30]
    assert all(line.end == day("2022-04-04") for line in lines)
