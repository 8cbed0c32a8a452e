"""Money: one currency per amount, no floats, the two rounding policies, loss-free allocation."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365portal.domain.errors import CurrencyMismatch
from o365portal.domain.money import (
    MICROSOFT_COST_ROUNDING,
    SALES_ROUNDING,
    Money,
    RoundingPolicy,
    allocate,
    minor_unit,
    total,
)

FAST = settings(max_examples=150, deadline=None)


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def test_money_refuses_a_float_amount() -> None:
    with pytest.raises(TypeError, match="float"):
        Money(10.08, "EUR")  # type: ignore[arg-type]


def test_money_refuses_a_bool_amount() -> None:
    with pytest.raises(TypeError):
        Money(True, "EUR")  # type: ignore[arg-type]


def test_money_accepts_an_int_and_normalises_currency_case() -> None:
    money = Money(10, "eur")  # type: ignore[arg-type]
    assert money == Money(Decimal(10), "EUR")
    assert str(money) == "10 EUR"


@pytest.mark.parametrize("currency", ["EU", "EURO", "E1R", 978])
def test_money_refuses_a_currency_that_is_not_three_letters(currency: object) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal(1), currency)  # type: ignore[arg-type]


def test_multiplying_by_a_float_quantity_is_refused() -> None:
    with pytest.raises(TypeError):
        eur("1.00") * 1.5  # type: ignore[operator]


def test_arithmetic_in_one_currency() -> None:
    assert eur("10.08") + eur("0.92") == eur("11.00")
    assert eur("10.08") - eur("0.08") == eur("10.00")
    assert -eur("1.50") == eur("-1.50")
    assert eur("10.08") * 3 == eur("30.24")
    assert 2 * eur("1.25") == eur("2.50")
    assert eur("1.00") * Decimal("0.5") == eur("0.500")
    assert eur("1.00") < eur("2.00") <= eur("2.00")
    assert eur("0.00").is_zero() and not eur("0.01").is_zero()


@pytest.mark.parametrize(
    "combine",
    [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a < b],
    ids=["add", "subtract", "compare"],
)
def test_combining_two_currencies_raises_currency_mismatch(combine: object) -> None:
    with pytest.raises(CurrencyMismatch, match="EUR with USD"):
        combine(eur("1"), Money(Decimal(1), "USD"))  # type: ignore[operator]


def test_money_does_not_combine_with_a_plain_number() -> None:
    with pytest.raises(TypeError):
        eur("1") + Decimal(1)  # type: ignore[operator]


def test_total_sums_amounts_and_is_zero_for_none() -> None:
    assert total([eur("1.10"), eur("2.20")], "EUR") == eur("3.30")
    assert total([], "USD") == Money.zero("USD")


def test_minor_units_follow_iso_4217() -> None:
    assert (minor_unit("EUR"), minor_unit("jpy"), minor_unit("KWD")) == (2, 0, 3)


def test_sales_are_prorated_as_microsoft_prorates_truncated_to_the_minor_unit() -> None:
    assert SALES_ROUNDING.line_amount(eur("10.08"), 12, 28, 30) == eur("112.89")
    assert SALES_ROUNDING.round(eur("-0.019")) == eur("-0.01")  # toward zero on refunds too
    assert SALES_ROUNDING.round(Money(Decimal("100.9"), "JPY")) == Money(Decimal(100), "JPY")
    cancellation = SALES_ROUNDING.for_cancellation()
    assert cancellation.line_amount(eur("10.08"), 10, 29, 31) == eur("94.20")  # Microsoft's −94.2


def test_microsoft_cost_rounding_truncates_toward_zero_to_two_decimals() -> None:
    assert MICROSOFT_COST_ROUNDING.line_amount(eur("10.08"), 12, 28, 30) == eur("112.89")
    assert MICROSOFT_COST_ROUNDING.round(eur("-112.896")) == eur("-112.89")


def test_a_repeating_daily_price_still_sums_to_the_exact_cent() -> None:
    # 1.00 / 3 × 3 days is exactly 1.00; computing it in one division keeps the cent.
    assert MICROSOFT_COST_ROUNDING.line_amount(eur("1.00"), 1, 3, 3) == eur("1.00")


def test_a_policy_may_round_the_effective_unit_price_before_multiplying() -> None:
    per_unit = RoundingPolicy("recon formula", ROUND_DOWN, places=2, unit_price_places=2)
    assert per_unit.line_amount(eur("10.08"), 10, 29, 31) == eur("94.20")
    assert per_unit.for_cancellation() is per_unit  # no cancellation rule of its own


def test_allocate_splits_a_cent_remainder_to_the_first_largest_remainders() -> None:
    assert allocate(eur("100.00"), [1, 1, 1]) == [eur("33.34"), eur("33.33"), eur("33.33")]
    assert allocate(eur("-0.05"), [1, 1]) == [eur("-0.03"), eur("-0.02")]
    assert allocate(Money(Decimal(10), "JPY"), [1, 2]) == [
        Money(Decimal(3), "JPY"),
        Money(Decimal(7), "JPY"),
    ]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_allocate_refuses_weights_that_cannot_share(weights: list[int]) -> None:
    with pytest.raises(ValueError, match="weight"):
        allocate(eur("1.00"), weights)


def test_allocate_refuses_an_amount_finer_than_the_minor_unit() -> None:
    with pytest.raises(ValueError, match="minor unit"):
        allocate(eur("1.001"), [1, 1])


@FAST
@given(
    cents=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(
        lambda ws: sum(ws) > 0
    ),
)
def test_allocation_never_loses_or_invents_a_cent(cents: int, weights: list[int]) -> None:
    amount = Money(Decimal(cents).scaleb(-2), "EUR")
    shares = allocate(amount, weights)
    assert total(shares, "EUR") == amount
    exact = [amount.amount * w / sum(weights) for w in weights]
    assert all(abs(s.amount - e) < Decimal("0.01") for s, e in zip(shares, exact, strict=True))


@FAST
@given(
    price_cents=st.integers(min_value=0, max_value=10**6),
    quantity=st.integers(min_value=0, max_value=10**4),
)
def test_a_whole_cycle_line_is_exact_under_both_policies(price_cents: int, quantity: int) -> None:
    price = Money(Decimal(price_cents).scaleb(-2), "EUR")
    for policy in (SALES_ROUNDING, MICROSOFT_COST_ROUNDING):
        assert policy.line_amount(price, quantity) == price * quantity


@FAST
@given(st.floats(allow_nan=False))
def test_money_refuses_every_float(value: float) -> None:
    with pytest.raises(TypeError):
        Money(value, "EUR")  # type: ignore[arg-type]
