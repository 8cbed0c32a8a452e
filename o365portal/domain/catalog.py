"""Catalog identity: what exactly a customer buys (partner-center-api.md §5.2).

An NCE catalog item is a product, SKU and availability, bought for a term (commitment length)
with a billing cycle (how often it is charged). Partner Center spells terms as ISO 8601
durations (`P1M`, `P1Y`, `P3Y`) and billing cycles as words (`monthly`, `Annual`, ...), in
varying case; both parse case-insensitively here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from o365portal.domain.errors import InvalidCatalogItem, UnknownCatalogValue


class Term(StrEnum):
    """Commitment length of a subscription."""

    P1M = "P1M"
    P1Y = "P1Y"
    P3Y = "P3Y"

    @property
    def months(self) -> int:
        """Length of the term in months."""
        return {"P1M": 1, "P1Y": 12, "P3Y": 36}[self.value]

    @classmethod
    def parse(cls, text: str) -> Term:
        """The term for a Partner Center `termDuration` string, e.g. `"p1y"` -> `Term.P1Y`."""
        try:
            return cls(text.strip().upper())
        except ValueError:
            raise UnknownCatalogValue("term", text, [term.value for term in cls]) from None


class BillingCycle(StrEnum):
    """How often a subscription is charged."""

    MONTHLY = "monthly"
    ANNUAL = "annual"
    TRIENNIAL = "triennial"

    @property
    def months(self) -> int:
        """Length of one charge cycle in months."""
        return {"monthly": 1, "annual": 12, "triennial": 36}[self.value]

    @classmethod
    def parse(cls, text: str) -> BillingCycle:
        """The cycle for a Partner Center `billingCycle` string, e.g. `"Annual"`."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            allowed = [cycle.value for cycle in cls]
            raise UnknownCatalogValue("billing cycle", text, allowed) from None


@dataclass(frozen=True)
class CatalogItemKey:
    """The identity of one purchasable item: product : SKU : availability, term, billing cycle."""

    product_id: str
    sku_id: str
    availability_id: str
    term: Term
    billing_cycle: BillingCycle

    def __post_init__(self) -> None:
        if self.billing_cycle.months > self.term.months:
            raise InvalidCatalogItem(
                f"A {self.term} term cannot be billed {self.billing_cycle}: the billing cycle "
                "must not be longer than the term."
            )

    @property
    def catalog_item_id(self) -> str:
        """Partner Center's `catalogItemId`: `product:sku:availability`."""
        return f"{self.product_id}:{self.sku_id}:{self.availability_id}"
