"""Daily proration to the cent, against the worked examples of Microsoft's billing article."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o365portal.sandbox.billing.recon_proration import Charge, display_price, truncate_cents
from o365portal.sandbox.commerce.nce_terms import billing_days, charge_cycle, charge_cycle_days

PRICE = Decimal("10.08")


def _charge(start: date, anchor: int, event: date, cycle: str = "monthly") -> Charge:
    first, last = charge_cycle(start, cycle, anchor, event)
    return Charge(PRICE, charge_cycle_days(first, last, cycle), billing_days(event, last))


def test_a_monthly_purchase_of_ten_seats_costs_100_80() -> None:
    purchase = date(2021, 6, 18)
    assert _charge(purchase, 18, purchase).amount(10) == Decimal("100.80")


def test_adding_two_seats_on_day_three_refunds_94_08_and_charges_112_89() -> None:
    charge = _charge(date(2021, 6, 18), 18, date(2021, 6, 20))
    assert charge.effective_unit_price == Decimal("9.408")
    assert -charge.amount(10) == Decimal("-94.08")
    assert charge.amount(12) == Decimal("112.89")


def test_removing_four_seats_refunds_112_89_and_charges_75_26() -> None:
    charge = _charge(date(2021, 6, 18), 18, date(2021, 6, 20))
    assert -charge.amount(12) == Decimal("-112.89")
    assert charge.amount(8) == Decimal("75.26")


def test_cancelling_two_days_in_refunds_29_of_31_days_at_a_price_in_cents() -> None:
    # Microsoft's article: effective unit price -9.42 (10.08/31x29 = 9.4296...), amount -94.2.
    charge = replace(
        _charge(date(2021, 7, 15), 15, date(2021, 7, 17)), effective_price_in_cents=True
    )
    assert charge.billed_days == 29
    assert charge.effective_unit_price == Decimal("9.42")
    assert -charge.amount(10) == Decimal("-94.20")


def test_an_annual_upfront_purchase_is_charged_twelve_monthly_prices() -> None:
    purchase = date(2021, 6, 18)
    first, last = charge_cycle(purchase, "annual", 18, purchase)
    charge = Charge(PRICE * 12, charge_cycle_days(first, last, "annual"), 365)
    assert charge.effective_unit_price == Decimal("120.96")
    assert charge.amount(10) == Decimal("1209.60")


def test_the_march_2022_seat_changes_table_is_reproduced_to_the_cent() -> None:
    start, price = date(2022, 3, 5), Decimal("12")
    rows = [  # event day, old quantity, new quantity, refund, charge
        (date(2022, 3, 7), 10, 15, "-112.25", "168.38"),
        (date(2022, 3, 10), 15, 25, "-150.96", "251.61"),
        (date(2022, 3, 12), 25, 23, "-232.25", "213.67"),
        (date(2022, 3, 14), 23, 20, "-195.87", "170.32"),
        (date(2022, 3, 25), 20, 30, "-85.16", "127.74"),
    ]
    for event, old, new, refund, charge_total in rows:
        first, last = charge_cycle(start, "monthly", 5, event)
        charge = Charge(price, charge_cycle_days(first, last, "monthly"), billing_days(event, last))
        assert (-charge.amount(old), charge.amount(new)) == (
            Decimal(refund),
            Decimal(charge_total),
        )


@given(st.decimals(min_value=-10_000, max_value=10_000, places=6))
def test_truncation_never_moves_an_amount_away_from_zero(amount: Decimal) -> None:
    cut = truncate_cents(amount)
    assert abs(cut) <= abs(amount)
    assert abs(amount - cut) < Decimal("0.01")


def test_prices_are_shown_without_exponent_or_trailing_zeros() -> None:
    assert display_price(Decimal("9.40800")) == "9.408"
    assert display_price(Decimal("100")) == "100"
    assert display_price(Decimal("-0.000")) == "0"
