"""Sales price resolution (subscription, customer list, global list), cost and margin."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o365portal.domain.errors import CurrencyMismatch, InvalidPriceList
from o365portal.domain.money import Money
from o365portal.domain.pricing import (
    NotForSale,
    PriceEntry,
    PriceList,
    PriceQuote,
    PriceSource,
    SubscriptionPrice,
    cost,
    margin_percent,
    resolve_sales_price,
    subscription_price_on,
)
from tests.unit.domain.builders import day, eur, item

ITEM = item()
OTHER = item(sku="0099")

GLOBAL = PriceList.of(
    "global",
    [
        PriceEntry(ITEM, eur("12.00"), day("2025-01-01")),
        PriceEntry(ITEM, eur("12.50"), day("2025-04-01")),
        PriceEntry(OTHER, eur("5.00"), day("2025-01-01"), effective_until=day("2025-06-30")),
    ],
)
CUSTOMER = PriceList.of("Contoso", [PriceEntry(ITEM, eur("11.00"), day("2025-03-01"))])


def test_the_global_list_prices_an_item_with_the_entry_in_force_that_day() -> None:
    quote = resolve_sales_price(ITEM, day("2025-03-31"), global_list=GLOBAL)
    assert quote == PriceQuote(
        ITEM, eur("12.00"), PriceSource.GLOBAL_LIST, day("2025-01-01"), "global"
    )
    later = resolve_sales_price(ITEM, day("2025-04-01"), global_list=GLOBAL)
    assert isinstance(later, PriceQuote) and later.price == eur("12.50")


def test_a_customer_list_wins_over_the_global_list_once_in_force() -> None:
    before = resolve_sales_price(
        ITEM, day("2025-02-28"), customer_list=CUSTOMER, global_list=GLOBAL
    )
    after = resolve_sales_price(ITEM, day("2025-03-01"), customer_list=CUSTOMER, global_list=GLOBAL)
    assert isinstance(before, PriceQuote) and before.source is PriceSource.GLOBAL_LIST
    assert after == PriceQuote(
        ITEM, eur("11.00"), PriceSource.CUSTOMER_LIST, day("2025-03-01"), "Contoso"
    )


def test_the_subscription_price_wins_over_both_lists_from_its_date() -> None:
    historic = SubscriptionPrice(eur("9.99"), since=day("2024-06-01"))
    quote = resolve_sales_price(
        ITEM,
        day("2025-05-01"),
        subscription_prices=[historic],
        customer_list=CUSTOMER,
        global_list=GLOBAL,
    )
    assert quote == PriceQuote(ITEM, eur("9.99"), PriceSource.SUBSCRIPTION, day("2024-06-01"))


def test_a_subscription_price_not_yet_agreed_falls_through_to_the_lists() -> None:
    future = SubscriptionPrice(eur("9.99"), since=day("2025-12-01"))
    quote = resolve_sales_price(
        ITEM, day("2025-05-01"), subscription_prices=[future], global_list=GLOBAL
    )
    assert isinstance(quote, PriceQuote) and quote.source is PriceSource.GLOBAL_LIST


def test_each_subscription_price_holds_from_its_day_until_the_next_one_starts() -> None:
    prices = [
        SubscriptionPrice(eur("8.00"), since=day("2025-04-01")),
        SubscriptionPrice(eur("9.50"), since=day("2025-02-15")),  # order does not matter
    ]

    def on(text: str) -> PriceQuote:
        quote = resolve_sales_price(
            ITEM, day(text), subscription_prices=prices, customer_list=CUSTOMER,
            global_list=GLOBAL,
        )  # fmt: skip
        assert isinstance(quote, PriceQuote)
        return quote

    assert (on("2025-02-14").price, on("2025-02-14").source) == (
        eur("12.00"),
        PriceSource.GLOBAL_LIST,
    )  # before the first one the lists apply
    assert (on("2025-02-15").price, on("2025-02-15").since) == (eur("9.50"), day("2025-02-15"))
    assert (on("2025-03-31").price, on("2025-03-31").source) == (
        eur("9.50"),
        PriceSource.SUBSCRIPTION,
    )  # over the customer list that starts meanwhile
    assert (on("2025-04-01").price, on("2026-01-01").price) == (eur("8.00"), eur("8.00"))


def test_the_subscription_price_on_a_day_is_the_latest_started() -> None:
    early, late = (
        SubscriptionPrice(eur("1"), day("2025-01-01")),
        SubscriptionPrice(eur("2"), day("2025-02-01")),
    )
    assert subscription_price_on([late, early], day("2024-12-31")) is None
    assert subscription_price_on([late, early], day("2025-01-31")) == early
    assert subscription_price_on([early, late], day("2025-02-01")) == late
    assert subscription_price_on([], day("2025-02-01")) is None


def test_two_subscription_prices_starting_on_one_day_are_refused() -> None:
    same_day = [
        SubscriptionPrice(eur("1"), day("2025-01-01")),
        SubscriptionPrice(eur("2"), day("2025-01-01")),
    ]
    with pytest.raises(InvalidPriceList, match="same day"):
        resolve_sales_price(ITEM, day("2025-05-01"), subscription_prices=same_day,
                            global_list=GLOBAL)  # fmt: skip


def test_a_customer_list_without_the_item_falls_back_to_the_global_list() -> None:
    quote = resolve_sales_price(
        OTHER, day("2025-05-01"), customer_list=CUSTOMER, global_list=GLOBAL
    )
    assert isinstance(quote, PriceQuote) and quote.source is PriceSource.GLOBAL_LIST


def test_an_item_without_any_price_is_not_for_sale_with_a_reason() -> None:
    answer = resolve_sales_price(
        item(sku="none"), day("2025-05-01"), customer_list=CUSTOMER, global_list=GLOBAL
    )
    assert isinstance(answer, NotForSale)
    assert "customer's list or the global list" in answer.reason
    before_any = resolve_sales_price(ITEM, day("2024-12-31"), global_list=GLOBAL)
    assert isinstance(before_any, NotForSale) and "in the global list" in before_any.reason


def test_a_withdrawn_price_is_not_for_sale_after_its_last_day() -> None:
    assert isinstance(resolve_sales_price(OTHER, day("2025-06-30"), global_list=GLOBAL), PriceQuote)
    assert isinstance(resolve_sales_price(OTHER, day("2025-07-01"), global_list=GLOBAL), NotForSale)


def test_two_prices_for_one_item_on_one_day_are_refused() -> None:
    with pytest.raises(InvalidPriceList, match="same day"):
        PriceList.of("bad", [PriceEntry(ITEM, eur("1"), day("2025-01-01"))] * 2)


def test_cost_is_microsofts_price_that_day_or_not_for_sale() -> None:
    costs = PriceList.of("Microsoft EUR", [PriceEntry(ITEM, eur("10.08"), day("2025-01-01"))])
    quote = cost(ITEM, day("2025-02-01"), cost_list=costs)
    assert isinstance(quote, PriceQuote) and quote.price == eur("10.08")
    assert quote.source is PriceSource.COST_LIST
    missing = cost(OTHER, day("2025-02-01"), cost_list=costs)
    assert isinstance(missing, NotForSale) and "no cost" in missing.reason


def test_margin_is_sales_minus_cost_over_sales_in_percent() -> None:
    assert margin_percent(eur("12.00"), eur("10.08")) == Decimal("16.00")
    assert margin_percent(eur("3.00"), eur("1.00")) == Decimal("66.67")
    assert margin_percent(eur("10.00"), eur("12.00")) == Decimal("-20.00")


def test_margin_is_undefined_when_the_sales_price_is_zero() -> None:
    assert margin_percent(eur("0"), eur("10.08")) is None
    assert margin_percent(eur("0"), eur("0")) is None


def test_margin_refuses_mixed_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        margin_percent(eur("1"), Money(Decimal(1), "USD"))
