"""Placing an order without waiting for Microsoft, and the job that finishes it.

`order_now()` creates the cart, records the order as a `provisioning` subscription with the
cart id (before checkout), checks the cart out and stores the Partner Center order: the caller
returns as soon as Microsoft has accepted the order. A refusal at checkout removes the record
(nothing was bought); a checkout whose answer never came keeps it, for the job to repeat.

`complete_provisioning()` is the `order-provisioning` job's round. For each order still waiting
it asks Partner Center whether the order is provisioned and, if so, records the subscription id,
status, term and the seat lot's start (`subscription_records.complete_order`, a conditional
UPDATE, so two runners never both complete it). An order without a confirmed checkout, left by a
worker that died or lost Partner Center's answer, is claimed once it is `STALE_AFTER` old and its
stored cart is checked out again: Partner Center answers with the first checkout's order, if
there was one, so nothing is bought twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select, update

from o365portal.db.engine import session_scope
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.models import CartLineItem, Order
from o365portal.services import changes, clock
from o365portal.services.errors import PartnerCenterFailed
from o365portal.services.ordering._partner_center import (
    checkout_cart,
    create_cart,
    provisioned,
)
from o365portal.services.ordering._records import (
    PROVISIONING,
    Purchase,
    complete_order,
    confirm_order,
    fail_order,
    forget_order,
    organization_of,
    record_order,
)
from o365portal.services.partner_center import partner_center

STALE_AFTER = timedelta(minutes=2)  # an unconfirmed checkout older than this was abandoned
logger = logging.getLogger("o365portal.ordering")


@dataclass(frozen=True)
class PlacedOrder:
    """An order recorded as `provisioning`; `confirmed` once Microsoft accepted the checkout."""

    subscription_id: int
    confirmed: bool


@dataclass(frozen=True)
class _Waiting:
    subscription_id: int
    organization_id: int
    customer_id: str
    cart_id: str | None
    order_id: str | None


def _record(purchase: Purchase, also: Callable[[Session], None] | None) -> int:
    with session_scope() as session:
        row = record_order(session, purchase, clock.now())
        assert row.id is not None
        organization_id = organization_of(session, row.id)
        if also is not None:
            also(session)
    changes.announce(organization_id, changes.SUBSCRIPTIONS)
    return row.id


def _confirm(subscription_id: int, order: Order) -> None:
    assert order.id is not None
    with session_scope() as session:
        confirm_order(session, subscription_id, order.id)


def _forget(subscription_id: int) -> None:
    with session_scope() as session:
        organization_id = organization_of(session, subscription_id)
        forget_order(session, subscription_id)
    changes.announce(organization_id, changes.SUBSCRIPTIONS)


async def order_now(
    pc: PartnerCenterClient,
    customer_id: str,
    line: CartLineItem,
    purchase: Purchase,
    also: Callable[[Session], None] | None = None,
) -> PlacedOrder:
    """Create the cart, record the order (and run `also` in the same transaction), check out;
    return without waiting for provisioning."""
    cart_id = await create_cart(pc, customer_id, line)
    subscription_id = _record(replace(purchase, cart_id=cart_id), also)
    try:
        order = await checkout_cart(pc, customer_id, cart_id)
    except PartnerCenterFailed as failure:
        if failure.retryable:  # the answer may be lost, not the order: the job checks out again
            return PlacedOrder(subscription_id, confirmed=False)
        _forget(subscription_id)
        raise
    _confirm(subscription_id, order)
    return PlacedOrder(subscription_id, confirmed=True)


def _waiting(stale_after: timedelta) -> list[_Waiting]:
    stale = datetime.now(UTC) - stale_after
    with session_scope() as session:
        rows = session.exec(
            select(Subscription, Tenant.organization_id, Tenant.customer_id)
            .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
            .where(Subscription.status == PROVISIONING)
            .where(col(Subscription.order_id).is_not(None) | (col(Subscription.updated_at) < stale))
            .order_by(col(Subscription.id))
        ).all()
        return [
            _Waiting(row.id or 0, organization_id, customer_id, row.cart_id, row.order_id)
            for row, organization_id, customer_id in rows
            if customer_id is not None
        ]


def _claim(subscription_id: int, stale_after: timedelta) -> bool:
    """Take an abandoned checkout for this runner; False if another runner has it."""
    now = datetime.now(UTC)
    with session_scope() as session:
        changed = session.exec(
            update(Subscription)
            .where(col(Subscription.id) == subscription_id)
            .where(col(Subscription.status) == PROVISIONING)
            .where(col(Subscription.order_id).is_(None))
            .where(col(Subscription.updated_at) < now - stale_after)
            .values(updated_at=now)
        ).rowcount
        return bool(changed == 1)


def _fail(waiting: _Waiting, failure: PartnerCenterFailed) -> None:
    with session_scope() as session:
        failed = fail_order(session, waiting.subscription_id, str(failure))
    if failed:
        changes.announce(waiting.organization_id, changes.SUBSCRIPTIONS)


async def _order_id(pc: PartnerCenterClient, waiting: _Waiting, stale_after: timedelta) -> str:
    """The order of a waiting row; an abandoned checkout is repeated (claimed) first."""
    if waiting.order_id is not None:
        return waiting.order_id
    if waiting.cart_id is None or not _claim(waiting.subscription_id, stale_after):
        return ""
    order = await checkout_cart(pc, waiting.customer_id, waiting.cart_id)
    _confirm(waiting.subscription_id, order)
    return order.id or ""


async def _complete_one(pc: PartnerCenterClient, waiting: _Waiting, stale_after: timedelta) -> bool:
    try:
        order_id = await _order_id(pc, waiting, stale_after)
        subscription = await provisioned(pc, waiting.customer_id, order_id) if order_id else None
    except PartnerCenterFailed as failure:
        if failure.retryable:  # Partner Center unreachable: ask again next round
            logger.warning("order of subscription %s: %s", waiting.subscription_id, failure)
        else:
            _fail(waiting, failure)
        return False
    if subscription is None:
        return False
    with session_scope() as session:
        completed = complete_order(session, waiting.subscription_id, subscription)
    if completed:
        changes.announce(waiting.organization_id, changes.SUBSCRIPTIONS)
    return completed


async def complete_provisioning(
    *, pc: PartnerCenterClient | None = None, stale_after: timedelta = STALE_AFTER
) -> list[int]:
    """One round of the job: the ids of the subscriptions this runner turned active."""
    waiting = _waiting(stale_after)
    if not waiting:
        return []
    if pc is None:
        async with partner_center() as client:
            return await _complete_all(client, waiting, stale_after)
    return await _complete_all(pc, waiting, stale_after)


async def _complete_all(
    pc: PartnerCenterClient, waiting: list[_Waiting], stale_after: timedelta
) -> list[int]:
    completed = []
    for one in waiting:
        try:
            if await _complete_one(pc, one, stale_after):
                completed.append(one.subscription_id)
        except Exception:  # logged; one broken row must not hold up the orders after it
            logger.exception("order of subscription %s: completing failed", one.subscription_id)
    return completed
