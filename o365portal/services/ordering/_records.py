"""Writing an ordered subscription into the portal: recorded at once, completed when provisioned.

Every way a new subscription is bought (now, on its go-live date, on approval) records it here
the moment the order is placed, before Microsoft has provisioned it: a `provisioning` row with
the cart (and, once checked out, the Partner Center order), its purchase seat lot and an `order`
history row with who, when and the unit price. `complete_order()` later turns it active with
Partner Center's subscription id, status, term and start, exactly once: a conditional UPDATE
that only one caller can win. `fail_order()` marks an order Microsoft will never provision.

The history row names the price list entry the order was charged at (when the price came from
a list and that entry still holds it), which locks that entry against same-day corrections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, delete, select, update

from o365portal.db.enums import ChangeOrigin, SeatLotReason
from o365portal.db.tables.subscriptions import SeatLot, Subscription, SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.money import Money
from o365portal.domain.nce import CANCELLATION_WINDOW
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.services.pricing._store import CatalogItemRef, charged_entry

PROVISIONING = "provisioning"  # recorded, Microsoft has not provisioned it yet
FAILED = "failed"  # Microsoft will not provision it (`last_error` says why)


@dataclass(frozen=True)
class Purchase:
    """What the portal knows about an order before Partner Center has provisioned it."""

    tenant_id: int
    ref: CatalogItemRef
    friendly_name: str
    po_number: str | None
    quantity: int
    actor_account_id: int | None
    origin: ChangeOrigin
    unit_price: Decimal
    currency: str
    note: str
    cart_id: str | None = None  # the Partner Center cart, stored before checkout
    order_id: str | None = None  # the Partner Center order, once checked out
    base_subscription_id: int | None = None  # the subscription an add-on extends


def record_order(session: Session, purchase: Purchase, now: datetime) -> Subscription:
    """Store the ordered subscription as `provisioning`, its seat lot and an `order` history row."""
    row = Subscription(
        **vars(purchase.ref),
        tenant_id=purchase.tenant_id,
        friendly_name=purchase.friendly_name,
        po_number=purchase.po_number,
        quantity=purchase.quantity,
        status=PROVISIONING,
        auto_renew=True,
        started_at=now,
        cart_id=purchase.cart_id,
        order_id=purchase.order_id,
        created_by_account_id=purchase.actor_account_id,
        base_subscription_id=purchase.base_subscription_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(_lot(row.id, purchase.quantity, now))
    entry_id = charged_entry(
        session, purchase.tenant_id, purchase.ref, now.date(),
        Money(purchase.unit_price, purchase.currency),
    )  # fmt: skip
    session.add(_history(row, purchase, now, entry_id))
    if purchase.base_subscription_id is not None:
        session.add(_addon_history(row, purchase, now))
    return row


def _addon_history(row: Subscription, purchase: Purchase, now: datetime) -> SubscriptionHistory:
    """The base subscription's history line of an add-on ordered for it."""
    assert purchase.base_subscription_id is not None
    return SubscriptionHistory(
        subscription_id=purchase.base_subscription_id,
        actor_account_id=purchase.actor_account_id,
        origin=purchase.origin,
        at=now,
        action="addon",
        after={
            "addon": row.friendly_name,
            "addon_seats": purchase.quantity,
            "order_id": row.order_id,
            "note": purchase.note,
        },
        unit_price=purchase.unit_price,
        currency=purchase.currency,
    )


def organization_of(session: Session, subscription_id: int) -> int | None:
    """The organization whose tenant holds the subscription."""
    return session.exec(
        select(Tenant.organization_id)
        .join(Subscription, col(Subscription.tenant_id) == col(Tenant.id))
        .where(col(Subscription.id) == subscription_id)
    ).first()


def confirm_order(session: Session, subscription_id: int, order_id: str) -> None:
    """Remember the Partner Center order a checkout created (on the row and its history)."""
    session.exec(
        update(Subscription)
        .where(col(Subscription.id) == subscription_id)
        .where(col(Subscription.order_id).is_(None))
        .values(order_id=order_id)
    )
    ordered = session.exec(
        select(SubscriptionHistory)
        .where(SubscriptionHistory.subscription_id == subscription_id)
        .where(SubscriptionHistory.action == "order")
    ).first()
    if ordered is not None and not (ordered.after or {}).get("order_id"):
        ordered.after = {**(ordered.after or {}), "order_id": order_id}
        session.add(ordered)


def forget_order(session: Session, subscription_id: int) -> None:
    """Remove an order Partner Center refused at checkout: nothing was bought."""
    session.exec(delete(SeatLot).where(col(SeatLot.subscription_id) == subscription_id))
    session.exec(
        delete(SubscriptionHistory).where(
            col(SubscriptionHistory.subscription_id) == subscription_id
        )
    )
    session.exec(delete(Subscription).where(col(Subscription.id) == subscription_id))


def complete_order(session: Session, subscription_id: int, pc: PcSubscription) -> bool:
    """Turn a `provisioning` row into Partner Center's subscription; False if already done."""
    row = session.get(Subscription, subscription_id)
    if row is None:
        return False
    started = pc.effective_start_date or pc.creation_date or row.started_at
    won = session.exec(
        update(Subscription)
        .where(col(Subscription.id) == subscription_id)
        .where(col(Subscription.status) == PROVISIONING)
        .values(
            pc_subscription_id=pc.id,
            friendly_name=pc.friendly_name or row.friendly_name,
            quantity=pc.quantity,
            status=str(pc.status).lower(),
            auto_renew=bool(pc.auto_renew_enabled),
            started_at=started,
            term_end_at=pc.commitment_end_date_time or pc.commitment_end_date or started,
            last_error=None,
        )
    ).rowcount
    if won != 1:
        return False
    session.exec(
        update(SeatLot)
        .where(col(SeatLot.subscription_id) == subscription_id)
        .where(col(SeatLot.reason) == SeatLotReason.PURCHASE)
        .values(added_at=started, reducible_until=started + CANCELLATION_WINDOW)
    )
    return True


def fail_order(session: Session, subscription_id: int, reason: str) -> bool:
    """Mark a `provisioning` row failed with the reason (its seats were never bought)."""
    won = session.exec(
        update(Subscription)
        .where(col(Subscription.id) == subscription_id)
        .where(col(Subscription.status) == PROVISIONING)
        .values(status=FAILED, last_error=reason)
    ).rowcount
    if won == 1:
        session.exec(delete(SeatLot).where(col(SeatLot.subscription_id) == subscription_id))
    return won == 1


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
