"""Who holds what: a portal user with its tenant, and the tenant's subscriptions as seats.

Entra assigns licences per SKU (the catalog's provisioning id); the portal shows them per
subscription. A subscription's seats in use are its share of its SKU's assigned licences, by
the same rule as the Subscriptions page (`subscriptions._facts.licences_in_use`), so both pages
say the same. A SKU's free seats are the seats of its active subscriptions less its assigned
licences: that is what Microsoft checks when it assigns one (error 60012 when none is free).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from o365portal.db.tables.m365_users import M365User
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.services.errors import NotFound, ServiceError
from o365portal.services.principal import Principal
from o365portal.services.subscriptions._facts import SEATED, licences_in_use, read_facts


class UsageLocationMissing(ServiceError):
    """Microsoft assigns no licence to a user without a usage location (error 60013)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} has no usage location. Microsoft needs it to know which services may be "
            "used there: set the user's usage location first, then assign the licence."
        )


@dataclass(frozen=True)
class Seat:
    """One subscription of the tenant whose seats are licences of an Entra SKU."""

    subscription_id: int
    friendly_name: str
    product: str
    entra_sku: str  # lower case
    status: str
    quantity: int
    consumed: int | None  # its share of the SKU's assigned licences; None: never synced


@dataclass(frozen=True)
class Tenancy:
    """A tenant's seats and its SKUs' free seats (None: never synced)."""

    tenant_id: int
    organization_id: int
    customer_id: str
    seats: tuple[Seat, ...]
    free: dict[str, int | None]  # by Entra SKU, lower case

    def seat(self, subscription_id: int) -> Seat | None:
        """The seat row of one subscription, if the tenant has it."""
        return next((s for s in self.seats if s.subscription_id == subscription_id), None)

    def of_sku(self, sku: str) -> list[Seat]:
        """The active subscriptions of an SKU, the oldest first (seats are bought there)."""
        return [s for s in self.seats if s.entra_sku == sku and s.status == "active"]


@dataclass(frozen=True)
class Holder:
    """A portal user of a tenant and the Entra SKUs it holds."""

    id: int
    pc_user_id: str
    name: str  # display name, else the sign-in name
    user_principal_name: str
    usage_location: str | None
    active: bool
    skus: frozenset[str]  # lower case


def _holder(row: M365User) -> Holder:
    return Holder(
        id=row.id or 0,
        pc_user_id=row.pc_user_id,
        name=row.display_name or row.user_principal_name,
        user_principal_name=row.user_principal_name,
        usage_location=row.usage_location,
        active=row.state == "active" and row.soft_deleted_at is None,
        skus=frozenset(a.provisioning_sku_id.lower() for a in row.licence_assignments),
    )


def load_holders(
    session: Session, actor: Principal, user_ids: list[int]
) -> tuple[Tenancy, list[Holder]]:
    """The users (all of one tenant the actor sees) and that tenant's seats; NotFound else."""
    rows = session.exec(
        select(M365User)
        .where(col(M365User.id).in_(user_ids))
        .execution_options(populate_existing=True)
    ).all()
    by_id = {row.id: row for row in rows}
    if not user_ids or len(by_id) != len(set(user_ids)):
        raise NotFound("user")
    tenant_ids = {row.tenant_id for row in rows}
    tenant = session.get(Tenant, next(iter(tenant_ids)))
    if len(tenant_ids) != 1 or tenant is None:
        raise NotFound("user")
    if not actor.may_see_organization(tenant.organization_id):
        raise NotFound("user")
    return load_tenancy(session, tenant), [_holder(by_id[i]) for i in dict.fromkeys(user_ids)]


def load_tenancy(session: Session, tenant: Tenant) -> Tenancy:
    """The tenant's subscriptions as seats, each with its share of use, and free seats per SKU."""
    rows = session.exec(
        select(Subscription)
        .where(Subscription.tenant_id == tenant.id)
        .where(col(Subscription.status).in_(SEATED))
        .order_by(col(Subscription.started_at), col(Subscription.id))
    ).all()
    facts = read_facts(session, tenant.organization_id, {row.product_id for row in rows})
    shares = licences_in_use(rows, facts)
    seats = []
    for row in rows:
        product = facts.product(row.product_id, row.sku_id)
        if product is None or not product.entra_sku:
            continue  # no licence of its own to assign (or not in the catalog cache)
        seats.append(
            Seat(
                subscription_id=row.id or 0,
                friendly_name=row.friendly_name,
                product=product.title,
                entra_sku=product.entra_sku.lower(),
                status=row.status,
                quantity=row.quantity,
                consumed=shares.get(row.id or 0),
            )
        )
    free: dict[str, int | None] = {}
    for seat in seats:
        consumed = facts.consumed.get((tenant.id or 0, seat.entra_sku))
        bought = sum(
            s.quantity for s in seats if s.entra_sku == seat.entra_sku and s.status == "active"
        )
        free[seat.entra_sku] = None if consumed is None else bought - consumed
    return Tenancy(
        tenant_id=tenant.id or 0,
        organization_id=tenant.organization_id,
        customer_id=tenant.customer_id or "",
        seats=tuple(seats),
        free=free,
    )
