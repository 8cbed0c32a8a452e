"""An organization's subscription list: subscriptions, scheduled orders and pending requests.

One call gives the Subscriptions page everything it shows, as plain rows: each subscription
with its price (the one recorded with its latest priced change) and renewal date, or status
`Provisioning` and no date while Microsoft provisions a new order; each scheduled order with its
go-live date and no price; each request waiting for the broker or rejected lately (with the
broker's comment). No row carries a cost or a margin for a customer; a broker's request rows add
them (services/approval_views.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.services.errors import NotFound
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _scheduling as scheduling
from o365portal.services.ordering._input import cycle_label, term_label
from o365portal.services.pricing import CatalogItemRef
from o365portal.services.principal import Principal

_WORDS = {
    "quantity": "Seats",
    "friendly_name": "Name",
    "po_number": "PO",
    "order_id": "Partner Center order",
    "note": "Note:",
}


@dataclass(frozen=True)
class HistoryLine:
    """One change in a subscription's history."""

    at: datetime
    action: str
    by: str
    unit_price: str
    details: str


@dataclass(frozen=True)
class SubscriptionList:
    """Everything on the Subscriptions page, as rows of strings."""

    subscriptions: list[dict[str, str]]
    scheduled: list[dict[str, str]]
    requests: list[dict[str, str]]


def _price(session: Session, subscription_id: int) -> tuple[str, str]:
    latest = session.exec(
        select(SubscriptionHistory)
        .where(SubscriptionHistory.subscription_id == subscription_id)
        .where(col(SubscriptionHistory.unit_price).is_not(None))
        .order_by(col(SubscriptionHistory.at).desc(), col(SubscriptionHistory.id).desc())
    ).first()
    if latest is None or latest.unit_price is None:
        return "", ""
    return f"{latest.unit_price:.2f}", latest.currency or ""


def _subscription_row(session: Session, row: Subscription) -> dict[str, str]:
    price, currency = _price(session, row.id or 0)
    return {
        "id": str(row.id),
        "kind": "subscription",
        "friendly_name": row.friendly_name,
        "po_number": row.po_number or "",
        "quantity": str(row.quantity),
        "status": row.status.capitalize(),  # Provisioning while Microsoft provisions it
        "term": term_label(row.term),
        "billing_cycle": cycle_label(row.billing_cycle),
        "date": row.term_end_at.date().isoformat() if row.term_end_at else "",
        "unit_price": price,
        "currency": currency,
        "catalog_item_id": CatalogItemRef.of(row).catalog_item_id,
        "last_error": row.last_error or "",
    }


def _scheduled_row(line: scheduling.ScheduledLine) -> dict[str, str]:
    status = "Failed" if line.status == "failed" else "Scheduled"
    return {
        "id": str(line.id),
        "kind": "scheduled",
        "friendly_name": line.friendly_name,
        "po_number": line.po_number,
        "quantity": str(line.quantity),
        "status": status,
        "term": term_label(line.term),
        "billing_cycle": cycle_label(line.billing_cycle),
        "date": line.go_live_date.isoformat(),
        "unit_price": "",
        "currency": "",
        "last_error": line.last_error,
    }


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
    return SubscriptionList(
        subscriptions, [_scheduled_row(line) for line in scheduled], [r.as_row() for r in requests]
    )


def subscription_history(*, actor: Principal, subscription_id: int) -> list[HistoryLine]:
    """A subscription's recorded changes, newest first."""
    with session_scope() as session:
        row = session.get(Subscription, subscription_id)
        tenant = session.get(Tenant, row.tenant_id) if row else None
        if tenant is None or not actor.may_see_organization(tenant.organization_id):
            raise NotFound("subscription")
        changes = session.exec(
            select(SubscriptionHistory)
            .where(SubscriptionHistory.subscription_id == subscription_id)
            .order_by(col(SubscriptionHistory.at).desc(), col(SubscriptionHistory.id).desc())
        ).all()
        ids = {change.actor_account_id for change in changes if change.actor_account_id}
        names = {
            account.id: f"{account.first_name} {account.last_name}".strip()
            for account in session.exec(
                select(PortalAccount).where(col(PortalAccount.id).in_(ids))
            ).all()
        }
        return [_history_line(change, names) for change in changes]


def _history_line(change: SubscriptionHistory, names: dict[int | None, str]) -> HistoryLine:
    after = change.after or {}
    price = f"{change.unit_price:.2f} {change.currency}" if change.unit_price is not None else ""
    by = names.get(change.actor_account_id, "")
    if change.origin == ChangeOrigin.SYSTEM:
        by = f"Scheduled order ({by})" if by else "Scheduled order"
    elif change.origin == ChangeOrigin.PARTNER_CENTER:
        by = "Partner Center"
    shown = ((_WORDS[k], v) for k, v in after.items() if k in _WORDS and v not in (None, ""))
    details = " · ".join(f"{word} {value}" for word, value in shown)
    return HistoryLine(change.at, change.action, by, price, details)
