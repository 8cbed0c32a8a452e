"""Catalog identity: terms, billing cycles and the catalog item key."""

from __future__ import annotations

import pytest

from o365portal.domain.catalog import BillingCycle, CatalogItemKey, Term
from o365portal.domain.errors import InvalidCatalogItem, UnknownCatalogValue
from tests.unit.domain.builders import item


@pytest.mark.parametrize(
    ("text", "term"), [("P1M", Term.P1M), ("p1y", Term.P1Y), (" P3y ", Term.P3Y)]
)
def test_terms_parse_case_insensitively(text: str, term: Term) -> None:
    assert Term.parse(text) is term


@pytest.mark.parametrize(
    ("text", "cycle"),
    [
        ("monthly", BillingCycle.MONTHLY),
        ("Annual", BillingCycle.ANNUAL),
        ("TRIENNIAL", BillingCycle.TRIENNIAL),
    ],
)
def test_billing_cycles_parse_partner_center_spellings(text: str, cycle: BillingCycle) -> None:
    assert BillingCycle.parse(text) is cycle


def test_an_unknown_term_names_the_allowed_values() -> None:
    with pytest.raises(
        UnknownCatalogValue, match="Unknown term 'P2Y'; expected one of P1M, P1Y, P3Y"
    ):
        Term.parse("P2Y")


def test_an_unknown_billing_cycle_is_refused() -> None:
    with pytest.raises(UnknownCatalogValue, match="billing cycle 'OneTime'"):
        BillingCycle.parse("OneTime")


def test_terms_and_cycles_know_their_months() -> None:
    assert [t.months for t in Term] == [1, 12, 36]
    assert [c.months for c in BillingCycle] == [1, 12, 36]


def test_the_catalog_item_id_joins_product_sku_and_availability() -> None:
    assert item().catalog_item_id == "CFQ7TTC0LDPB:0001:0002"


def test_a_billing_cycle_longer_than_the_term_is_refused() -> None:
    with pytest.raises(InvalidCatalogItem, match="P1M term cannot be billed annual"):
        CatalogItemKey("P", "S", "A", Term.P1M, BillingCycle.ANNUAL)
