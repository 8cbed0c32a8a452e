"""The one catalog item key: one string form, read back by one parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365portal.domain.catalog import BillingCycle, Term
from o365portal.services.pricing import CatalogItemRef

BASIC = CatalogItemRef("CFQ7TTC0LH18", "0001", "0002", "P1Y", "monthly")
_PART = st.from_regex(r"[A-Za-z0-9-]{1,12}", fullmatch=True)  # Microsoft catalog ids


def test_the_key_names_product_sku_availability_term_and_cycle() -> None:
    assert BASIC.key == "CFQ7TTC0LH18:0001:0002:P1Y:monthly"
    assert BASIC.catalog_item_id == "CFQ7TTC0LH18:0001:0002"
    assert CatalogItemRef.parse(BASIC.key) == BASIC


def test_a_key_stored_before_is_read_in_any_case() -> None:
    """Approval requests store the form's key; term upper and cycle lower, as the catalog."""
    assert CatalogItemRef.parse(" CFQ7TTC0LH18:0001:0002:p1y:Monthly ") == BASIC
    assert CatalogItemRef("CFQ7TTC0LH18", "0001", "0002", "p1y", "Monthly").key == BASIC.key


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nonsense",
        "CFQ7TTC0LH18|0001|0002|P1Y|monthly",  # the old screen-row encoding is not a key
        "CFQ7TTC0LH18:0001:0002:P1Y",
        "CFQ7TTC0LH18:0001:0002:P1Y:monthly:extra",
        "CFQ7TTC0LH18::0002:P1Y:monthly",
        "CFQ7TTC0LH18:0001:0002 P1Y monthly",
    ],
)
def test_anything_else_is_not_a_key(text: str) -> None:
    assert CatalogItemRef.parse(text) is None


@given(_PART, _PART, _PART, st.sampled_from(list(Term)), st.sampled_from(list(BillingCycle)))
def test_every_item_survives_its_key(
    product: str, sku: str, availability: str, term: Term, cycle: BillingCycle
) -> None:
    ref = CatalogItemRef(product, sku, availability, term.value, cycle.value)
    assert CatalogItemRef.parse(ref.key) == ref
