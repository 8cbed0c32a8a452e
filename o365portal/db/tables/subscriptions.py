"""Subscriptions, the seat lots they were bought in, and their change history.

Partner Center is the truth for quantity, status, term end and auto-renew; the portal is the
truth for the friendly name it shows, the PO number, the subscription's own effective-dated
sales prices (the broker's historic prices, which win over the price lists), and who did what
(the history).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from o365portal.db.base import (
    GUID_LENGTH,
    TITLE_LENGTH,
    created_at_field,
    currency_field,
    enum_type,
    money_field,
    updated_at_field,
    utc_field,
)
from o365portal.db.enums import ChangeOrigin, SeatLotReason
from o365portal.db.tables.catalog import CatalogItemColumns


class SubscriptionBase(CatalogItemColumns):
    """A subscription's state as the portal shows it."""

    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    # None while Microsoft provisions the order; set once, when the order has completed.
    pc_subscription_id: str | None = Field(default=None, max_length=GUID_LENGTH, unique=True)
    friendly_name: str = Field(max_length=TITLE_LENGTH)
    po_number: str | None = Field(default=None, max_length=100)
    quantity: int
    # Partner Center's value (active, suspended, ...), or the portal's own while an order waits
    # for Microsoft: `provisioning`, then `failed` if Microsoft never provisions it.
    status: str = Field(max_length=20, index=True)
    auto_renew: bool = Field(default=True)


class Subscription(SubscriptionBase, table=True):
    """A quantity of one catalog item in one tenant."""

    __tablename__ = "subscription"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = utc_field()  # the order's instant until Microsoft gives the start
    term_end_at: datetime | None = utc_field(nullable=True)  # known once provisioned
    order_id: str | None = Field(default=None, max_length=50)
    # The Partner Center cart of the order, stored before checkout: checking the same cart out
    # again returns the first checkout's order, so an unconfirmed checkout is safe to repeat.
    cart_id: str | None = Field(default=None, max_length=64)
    last_error: str | None = Field(default=None, sa_type=Text)  # why provisioning failed
    # What Partner Center held when the portal last agreed with it (quantity, status, name,
    # auto-renew): sync compares the portal's row and Partner Center's value with it, so a
    # change on one side is applied and changes on both sides raise a drift alert.
    pc_values: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    synced_at: datetime | None = utc_field(nullable=True)
    # The changes Partner Center will apply at renewal (its scheduledNextTermInstructions), as
    # `{"quantity", "term", "billing_cycle", "availability_id"}`; None when it renews unchanged.
    renewal_changes: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # The subscription an add-on was ordered for in the portal (Manage add-ons).
    base_subscription_id: int | None = Field(
        default=None, foreign_key="subscription.id", ondelete="SET NULL"
    )
    created_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    # Raised by database triggers when what the billing report rates changes (this row's
    # rated columns, its history, its own prices): db/tables/billing.py.
    billing_stamp: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    seat_lots: list["SeatLot"] = Relationship(
        back_populates="subscription",
        sa_relationship_kwargs={
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
            "order_by": "SeatLot.added_at",
        },
    )


class SeatLot(SQLModel, table=True):
    """Seats added by one purchase, renewal or addition, reducible until their own deadline."""

    __tablename__ = "seat_lot"

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", ondelete="CASCADE", index=True)
    quantity: int
    added_at: datetime = utc_field()
    reason: SeatLotReason = Field(sa_type=enum_type(SeatLotReason))
    reducible_until: datetime = utc_field()

    subscription: Subscription = Relationship(
        back_populates="seat_lots", sa_relationship_kwargs={"lazy": "raise"}
    )


class SubscriptionPrice(SQLModel, table=True):
    """The broker's sales price for one subscription from `effective_from` (a day, UTC) until
    its next price starts; it wins over the price lists (docs/domain.md "Prices")."""

    __tablename__ = "subscription_price"
    __table_args__ = (
        UniqueConstraint(
            "subscription_id", "effective_from", name="uq_subscription_price_subscription_from"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", ondelete="CASCADE", index=True)
    effective_from: date
    unit_price: Decimal = money_field()  # per seat per charge cycle, like the price lists
    currency: str = currency_field()
    reason: str = Field(sa_type=Text)
    set_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    set_at: datetime = created_at_field()


class SubscriptionHistory(SQLModel, table=True):
    """One recorded change to a subscription: who, when, what, before/after and price."""

    __tablename__ = "subscription_history"
    __table_args__ = (Index("ix_subscription_history_subscription_at", "subscription_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", ondelete="CASCADE")
    actor_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    origin: ChangeOrigin = Field(sa_type=enum_type(ChangeOrigin))
    at: datetime = created_at_field()
    action: str = Field(max_length=50)  # e.g. order, quantity, rename, cancel, sync
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    unit_price: Decimal | None = money_field(nullable=True)
    currency: str | None = currency_field(nullable=True)
    # The price list entry `unit_price` was charged at: such an entry can no longer be corrected.
    price_list_entry_id: int | None = Field(
        default=None, foreign_key="price_list_entry.id", ondelete="RESTRICT", index=True
    )
