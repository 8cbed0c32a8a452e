"""Placing scheduled orders on their go-live day, exactly once.

Three guards stack up. The job runs under a DB lease, so normally one worker places orders. Each
order is claimed with one conditional UPDATE (`scheduled` -> `placing`), so two runners that
both got this far still can't both take it. And the Partner Center cart is created once and its
id stored before checkout; a runner that died after checking out leaves the order `placing`, and
once that claim is stale the next runner checks the SAME cart out again, which Partner Center
answers with the first checkout's order (a row already recorded for that order is reused, and
the subscription id is unique as a last stop). The price is the one in force on the day the
order is placed.

Once Microsoft has accepted the checkout, the order is recorded the way every order is
(`subscription_records.record_order`: a `provisioning` subscription with its seat lot and
history) in the same transaction that marks it `placed`; the `order-provisioning` job turns it
active when Microsoft has provisioned it, so no round waits for Microsoft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin, ScheduledOrderStatus
from o365portal.db.tables.scheduled_orders import ScheduledOrder
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.models import Order
from o365portal.services import changes, clock
from o365portal.services.errors import NotForSale, PartnerCenterFailed
from o365portal.services.ordering._partner_center import (
    cart_line,
    checkout_cart,
    create_cart,
)
from o365portal.services.ordering._records import Purchase, record_order
from o365portal.services.partner_center import partner_center
from o365portal.services.pricing import _quote as pricing
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal, Role

STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5
JOB_PRINCIPAL = Principal(
    account_id=0, email="", name="Scheduled orders", role=Role.BROKER, organization_id=None
)

_SCHEDULED, _PLACING = ScheduledOrderStatus.SCHEDULED, ScheduledOrderStatus.PLACING


@dataclass(frozen=True)
class _Claimed:
    row: ScheduledOrder
    customer_id: str

    @property
    def ref(self) -> CatalogItemRef:
        return CatalogItemRef.of(self.row)


def _claimable(stale_after: timedelta) -> ColumnElement[bool]:
    stale = datetime.now(UTC) - stale_after
    return or_(
        col(ScheduledOrder.status) == _SCHEDULED,
        (col(ScheduledOrder.status) == _PLACING) & (col(ScheduledOrder.updated_at) < stale),
    )


def due_order_ids(stale_after: timedelta = STALE_AFTER) -> list[int]:
    """Scheduled orders whose go-live day has come (or whose placing was abandoned)."""
    with session_scope() as session:
        query = (
            select(ScheduledOrder.id)
            .where(ScheduledOrder.go_live_date <= clock.today())
            .where(_claimable(stale_after))
            .order_by(col(ScheduledOrder.id))
        )
        return [row_id for row_id in session.exec(query).all() if row_id is not None]


def claim(order_id: int, stale_after: timedelta = STALE_AFTER) -> _Claimed | None:
    """Take one due order for this runner (`placing`); None if someone else has it."""
    with session_scope() as session:
        changed = session.exec(
            update(ScheduledOrder)
            .where(col(ScheduledOrder.id) == order_id)
            .where(_claimable(stale_after))
            .values(
                status=_PLACING, attempts=ScheduledOrder.attempts + 1, updated_at=datetime.now(UTC)
            )
        ).rowcount
        if changed != 1:
            return None
        row = session.get(ScheduledOrder, order_id)
        tenant = session.get(Tenant, row.tenant_id) if row else None
        if row is None or tenant is None or tenant.customer_id is None:
            return None
        return _Claimed(row, tenant.customer_id)


def _set(order_id: int, **values: object) -> None:
    with session_scope() as session:
        session.exec(
            update(ScheduledOrder).where(col(ScheduledOrder.id) == order_id).values(**values)
        )


def _failed(claimed: _Claimed, failure: PartnerCenterFailed | NotForSale) -> None:
    retry = isinstance(failure, PartnerCenterFailed) and failure.retryable
    again = retry and claimed.row.attempts < MAX_ATTEMPTS
    status = _SCHEDULED if again else ScheduledOrderStatus.FAILED
    _set(claimed.row.id or 0, status=status, last_error=str(failure))
    changes.announce(claimed.row.organization_id, changes.SUBSCRIPTIONS)


def _record(claimed: _Claimed, quote: pricing.PriceQuoteView, cart_id: str, order: Order) -> int:
    row = claimed.row
    with session_scope() as session:
        existing = session.exec(
            select(Subscription.id).where(Subscription.order_id == order.id)
        ).first()
        if existing is None:
            purchase = Purchase(
                tenant_id=row.tenant_id,
                ref=claimed.ref,
                friendly_name=row.friendly_name,
                po_number=row.po_number,
                quantity=row.quantity,
                actor_account_id=row.created_by_account_id,
                origin=ChangeOrigin.SYSTEM,
                unit_price=quote.unit_price,
                currency=quote.currency,
                note=f"scheduled order for {row.go_live_date.isoformat()}",
                cart_id=cart_id,
                order_id=order.id,
            )
            existing = record_order(session, purchase, clock.now()).id
        session.exec(
            update(ScheduledOrder)
            .where(col(ScheduledOrder.id) == row.id)
            .values(
                status=ScheduledOrderStatus.PLACED, placed_subscription_id=existing, last_error=None
            )
        )
    changes.announce(row.organization_id, changes.SUBSCRIPTIONS)
    return existing or 0


async def _buy(pc: PartnerCenterClient, claimed: _Claimed) -> tuple[str, Order]:
    row = claimed.row
    cart_id = row.cart_id
    if cart_id is None:
        line = cart_line(claimed.ref, row.quantity, row.friendly_name)
        cart_id = await create_cart(pc, claimed.customer_id, line)
        _set(row.id or 0, cart_id=cart_id)
    return cart_id, await checkout_cart(pc, claimed.customer_id, cart_id)


async def place_claimed(pc: PartnerCenterClient, claimed: _Claimed) -> int | None:
    """Price and order one claimed order; the recorded subscription's id, or None if it failed."""
    row = claimed.row
    try:
        quote = pricing.quote(
            actor=JOB_PRINCIPAL,
            organization_id=row.organization_id,
            item=claimed.ref,
            quantity=row.quantity,
            on=clock.today(),
        )
        cart_id, order = await _buy(pc, claimed)
    except (PartnerCenterFailed, NotForSale) as failure:
        _failed(claimed, failure)
        return None
    return _record(claimed, quote, cart_id, order)


async def place_due_orders(
    *, pc: PartnerCenterClient | None = None, stale_after: timedelta = STALE_AFTER
) -> list[int]:
    """Place every due scheduled order this runner can claim; the subscriptions recorded."""
    due = due_order_ids(stale_after)
    if not due:
        return []
    if pc is None:
        async with partner_center() as client:
            return await _place_all(client, due, stale_after)
    return await _place_all(pc, due, stale_after)


async def _place_all(pc: PartnerCenterClient, due: list[int], stale_after: timedelta) -> list[int]:
    placed = []
    for order_id in due:
        claimed = claim(order_id, stale_after)
        if claimed is not None and (subscription_id := await place_claimed(pc, claimed)):
            placed.append(subscription_id)
    return placed
