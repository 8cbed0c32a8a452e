"""Scheduled orders: new subscriptions to be bought on a future go-live date.

Storing one (`schedule_order`) takes no price: the price is the one in force on the go-live day,
taken when the job places it (services/ordering_scheduled.py). Until then the line shows on the
subscription list and can be cancelled (Actions -> Suspend). Only new subscriptions are
scheduled; quantity changes and add-ons happen at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ScheduledOrderStatus
from o365portal.db.tables.scheduled_orders import ScheduledOrder
from o365portal.services import changes
from o365portal.services.errors import NotFound, ServiceError
from o365portal.services.ordering._input import InTransaction, OrderOutcome, PreparedOrder
from o365portal.services.principal import Principal

_OPEN = (ScheduledOrderStatus.SCHEDULED, ScheduledOrderStatus.FAILED)


class AlreadyPlacing(ServiceError):
    """The job is placing the order right now (or has placed it): it can't be cancelled."""

    def __init__(self) -> None:
        super().__init__("This order is being placed right now and can no longer be cancelled.")


@dataclass(frozen=True)
class ScheduledLine:
    """A scheduled order as the subscription list shows it."""

    id: int
    title: str
    friendly_name: str
    offer_id: str  # the catalog item: "PRODUCT:SKU:AVAILABILITY"
    po_number: str
    quantity: int
    term: str
    billing_cycle: str
    go_live_date: date
    status: str
    last_error: str


def schedule_order(
    *, order: PreparedOrder, actor: Principal, also: InTransaction | None = None
) -> OrderOutcome:
    """Store `order` to be placed on its go-live date, with its own idempotency key; `also`
    runs in the same transaction with the outcome's message (an approval's decision)."""
    assert order.data.go_live_date is not None
    when = order.data.go_live_date.isoformat()
    message = f"{order.friendly_name} goes live on {when}."
    with session_scope() as session:
        row = ScheduledOrder(
            **vars(order.data.ref),
            organization_id=order.organization_id,
            tenant_id=order.tenant_id,
            quantity=order.data.quantity,
            friendly_name=order.friendly_name,
            po_number=order.data.po_number or None,
            go_live_date=order.data.go_live_date,
            idempotency_key=uuid.uuid4().hex,
            created_by_account_id=actor.account_id or None,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        if also is not None:
            also(session, message)
    changes.announce(order.organization_id, changes.SUBSCRIPTIONS)
    return OrderOutcome("scheduled", message, row.id)


def scheduled_lines(*, actor: Principal, organization_id: int) -> list[ScheduledLine]:
    """The organization's scheduled orders still to happen (or failed), soonest first."""
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    with session_scope() as session:
        rows = session.exec(
            select(ScheduledOrder)
            .where(ScheduledOrder.organization_id == organization_id)
            .where(col(ScheduledOrder.status).in_([*_OPEN, ScheduledOrderStatus.PLACING]))
            .order_by(col(ScheduledOrder.go_live_date), col(ScheduledOrder.id))
        ).all()
        return [_line(row) for row in rows]


def _line(row: ScheduledOrder) -> ScheduledLine:
    return ScheduledLine(
        id=row.id or 0,
        title=row.friendly_name,
        friendly_name=row.friendly_name,
        offer_id=f"{row.product_id}:{row.sku_id}:{row.availability_id}",
        po_number=row.po_number or "",
        quantity=row.quantity,
        term=row.term,
        billing_cycle=row.billing_cycle,
        go_live_date=row.go_live_date,
        status=row.status.value,
        last_error=row.last_error or "",
    )


def cancel_scheduled_order(*, actor: Principal, scheduled_order_id: int) -> None:
    """Cancel a scheduled order that the job has not started placing."""
    with session_scope() as session:
        row = session.get(ScheduledOrder, scheduled_order_id)
        if row is None or not actor.may_see_organization(row.organization_id):
            raise NotFound("scheduled order")
        changed = session.exec(
            update(ScheduledOrder)
            .where(col(ScheduledOrder.id) == scheduled_order_id)
            .where(col(ScheduledOrder.status).in_(_OPEN))
            .values(status=ScheduledOrderStatus.CANCELLED)
        ).rowcount
        if changed != 1:
            raise AlreadyPlacing()
    changes.announce(row.organization_id, changes.SUBSCRIPTIONS)
