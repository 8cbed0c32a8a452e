"""The packaged NCE catalog: lookups, coverage and the list price in force on a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from o365portal.sandbox.commerce.catalog_data import load_catalog, price_in_force

SERIES = [
    {"effectiveDate": "2022-03-01", "unitPrice": "6.00"},
    {"effectiveDate": "2026-07-01", "unitPrice": "7.00"},
]


def test_the_price_in_force_is_the_latest_effective_on_or_before_the_day() -> None:
    assert price_in_force(SERIES, date(2026, 6, 30)) == Decimal("6.00")
    assert price_in_force(SERIES, date(2026, 7, 1)) == Decimal("7.00")


def test_a_day_before_every_price_uses_the_earliest_one() -> None:
    assert price_in_force(SERIES, date(2021, 1, 1)) == Decimal("6.00")
    assert price_in_force([], date(2021, 1, 1)) is None


def test_the_catalog_holds_all_40_skus_with_unique_catalog_item_ids() -> None:
    catalog = load_catalog()
    skus = [sku for product in catalog.products.values() for sku in product["skus"]]
    ids = [
        f"{product['id']}:{sku['id']}:{availability['id']}"
        for product in catalog.products.values()
        for sku in product["skus"]
        for availability in sku["availabilities"]
    ]
    assert len(skus) == 40
    assert len(ids) == len(set(ids))
    assert all(len(identifier.split(":")[2]) == 12 for identifier in ids)


def test_every_term_has_a_price_in_every_currency() -> None:
    catalog = load_catalog()
    for product in catalog.products.values():
        for sku in product["skus"]:
            for availability in sku["availabilities"]:
                for term in availability["terms"]:
                    assert set(term["prices"]) == set(catalog.currencies)
                    assert all(term["prices"].values())


def test_annual_billing_charges_twelve_months_of_the_monthly_equivalent() -> None:
    item = load_catalog().item("CFQ7TTC0LH18:0001:CFQ7TTC0K971")
    assert item is not None
    assert item.unit_price("annual", "USD", date(2026, 3, 10)) == Decimal("72.00")
    assert item.unit_price("monthly", "USD", date(2026, 3, 10)) == Decimal("6.30")
    assert item.unit_price("triennial", "USD", date(2026, 3, 10)) is None


def test_a_sku_is_found_by_term_and_unknown_ids_are_none() -> None:
    catalog = load_catalog()
    monthly = catalog.item_for_term("CFQ7TTC0LH18", "0001", "P1M")
    assert monthly is not None and monthly.billing_cycles() == ["monthly"]
    assert catalog.item("CFQ7TTC0LH18:0001") is None
    assert catalog.item("CFQ7TTC0LH18:0001:CFQ7TTC0ZZZZ") is None
    assert catalog.currency_of("de") == "EUR"
