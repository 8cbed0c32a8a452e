"""The subscription a change is about: found, checked against the actor, read as one value.

Every action of the Subscriptions page starts here: the actor must see the subscription's
organization (anyone else gets NotFound, never a hint that it exists), and the subscription
must be one Microsoft knows (provisioned, not failed or cancelled) for anything but reading.
"""

from __future__ import annotations

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


def _lots(session: Session, subscription_id: int) -> tuple[DomainLot, ...]:
    rows = session.exec(
        select(SeatLot)
        .where(SeatLot.subscription_id == subscription_id)
        .order_by(col(SeatLot.added_at))
    ).all()
    return tuple(DomainLot(row.quantity, row.added_at, LotReason(row.reason)) for row in rows)


def load_subject(
    session: Session, actor: Principal, subscription_id: int, *, changing: bool = True
) -> Subject:
    """The subscription as a Subject; NotFound unless the actor sees it, NotChangeable when
    `changing` and Microsoft would refuse any change (not provisioned, failed, cancelled)."""
    found = session.exec(
        select(Subscription, Tenant)
        .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
        .where(Subscription.id == subscription_id)
    ).first()
    if found is None or not actor.may_see_organization(found[1].organization_id):
        raise NotFound("subscription")
    row, tenant = found
    if session.get(Organization, tenant.organization_id) is None:
        raise NotFound("subscription")
    lots = _lots(session, subscription_id)
    ready = row.pc_subscription_id and tenant.customer_id and lots
    if changing and (not ready or row.status not in CHANGEABLE):
        raise NotChangeable(
            f"{row.friendly_name} is {row.status}: Microsoft accepts no change to it now."
        )
    return Subject(
        id=subscription_id,
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
        price_days=tuple(
            price.effective_from
            for price in session.exec(
                select(SubscriptionPrice)
                .where(SubscriptionPrice.subscription_id == subscription_id)
                .order_by(col(SubscriptionPrice.effective_from))
            ).all()
        ),
    )
