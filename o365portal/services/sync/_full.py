"""The full reconcile: every customer, subscription, user and licence, read with each paging
style Partner Center uses (seek paging for customers and users, whole collections for
subscriptions and SKU counts), compared with the portal's copy.

It catches what the audit log and webhooks missed (late or absent audit records, e.g. renewals
and expiries), and its first run imports a whole existing Partner Center account. Customers are
worked a few at a time (`concurrency`); the client paces the calls under the rate limit and
waits out a 429's `Retry-After`. Each customer is applied in one transaction, so a pass killed
midway leaves finished customers done and the rest for the next pass.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.models.customers import Customer
from o365portal.partner_center.models.users import CustomerUser, License
from o365portal.services import changes as feed
from o365portal.services import clock
from o365portal.services.sync import _records as records
from o365portal.services.sync._incremental import start_cursors_at
from o365portal.services.sync._records import Cause
from o365portal.services.sync._refresh import linked_tenant, mark_synced, remember_customers

Progress = Callable[[int, int, int], None]  # done, total, changes
USERS_PAGE = 500


async def full_pass(
    pc: PartnerCenterClient,
    started: datetime,
    progress: Progress | None = None,
    concurrency: int = 4,
) -> int:
    """Reconcile everything; the number of changes made."""
    customers = [c async for c in pc.customers.iterate(size=500) if c.id]
    changes = remember_customers(customers)
    total, done = len(customers), 0
    gate = asyncio.Semaphore(max(1, concurrency))
    cause = Cause(source="reconcile")

    async def one(customer: Customer) -> int:
        async with gate:
            return await _reconcile_customer(pc, customer, cause)

    tasks = [asyncio.ensure_future(one(customer)) for customer in customers]
    try:
        for finished in asyncio.as_completed(tasks):
            changes += await finished
            done += 1
            if progress is not None:
                progress(done, total, changes)
    finally:
        for task in tasks:
            task.cancel()
    with session_scope() as session:
        start_cursors_at(session, started)
    return changes


async def reconcile_customer(pc: PartnerCenterClient, customer_id: str) -> int:
    """Reconcile one customer (the tenant's "Sync now"); the number of changes made."""
    customer = await pc.customers.get(customer_id)
    with session_scope() as session:
        changes = records.apply_customer(session, customer, clock.now())
    return changes + await _reconcile_customer(pc, customer, Cause(source="reconcile"))


async def _reconcile_customer(pc: PartnerCenterClient, customer: Customer, cause: Cause) -> int:
    assert customer.id is not None
    with session_scope() as session:
        if linked_tenant(session, customer.id) is None:
            return 0
    subscriptions = await pc.subscriptions.list(customer.id)
    users = [u async for u in pc.users.iterate(customer.id, size=USERS_PAGE)]
    deleted = [u async for u in pc.users.iterate(customer.id, deleted=True, size=USERS_PAGE)]
    licences = {
        user.id: await pc.licenses.of_user(customer.id, user.id) for user in users if user.id
    }
    skus = await pc.licenses.subscribed_skus(customer.id)
    now = clock.now()
    with session_scope() as session:
        tenant = linked_tenant(session, customer.id)
        if tenant is None:
            return 0
        changes = sum(
            records.apply_subscription(session, tenant, sub, cause, now) for sub in subscriptions
        )
        changes += _apply_users(session, tenant, [*users, *deleted], licences, cause, now)
        changes += records.apply_subscribed_skus(session, tenant, skus, now)
        mark_synced(session, tenant, now, full=True)
        organization_id = tenant.organization_id
    if changes:
        feed.announce(organization_id, feed.SUBSCRIPTIONS, feed.USERS, feed.BADGES)
    return changes


def _apply_users(
    session: Session,
    tenant: Tenant,
    users: list[CustomerUser],
    licences: dict[str, list[License]],
    cause: Cause,
    now: datetime,
) -> int:
    copies = records.UserCopies.of_tenant(session, tenant)
    purged = set(copies.rows) - {user.id for user in users}
    changes = sum(
        records.apply_user(
            session, tenant, user, licences.get(user.id or "", []), cause, now, copies
        )
        for user in users
    )
    return changes + sum(records.forget_user(session, tenant, pid, cause) for pid in purged)
