"""Scheduled orders: new subscriptions to be placed in Partner Center on a future date.

The scheduling job claims due rows (`scheduled` -> `placing`), places the order with the
row's idempotency key, so a retry after a crash never buys twice, and records the result.
"""

from datetime import date, datetime

from sqlalchemy import Index, Text
from sqlmodel import Field

from o365portal.db.base import TITLE_LENGTH, created_at_field, enum_type, updated_at_field
from o365portal.db.enums import ScheduledOrderStatus
from o365portal.db.tables.catalog import CatalogItemColumns


class ScheduledOrderBase(CatalogItemColumns):
    """What was ordered, for whom, and when it goes live."""

    organization_id: int = Field(foreign_key="organization.id", index=True)
    tenant_id: int = Field(foreign_key="tenant.id")
    quantity: int
    friendly_name: str = Field(max_length=TITLE_LENGTH)
    po_number: str | None = Field(default=None, max_length=100)
    go_live_date: date
    status: ScheduledOrderStatus = Field(
        default=ScheduledOrderStatus.SCHEDULED, sa_type=enum_type(ScheduledOrderStatus)
    )


class ScheduledOrder(ScheduledOrderBase, table=True):
    """A future-dated order and the job's progress on it."""

    __tablename__ = "scheduled_order"
    __table_args__ = (Index("ix_scheduled_order_status_go_live", "status", "go_live_date"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=64, unique=True)
    # The Partner Center cart created for this order; checking the same cart out again after a
    # crash returns the first checkout's orders instead of buying twice.
    cart_id: str | None = Field(default=None, max_length=64)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=Text)
    placed_subscription_id: int | None = Field(
        default=None, foreign_key="subscription.id", ondelete="SET NULL"
    )
    created_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
