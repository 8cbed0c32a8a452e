"""The subscription a change is about: found, checked against the actor, read as one value.

Every action of the Subscriptions page starts here: the actor must see the subscription's
organization (anyone else gets NotFound, never a hint that it exists), and the subscription
must be one Microsoft knows (provisioned, not failed or cancelled) for anything but reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.subscriptions import SeatLot, Subscription, SubscriptionPrice
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.nce import LotReason
from o365portal.domain.nce import SeatLot as DomainLot
from o365portal.services.errors import NotFound, ServiceError
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal

CHANGEABLE = ("active", "suspended")


class NotChangeable(ServiceError):
    """The subscription is not in a state Microsoft accepts changes in."""


@dataclass(frozen=True)
class Subject:
    """One subscription with what every action needs to decide and to call Partner Center."""

    id: int
    organization_id: int
    tenant_id: int
    customer_id: str  # Partner Center's customer id of the tenant
    pc_subscription_id: str
    friendly_name: str
    item: CatalogItemRef
    quantity: int
    status: str
    auto_renew: bool
    term_end: date | None
    lots: tuple[DomainLot, ...]
    renewal_changes: dict[str, object] | None
    price_days: tuple[date, ...]  # the days its own sales prices start (Edit sales price)

    @property
    def term(self) -> Term:
        """The subscription's term (P1M, P1Y, P3Y)."""
        return Term.parse(self.item.term)

    @property
    def billing_cycle(self) -> BillingCycle:
        """How often it is charged."""
        return BillingCycle.parse(self.item.billing_cycle)

    @property
    def term_start(self) -> date:
        """The day the current term began: its purchase or latest renewal lot."""
        starts = [lot.added_at for lot in self.lots if lot.reason is not LotReason.ADDITION]
        return max(starts).date()


def _lots(session: Session, subscription_ids: Collection[int]) -> dict[int, tuple[DomainLot, ...]]:
    rows = session.exec(
        select(SeatLot)
        .where(col(SeatLot.subscription_id).in_(sorted(subscription_ids)))
        .order_by(col(SeatLot.added_at), col(SeatLot.id))
    ).all()
    found: dict[int, list[DomainLot]] = defaultdict(list)
    for row in rows:
        found[row.subscription_id].append(
            DomainLot(row.quantity, row.added_at, LotReason(row.reason))
        )
    return {key: tuple(lots) for key, lots in found.items()}


def _price_days(session: Session, subscription_ids: Collection[int]) -> dict[int, list[date]]:
    rows = session.exec(
        select(SubscriptionPrice)
        .where(col(SubscriptionPrice.subscription_id).in_(sorted(subscription_ids)))
        .order_by(col(SubscriptionPrice.effective_from))
    ).all()
    found: dict[int, list[date]] = defaultdict(list)
    for price in rows:
        found[price.subscription_id].append(price.effective_from)
    return found


def load_subjects(
    session: Session, actor: Principal, subscription_ids: Collection[int]
) -> dict[int, Subject]:
    """The subscriptions of `subscription_ids` the actor sees, as Subjects to read (by id), in
    a fixed number of queries; the others are left out."""
    found = session.exec(
        select(Subscription, Tenant)
        .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
        .join(Organization, col(Organization.id) == col(Tenant.organization_id))
        .where(col(Subscription.id).in_(sorted(subscription_ids)))
    ).all()
    seen = [
        (row, tenant) for row, tenant in found if actor.may_see_organization(tenant.organization_id)
    ]
    ids = [row.id or 0 for row, _ in seen]
    lots, days = _lots(session, ids), _price_days(session, ids)
    return {
        row.id or 0: _subject(row, tenant, lots.get(row.id or 0, ()), days.get(row.id or 0, []))
        for row, tenant in seen
    }


def _subject(
    row: Subscription, tenant: Tenant, lots: tuple[DomainLot, ...], price_days: list[date]
) -> Subject:
    return Subject(
        id=row.id or 0,
        organization_id=tenant.organization_id,
        tenant_id=tenant.id or 0,
        customer_id=tenant.customer_id or "",
        pc_subscription_id=row.pc_subscription_id or "",
        friendly_name=row.friendly_name,
        item=CatalogItemRef.of(row),
        quantity=row.quantity,
        status=row.status,
        auto_renew=row.auto_renew,
        term_end=row.term_end_at.date() if row.term_end_at else None,
        lots=lots,
        renewal_changes=row.renewal_changes,
        price_days=tuple(price_days),
    )


def load_subject(
    session: Session, actor: Principal, subscription_id: int, *, changing: bool = True
) -> Subject:
    """The subscription as a Subject; NotFound unless the actor sees it, NotChangeable when
    `changing` and Microsoft would refuse any change (not provisioned, failed, cancelled)."""
    subject = load_subjects(session, actor, [subscription_id]).get(subscription_id)
    if subject is None:
        raise NotFound("subscription")
    ready = subject.pc_subscription_id and subject.customer_id and subject.lots
    if changing and (not ready or subject.status not in CHANGEABLE):
        raise NotChangeable(
            f"{subject.friendly_name} is {subject.status}: Microsoft accepts no change to it now."
        )
    return subject
