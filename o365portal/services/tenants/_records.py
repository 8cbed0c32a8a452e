"""The portal's tenant rows: the pending row written before Partner Center is asked, its
completion (with the credentials e-mail in the same transaction), links, the cached Microsoft
Customer Agreement status, and views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.sync import PartnerCustomer
from o365portal.db.tables.tenants import Tenant
from o365portal.mail.templates import Email
from o365portal.services.outbox import _outbox as mail
from o365portal.services.principal import Principal


class DomainInUse(Exception):
    """Another organization's tenant row already has this domain."""


@dataclass(frozen=True)
class TenantView:
    """An organization's Microsoft 365 tenant as screens show it, every word written."""

    id: int
    organization_id: int
    domain: str
    customer_id: str
    relationship: str
    status: str
    created_at: str  # the day it was created in (or linked from) Partner Center, YYYY-MM-DD
    created_by: str
    mca_status: str  # accepted | not_accepted | unknown (never asked Partner Center)
    mca_label: str  # the status in words, e.g. "Accepted on 2026-11-24 by Anna Berg"


def tenant_view(session: Session, tenant: Tenant) -> TenantView:
    """The view of a tenant row, with the creator's name."""
    account = session.get(PortalAccount, tenant.created_by_account_id or 0)
    return TenantView(
        id=tenant.id or 0,
        organization_id=tenant.organization_id,
        domain=tenant.domain,
        customer_id=tenant.customer_id or "",
        relationship=tenant.relationship,
        status=tenant.status.value,
        created_at=f"{tenant.created_in_pc_at or tenant.created_at:%Y-%m-%d}",
        created_by=_name(account),
        mca_status=mca_status(tenant),
        mca_label=mca_label(tenant),
    )


def mca_status(tenant: Tenant) -> str:
    """The cached Microsoft Customer Agreement status: accepted, not_accepted or unknown."""
    if tenant.mca_accepted_at is not None:
        return "accepted"
    return "not_accepted" if tenant.mca_checked_at is not None else "unknown"


def mca_label(tenant: Tenant) -> str:
    """The cached status in words."""
    if tenant.mca_accepted_at is None:
        return "Not accepted yet" if tenant.mca_checked_at else "Not checked yet"
    signer = f" by {tenant.mca_signer_name}" if tenant.mca_signer_name else ""
    return f"Accepted on {tenant.mca_accepted_at:%Y-%m-%d}{signer}"


def remember_mca(
    tenant: Tenant, *, accepted_at: datetime | None, name: str, email: str, now: datetime
) -> None:
    """Cache what Partner Center said about the agreement (not accepted when `accepted_at` is
    None) and when it was asked."""
    tenant.mca_accepted_at, tenant.mca_checked_at = accepted_at, now
    tenant.mca_signer_name = (name or None) if accepted_at else None
    tenant.mca_signer_email = (email or None) if accepted_at else None


def _name(account: PortalAccount | None) -> str:
    return f"{account.first_name} {account.last_name}".strip() if account else ""


def tenant_of(session: Session, organization_id: int) -> Tenant | None:
    """The organization's tenant row (pending or active), if any."""
    query = select(Tenant).where(
        Tenant.organization_id == organization_id, Tenant.status != TenantStatus.REMOVED
    )
    return session.exec(query).first()


def claim_pending(organization_id: int, domain: str, actor: Principal) -> Tenant:
    """Write (or re-point) the organization's pending row for `domain` before Partner Center
    is asked; raises DomainInUse when another organization's row has the domain."""
    try:
        with session_scope() as session:
            row = tenant_of(session, organization_id) or Tenant(
                organization_id=organization_id, domain=domain
            )
            row.domain, row.status = domain, TenantStatus.PENDING
            row.created_by_account_id = actor.account_id
            session.add(row)
            session.flush()
            return row
    except IntegrityError as error:
        raise DomainInUse(domain) from error


def remember_customer(tenant_id: int, customer_id: str) -> None:
    """Store the customer id Partner Center gave, at once, so a retry never creates another."""
    with session_scope() as session:
        row = session.get(Tenant, tenant_id)
        assert row is not None
        row.customer_id = customer_id
        session.add(row)


def drop_pending(tenant_id: int) -> None:
    """Forget a pending row that never reached Partner Center."""
    with session_scope() as session:
        row = session.get(Tenant, tenant_id)
        if row is not None and row.status is TenantStatus.PENDING:
            session.delete(row)


@dataclass(frozen=True)
class McaAcceptance:
    """An acceptance of the Microsoft Customer Agreement as Partner Center recorded it."""

    accepted_at: datetime
    name: str
    email: str


def complete(
    tenant_id: int,
    *,
    relationship: str,
    actor: Principal,
    action: str,
    email: Email | None,
    mca: McaAcceptance | None = None,
) -> TenantView:
    """Mark the tenant active, record who did it (and the agreement's acceptance, when it was
    part of the work), and queue the e-mail (one transaction)."""
    with session_scope() as session:
        row = session.get(Tenant, tenant_id)
        assert row is not None
        row.status, row.relationship = TenantStatus.ACTIVE, relationship
        row.created_in_pc_at = row.created_in_pc_at or datetime.now(UTC)
        row.created_by_account_id = actor.account_id
        if mca is not None:
            remember_mca(
                row,
                accepted_at=mca.accepted_at,
                name=mca.name,
                email=mca.email,
                now=datetime.now(UTC),
            )
        session.add(row)
        session.add(_audit(actor, action, row))
        if email is not None:
            mail.enqueue(session, email)
        session.flush()
        return tenant_view(session, row)


def _audit(actor: Principal, action: str, row: Tenant) -> AuditLogEntry:
    return AuditLogEntry(
        actor_account_id=actor.account_id,
        action=action,
        entity="tenant",
        entity_id=str(row.id),
        details={"domain": row.domain, "customer_id": row.customer_id},
    )


def link(
    organization_id: int, customer_id: str, domain: str, relationship: str, actor: Principal
) -> TenantView:
    """Record an existing Partner Center customer as the organization's tenant."""
    try:
        with session_scope() as session:
            row = Tenant(
                organization_id=organization_id,
                customer_id=customer_id,
                domain=domain,
                relationship=relationship,
                status=TenantStatus.ACTIVE,
                created_by_account_id=actor.account_id,
            )
            session.add(row)
            session.flush()
            session.add(_audit(actor, "tenant.link", row))
            return tenant_view(session, row)
    except IntegrityError as error:
        raise DomainInUse(domain) from error


def known_customers() -> tuple[set[str], set[str]]:
    """Customer ids and domains the portal already has rows for (any organization)."""
    with session_scope() as session:
        rows = session.exec(
            select(Tenant.customer_id, Tenant.domain).where(
                col(Tenant.status) != TenantStatus.REMOVED
            )
        ).all()
    return {c for c, _ in rows if c}, {d.lower() for _, d in rows}


def unlinked_count() -> int:
    """How many of the broker's Partner Center customers (as last read) no tenant row names."""
    with session_scope() as session:
        linked = select(Tenant.customer_id).where(col(Tenant.customer_id).is_not(None))
        linked = linked.where(col(Tenant.status) != TenantStatus.REMOVED)
        domains = select(func.lower(Tenant.domain)).where(
            col(Tenant.status) != TenantStatus.REMOVED
        )
        return int(
            session.exec(
                select(func.count())
                .select_from(PartnerCustomer)
                .where(col(PartnerCustomer.customer_id).not_in(linked))
                .where(func.lower(PartnerCustomer.domain).not_in(domains))
            ).one()
        )
