"""An organization's subscription list: subscriptions, scheduled orders and pending requests.

One call gives the Subscriptions page everything it shows, as typed rows with every word
written: each subscription with its price (the one recorded with its latest priced change) and
renewal date, or status `Provisioning` and no date while Microsoft provisions a new order; each
scheduled order with its go-live date and no price; each request waiting for the broker or
rejected lately (with the broker's comment). No row carries a cost or a margin for a customer;
a broker's request rows add them (ordering/_approval_views.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.services.errors import NotFound
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _scheduling as scheduling
from o365portal.services.ordering._approval_views import RequestView
from o365portal.services.ordering._input import cycle_label, seats_label, term_label
from o365portal.services.principal import Principal


@dataclass(frozen=True)
class SubscriptionRow:
    """A subscription or a scheduled order as a line of the Subscriptions page."""

    id: int  # of the subscription, or of the scheduled order
    kind: str  # "subscription" | "scheduled"
    friendly_name: str
    po_number: str
    quantity: str
    seats: str  # "1 seat", "4 seats"
    status: str  # Active, Provisioning (while Microsoft provisions it), Scheduled, Failed, ...
    term: str  # "1 year"
    billing_cycle: str  # "Monthly"
    date: str  # the renewal or go-live day, YYYY-MM-DD; "" when none
    when: str  # that day in words: "Renews 2027-11-30", "Goes live 2026-12-03"; ""
    price: str  # per seat: "7.50 USD"; "" when none is recorded (always for scheduled orders)
    last_error: str  # why a scheduled order failed


@dataclass(frozen=True)
class SubscriptionList:
    """Everything on the Subscriptions page."""

    subscriptions: list[SubscriptionRow]
    scheduled: list[SubscriptionRow]
    requests: list[RequestView]  # a broker's: BrokerRequestView, with cost and margin


def _price(session: Session, subscription_id: int) -> str:
    latest = session.exec(
        select(SubscriptionHistory)
        .where(SubscriptionHistory.subscription_id == subscription_id)
        .where(col(SubscriptionHistory.unit_price).is_not(None))
        .order_by(col(SubscriptionHistory.at).desc(), col(SubscriptionHistory.id).desc())
    ).first()
    return _price_words(latest) if latest is not None else ""


def _price_words(change: SubscriptionHistory) -> str:
    return f"{change.unit_price:.2f} {change.currency or ''}".strip()


def _subscription_row(session: Session, row: Subscription) -> SubscriptionRow:
    renews = row.term_end_at.date().isoformat() if row.term_end_at else ""
    return SubscriptionRow(
        id=row.id or 0,
        kind="subscription",
        friendly_name=row.friendly_name,
        po_number=row.po_number or "",
        quantity=str(row.quantity),
        seats=seats_label(row.quantity),
        status=row.status.capitalize(),  # Provisioning while Microsoft provisions it
        term=term_label(row.term),
        billing_cycle=cycle_label(row.billing_cycle),
        date=renews,
        when=f"Renews {renews}" if renews else "",
        price=_price(session, row.id or 0),
        last_error=row.last_error or "",
    )


def _scheduled_row(line: scheduling.ScheduledLine) -> SubscriptionRow:
    go_live = line.go_live_date.isoformat()
    return SubscriptionRow(
        id=line.id,
        kind="scheduled",
        friendly_name=line.friendly_name,
        po_number=line.po_number,
        quantity=str(line.quantity),
        seats=seats_label(line.quantity),
        status="Failed" if line.status == "failed" else "Scheduled",
        term=term_label(line.term),
        billing_cycle=cycle_label(line.billing_cycle),
        date=go_live,
        when=f"Goes live {go_live}",
        price="",
        last_error=line.last_error,
    )


def list_subscriptions(*, actor: Principal, organization_id: int) -> SubscriptionList:
    """The organization's subscriptions, scheduled orders, and pending or rejected requests."""
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    with session_scope() as session:
        rows = session.exec(
            select(Subscription)
            .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
            .where(Tenant.organization_id == organization_id)
            .order_by(col(Subscription.friendly_name), col(Subscription.id))
        ).all()
        subscriptions = [_subscription_row(session, row) for row in rows]
    scheduled = scheduling.scheduled_lines(actor=actor, organization_id=organization_id)
    requests = approvals.recent_requests(actor=actor, organization_id=organization_id)
    return SubscriptionList(subscriptions, [_scheduled_row(line) for line in scheduled], requests)
