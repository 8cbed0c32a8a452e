"""Catalog wire models: NCE products, SKUs and availabilities (reference §5.2), and the legacy
offers and offer categories still found in recorded responses (§5.1)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from o365portal.partner_center.models.base import Count, ListOf, OpenEnum, Resource, WireModel


class BillingCycle(OpenEnum):
    """How often a subscription is charged."""

    MONTHLY = "monthly"
    ANNUAL = "annual"
    TRIENNIAL = "triennial"
    BIENNIAL = "biennial"
    ONE_TIME = "one_time"
    NONE = "none"
    UNKNOWN = "unknown"


class ProductType(WireModel):
    """The product's type (`OnlineServicesNCE` for Microsoft 365 new commerce)."""

    id: str | None = None
    display_name: str | None = None
    sub_type: ProductType | None = None


class Product(Resource):
    """An NCE product (e.g. `CFQ7TTC0LH18`, Microsoft 365 Business Basic)."""

    id: str
    title: str | None = None
    description: str | None = None
    product_type: ProductType | None = None
    is_microsoft_product: bool | None = None
    publisher_name: str | None = None


class Sku(Resource):
    """A SKU of a product; `dynamic_attributes["provisioningId"]` is the Entra skuId."""

    id: str
    product_id: str | None = None
    title: str | None = None
    description: str | None = None
    minimum_quantity: Count = None
    maximum_quantity: Count = None
    is_trial: bool | None = None
    supported_billing_cycles: ListOf[BillingCycle] = Field(default_factory=list)
    purchase_prerequisites: ListOf[str] = Field(default_factory=list)
    actions: ListOf[str] = Field(default_factory=list)
    dynamic_attributes: dict[str, Any] = Field(default_factory=dict)

    @property
    def provisioning_id(self) -> str | None:
        """The Entra skuId this SKU provisions (joins to subscribed SKUs)."""
        value = self.dynamic_attributes.get("provisioningId")
        return str(value) if value else None

    @property
    def is_addon(self) -> bool:
        """True for add-ons (they need a base subscription)."""
        return bool(self.dynamic_attributes.get("isAddon"))


class Currency(WireModel):
    """A currency code and symbol."""

    code: str | None = None
    symbol: str | None = None


class RefundPolicy(WireModel):
    """How long after purchase a refund of a given type is possible."""

    sequence_id: int | None = None
    type: str | None = None
    expires_after: str | None = None


class CancellationPolicy(WireModel):
    """The refund options of a term."""

    refund_options: ListOf[RefundPolicy] = Field(default_factory=list)


class Term(WireModel):
    """A purchasable term: duration (P1M, P1Y, P3Y) and billing cycle."""

    id: str | None = None
    duration: str | None = None
    description: str | None = None
    billing_cycle: BillingCycle | None = None
    cancellation_policies: ListOf[CancellationPolicy] = Field(default_factory=list)


class Availability(Resource):
    """A purchasable availability of a SKU; buy it by `catalog_item_id`."""

    id: str
    product_id: str | None = None
    sku_id: str | None = None
    catalog_item_id: str | None = None
    default_currency: Currency | None = None
    segment: str | None = None
    country: str | None = None
    is_purchasable: bool | None = None
    is_renewable: bool | None = None
    terms: ListOf[Term] = Field(default_factory=list)


class OfferCategory(Resource):
    """A legacy offer category."""

    id: str | None = None
    name: str | None = None
    rank: int | None = None
    locale: str | None = None
    country: str | None = None


class OfferProduct(WireModel):
    """The product a legacy offer belongs to."""

    id: str | None = None
    name: str | None = None
    unit: str | None = None


class Offer(Resource):
    """A legacy licence offer (read-only for the portal)."""

    id: str
    name: str | None = None
    description: str | None = None
    minimum_quantity: Count = None
    maximum_quantity: Count = None
    category: OfferCategory | None = None
    prerequisite_offers: ListOf[str] = Field(default_factory=list)
    is_add_on: bool | None = None
    is_trial: bool | None = None
    is_available_for_purchase: bool | None = None
    billing: str | None = None
    supported_billing_cycles: ListOf[BillingCycle] = Field(default_factory=list)
    product: OfferProduct | None = None
    unit_type: str | None = None
