"""Writing a purchased subscription into the portal: the row, its first seat lot, its history.

The history row names the price list entry the order was charged at (when the price came from
a list and that entry still holds it), which locks that entry against same-day corrections.

Every way a new subscription is bought (now, on its go-live date, on approval) ends here, in the
same transaction that marks the order done, so the subscription list shows the subscription,
its price and who bought it the moment Partner Center has provisioned it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from o365portal.db.enums import ChangeOrigin, SeatLotReason
from o365portal.db.tables.subscriptions import SeatLot, Subscription, SubscriptionHistory
from o365portal.domain.money import Money
from o365portal.domain.nce import CANCELLATION_WINDOW
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.services.price_store import CatalogItemRef, charged_entry


@dataclass(frozen=True)
class Purchase:
    """What the portal knows about a purchase besides Partner Center's subscription."""

    tenant_id: int
    ref: CatalogItemRef
    friendly_name: str
    po_number: str | None
    order_id: str | None
    actor_account_id: int | None
    origin: ChangeOrigin
    unit_price: Decimal
    currency: str
    note: str


def _started(pc: PcSubscription, fallback: datetime) -> datetime:
    return pc.effective_start_date or pc.creation_date or fallback


def _term_end(pc: PcSubscription, started: datetime) -> datetime:
    return pc.commitment_end_date_time or pc.commitment_end_date or started


def record_purchase(
    session: Session, purchase: Purchase, pc: PcSubscription, now: datetime
) -> Subscription:
    """Store the provisioned subscription, its purchase seat lot and an `order` history row."""
    started = _started(pc, now)
    row = Subscription(
        **vars(purchase.ref),
        tenant_id=purchase.tenant_id,
        pc_subscription_id=pc.id,
        friendly_name=pc.friendly_name or purchase.friendly_name,
        po_number=purchase.po_number,
        quantity=pc.quantity,
        status=str(pc.status).lower(),
        auto_renew=bool(pc.auto_renew_enabled),
        started_at=started,
        term_end_at=_term_end(pc, started),
        order_id=purchase.order_id,
        created_by_account_id=purchase.actor_account_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(_lot(row.id, pc.quantity, started))
    entry_id = charged_entry(
        session, purchase.tenant_id, purchase.ref, now.date(),
        Money(purchase.unit_price, purchase.currency),
    )  # fmt: skip
    session.add(_history(row, purchase, now, entry_id))
    return row


def _lot(subscription_id: int, quantity: int, added_at: datetime) -> SeatLot:
    return SeatLot(
        subscription_id=subscription_id,
        quantity=quantity,
        added_at=added_at,
        reason=SeatLotReason.PURCHASE,
        reducible_until=added_at + CANCELLATION_WINDOW,
    )


def _history(
    row: Subscription, purchase: Purchase, now: datetime, entry_id: int | None
) -> SubscriptionHistory:
    assert row.id is not None
    return SubscriptionHistory(
        subscription_id=row.id,
        actor_account_id=purchase.actor_account_id,
        origin=purchase.origin,
        at=now,
        action="order",
        before=None,
        after={
            "quantity": row.quantity,
            "friendly_name": row.friendly_name,
            "po_number": row.po_number,
            "order_id": row.order_id,
            "note": purchase.note,
        },
        unit_price=purchase.unit_price,
        currency=purchase.currency,
        price_list_entry_id=entry_id,
    )
