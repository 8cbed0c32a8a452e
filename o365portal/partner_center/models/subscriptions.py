"""Subscription wire model with its NCE details: refundable seats, refund options and the
changes scheduled for the next term (reference §7.2)."""

from __future__ import annotations

from pydantic import Field

from o365portal.partner_center.models.base import (
    Count,
    ListOf,
    OpenEnum,
    Resource,
    UtcDateTime,
    WireModel,
)
from o365portal.partner_center.models.catalog import BillingCycle, ProductType


class SubscriptionStatus(OpenEnum):
    """A subscription's status; `deleted` is how a cancellation is requested."""

    NONE = "none"
    ACTIVE = "active"
    PENDING = "pending"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    DISABLED = "disabled"
    DELETED = "deleted"


class RefundOption(WireModel):
    """A refund still possible until `expires_at`."""

    type: str | None = None
    expires_at: UtcDateTime = None


class RefundableSeats(WireModel):
    """Seats added at one time that can be removed until `allowed_until_date_time`."""

    quantity: int = 0
    allowed_until_date_time: UtcDateTime = None


class RefundableQuantity(WireModel):
    """Seats still reducible, per seat lot."""

    total_quantity: Count = None
    details: ListOf[RefundableSeats] = Field(default_factory=list)


class ScheduledProduct(WireModel):
    """The catalog item, term and billing cycle a subscription renews into."""

    product_id: str | None = None
    sku_id: str | None = None
    availability_id: str | None = None
    billing_cycle: BillingCycle | None = None
    term_duration: str | None = None
    promotion_id: str | None = None


class ScheduledNextTermInstructions(WireModel):
    """Changes applied at renewal: product, quantity, co-term end date."""

    product: ScheduledProduct | None = None
    quantity: Count = None
    custom_term_end_date: UtcDateTime = None


class Subscription(Resource):
    """A subscription; PATCH sends it back whole (reference §7.3)."""

    id: str
    offer_id: str | None = None
    entitlement_id: str | None = None
    offer_name: str | None = None
    friendly_name: str | None = None
    product_type: ProductType | None = None
    quantity: int = 0
    unit_type: str | None = None
    parent_subscription_id: str | None = None
    creation_date: UtcDateTime = None
    effective_start_date: UtcDateTime = None
    commitment_end_date: UtcDateTime = None
    commitment_end_date_time: UtcDateTime = None
    cancellation_allowed_until_date: UtcDateTime = None
    billing_cycle_end_date: UtcDateTime = None
    billing_cycle_end_date_time: UtcDateTime = None
    has_purchasable_addons: bool | None = None
    status: SubscriptionStatus = SubscriptionStatus("none")
    suspension_reasons: ListOf[str] = Field(default_factory=list)
    auto_renew_enabled: bool | None = None
    is_trial: bool | None = None
    billing_type: str | None = None
    billing_cycle: BillingCycle | None = None
    term_duration: str | None = None
    renewal_term_duration: str | None = None
    refund_options: ListOf[RefundOption] = Field(default_factory=list)
    refundable_quantity: RefundableQuantity | None = None
    scheduled_next_term_instructions: ScheduledNextTermInstructions | None = None
    promotion_id: str | None = None
    order_id: str | None = None
    actions: ListOf[str] = Field(default_factory=list)
    contract_type: str | None = None
