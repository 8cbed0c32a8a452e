"""Refreshing one named resource: read it from Partner Center now, then apply it in one
transaction (together with whatever the caller must write in the same transaction, e.g. the
audit cursor). Audit records and webhooks only name what to refresh; the values always come
from this read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.sync import TenantSync
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import NotFoundError
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.partner_center.models.customers import Customer
from o365portal.partner_center.models.users import CustomerUser, License, SubscribedSku
from o365portal.services import changes, clock
from o365portal.services.sync import _records as records
from o365portal.services.sync._records import Cause

# What a change names: a customer, one subscription, all of a customer's subscriptions (a new
# order), one user (with its licences), or the customer's SKU counts.
CUSTOMER, SUBSCRIPTION, SUBSCRIPTIONS, USER, SKUS = (
    "customer", "subscription", "subscriptions", "user", "skus",
)  # fmt: skip


@dataclass(frozen=True)
class Target:
    """One resource to refresh."""

    kind: str
    customer_id: str
    resource_id: str = ""


@dataclass
class Read:
    """What Partner Center answered for a target (None: it no longer has it)."""

    target: Target
    customer: Customer | None = None
    subscriptions: list[PcSubscription] = field(default_factory=list)
    user: CustomerUser | None = None
    licences: list[License] | None = None
    skus: list[SubscribedSku] = field(default_factory=list)
    gone: bool = False


def linked_tenant(session: Session, customer_id: str) -> Tenant | None:
    """The portal's tenant of a Partner Center customer, if an organization has it."""
    return session.exec(
        select(Tenant)
        .where(Tenant.customer_id == customer_id)
        .where(Tenant.status == TenantStatus.ACTIVE)
    ).first()


def is_linked(customer_id: str) -> bool:
    """Whether an organization has this customer's tenant (only then are its details synced)."""
    with session_scope() as session:
        return linked_tenant(session, customer_id) is not None


async def read(pc: PartnerCenterClient, target: Target) -> Read:
    """Read a target from Partner Center."""
    answer = Read(target)
    customer_id = target.customer_id
    try:
        if target.kind == CUSTOMER:
            answer.customer = await pc.customers.get(customer_id)
        elif target.kind == SUBSCRIPTION:
            answer.subscriptions = [await pc.subscriptions.get(customer_id, target.resource_id)]
        elif target.kind == SUBSCRIPTIONS:
            answer.subscriptions = await pc.subscriptions.list(customer_id)
        elif target.kind == USER:
            answer.user = await pc.users.get(customer_id, target.resource_id)
            answer.licences = await _licences(pc, customer_id, answer.user)
        else:
            answer.skus = await pc.licenses.subscribed_skus(customer_id)
    except NotFoundError:
        answer.gone = True
    return answer


async def _licences(
    pc: PartnerCenterClient, customer_id: str, user: CustomerUser
) -> list[License] | None:
    if str(user.state or "active").lower() != "active" or user.id is None:
        return []  # a deleted user holds no licence
    return await pc.licenses.of_user(customer_id, user.id)


def apply(session: Session, answer: Read, cause: Cause, now: datetime) -> int:
    """Apply what was read; the number of changes made."""
    target = answer.target
    if target.kind == CUSTOMER:
        if answer.gone or answer.customer is None:
            return records.forget_customer(session, target.customer_id)
        return records.apply_customer(session, answer.customer, now)
    tenant = linked_tenant(session, target.customer_id)
    if tenant is None:
        return 0
    if answer.gone:
        if target.kind == USER:
            return records.forget_user(session, tenant, target.resource_id, cause)
        return 0
    changes = _apply_to_tenant(session, tenant, answer, cause, now)
    mark_synced(session, tenant, now, full=False)
    return changes


def _apply_to_tenant(
    session: Session, tenant: Tenant, answer: Read, cause: Cause, now: datetime
) -> int:
    if answer.target.kind in (SUBSCRIPTION, SUBSCRIPTIONS):
        return sum(
            records.apply_subscription(session, tenant, pc, cause, now)
            for pc in answer.subscriptions
        )
    if answer.target.kind == USER and answer.user is not None:
        return records.apply_user(session, tenant, answer.user, answer.licences, cause, now)
    return records.apply_subscribed_skus(session, tenant, answer.skus, now)


def mark_synced(session: Session, tenant: Tenant, now: datetime, *, full: bool) -> None:
    """Stamp the tenant's sync status (and clear its last error)."""
    status = tenant_status(session, tenant)
    if full:
        status.last_full_at = now
    status.last_incremental_at = now
    status.last_error = None
    session.add(status)


def tenant_status(session: Session, tenant: Tenant) -> TenantSync:
    """The tenant's sync status row (new if it has none yet)."""
    assert tenant.id is not None
    found = session.exec(select(TenantSync).where(TenantSync.tenant_id == tenant.id)).first()
    return found or TenantSync(tenant_id=tenant.id)


async def refresh(
    pc: PartnerCenterClient,
    targets: list[Target],
    cause: Cause,
    *,
    also: Callable[[Session], None] | None = None,
) -> int:
    """Read the targets, then apply them (and `also`) in one transaction; changes made."""
    answers = [await read(pc, target) for target in targets]
    now = clock.now()
    notices: list[tuple[int | None, tuple[str, ...]]] = []
    made = 0
    with session_scope() as session:
        for answer in answers:
            applied = apply(session, answer, cause, now)
            if applied:
                notices.append(_notice(session, answer.target))
            made += applied
        if also is not None:
            also(session)
    for organization_id, topics in notices:
        changes.announce(organization_id, *topics)
    return made


def _notice(session: Session, target: Target) -> tuple[int | None, tuple[str, ...]]:
    """Whose pages show what changed (after the commit, `changes.announce` tells them)."""
    if target.kind == CUSTOMER:
        return None, (changes.UNLINKED, changes.BADGES)
    tenant = linked_tenant(session, target.customer_id)
    organization_id = tenant.organization_id if tenant else None
    if target.kind == USER:
        return organization_id, (changes.USERS,)
    if target.kind == SKUS:
        return organization_id, (changes.USERS, changes.SUBSCRIPTIONS)
    return organization_id, (changes.SUBSCRIPTIONS, changes.BADGES)


def remember_customers(customers: list[Customer]) -> int:
    """Store a complete, fresh list of the broker's Partner Center customers (e.g. the one the
    unlinked-tenants page just read); the number of changes."""
    with session_scope() as session:
        made = records.remember_customers(session, customers, clock.now())
    if made:
        changes.announce(None, changes.UNLINKED, changes.BADGES)
    return made
