"""Ordering wire models: cart, cart line, checkout result, order and order line (reference §6)."""

from __future__ import annotations

from pydantic import Field

from o365portal.partner_center.models.base import (
    Count,
    ListOf,
    Money,
    OpenEnum,
    Resource,
    UtcDateTime,
    WireModel,
)
from o365portal.partner_center.models.catalog import BillingCycle


class OrderStatus(OpenEnum):
    """Where an order is in its life."""

    UNKNOWN = "unknown"
    COMPLETED = "completed"
    PENDING = "pending"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"
    PENDING_REVIEW = "pending review"
    PARTIAL_SUCCESS = "partial success"
    ERROR = "error"


class Pricing(WireModel):
    """Pre-tax prices of a cart or order line."""

    list_price: Money = None
    discounted_price: Money = None
    prorated_price: Money = None
    price: Money = None
    extended_price: Money = None


class CartLineError(WireModel):
    """Why a cart line can't be bought (codes 10000-10019)."""

    error_code: Count = None
    error_description: str | None = None


class CartLineItem(Resource):
    """One line of a cart: a catalog item, quantity, term and billing cycle."""

    id: int = 0
    catalog_item_id: str
    quantity: int
    billing_cycle: BillingCycle
    term_duration: str | None = None
    friendly_name: str | None = None
    custom_term_end_date: UtcDateTime = None
    promotion_id: str | None = None
    currency_code: str | None = None
    order_group: str | None = None
    pricing: Pricing | None = None
    error: CartLineError | None = None


class Cart(Resource):
    """A cart; checking it out creates one order per order group."""

    id: str | None = None
    creation_timestamp: UtcDateTime = None
    last_modified_timestamp: UtcDateTime = None
    expiration_timestamp: UtcDateTime = None
    status: str | None = None
    line_items: ListOf[CartLineItem] = Field(default_factory=list)


class OrderLineItem(Resource):
    """One line of an order; `subscription_id` appears once provisioning finished."""

    line_item_number: int = 0
    offer_id: str | None = None
    subscription_id: str | None = None
    parent_subscription_id: str | None = None
    term_duration: str | None = None
    transaction_type: str | None = None
    friendly_name: str | None = None
    quantity: Count = None
    pricing: Pricing | None = None


class Order(Resource):
    """An order (NCE ids are 12 hex characters)."""

    id: str | None = None
    alternate_id: str | None = None
    reference_customer_id: str | None = None
    billing_cycle: BillingCycle | None = None
    currency_code: str | None = None
    currency_symbol: str | None = None
    line_items: ListOf[OrderLineItem] = Field(default_factory=list)
    creation_date: UtcDateTime = None
    status: OrderStatus | None = None
    transaction_type: str | None = None
    total_price: Money = None


class OrderError(WireModel):
    """Why the order of one order group failed at checkout."""

    order_group_id: str | None = None
    code: Count = None
    description: str | None = None


class CartCheckoutResult(Resource):
    """What a checkout produced: orders, and errors per order group."""

    orders: ListOf[Order] = Field(default_factory=list)
    order_errors: ListOf[OrderError] = Field(default_factory=list)
