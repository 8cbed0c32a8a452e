"""The portal's copy of a tenant's Microsoft 365 users as the Users page shows it, and keeping
that copy in step with what Partner Center answers to the portal's own changes.

Sync (services/sync) keeps the copy for changes made elsewhere; after a change made here, the
user Partner Center returned is applied at once with the same rules (`apply_user`), with an
audit row naming the portal account that acted, and open Users pages are told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.m365_users import LicenceAssignment, M365User
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center.models.users import CustomerUser, License
from o365portal.services import changes, clock
from o365portal.services.errors import NoTenant, NotFound
from o365portal.services.paging import bounded
from o365portal.services.principal import Principal
from o365portal.services.sync._records import Cause, apply_user, forget_user
from o365portal.services.text_search import contains

RESTORE_DAYS = 30  # Entra keeps a deleted user this long
ADMIN_LOCAL_PART = "admin"


@dataclass(frozen=True)
class TenantRef:
    """The organization's active tenant, as the users use cases need it."""

    organization_id: int
    tenant_id: int
    customer_id: str
    domain: str
    company_name: str
    domains: list[str]  # those a new user name may use: the primary domain first


def _user_domains(session: Session, tenant: Tenant) -> list[str]:
    """The tenant's domains the portal knows: its primary domain, then those of its users.

    Partner Center lists no tenant domains, but Microsoft lets a user principal name only use a
    domain verified in the tenant, so every domain seen on a synced user is one.
    """
    upns = session.exec(
        select(M365User.user_principal_name).where(M365User.tenant_id == tenant.id)
    ).all()
    seen = {upn.partition("@")[2].lower() for upn in upns} - {"", tenant.domain.lower()}
    return [tenant.domain, *sorted(seen)]


@dataclass(frozen=True)
class UserRow:
    """One Microsoft 365 user as the Users page shows it. `licences` is how many licences the
    user holds (the licences feature links it to its dialog)."""

    id: int  # the portal's m365_user id
    pc_user_id: str
    display_name: str
    first_name: str
    last_name: str
    user_principal_name: str
    usage_location: str
    deleted: bool
    status: str  # "Active" | "Deleted"
    restorable_until: str  # "2026-12-30" for a deleted user, else ""
    restorable: bool  # deleted and still within the 30 days
    licences: int
    is_admin: bool  # the tenant's first administrator (admin@<domain>)


@dataclass(frozen=True)
class UsersPage:
    """One page of a tenant's users, active first then deleted, by name."""

    organization_id: int
    domains: list[str]
    rows: list[UserRow]
    total: int
    page: int
    page_size: int
    search: str
    synced_at: str  # when the copy was last brought in line, to the minute; "" if never


def tenant_for(actor: Principal, organization_id: int) -> TenantRef:
    """The organization's active tenant: NotFound for an organization the actor may not see,
    NoTenant when it has no active tenant."""
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    with session_scope() as session:
        org = session.get(Organization, organization_id)
        if org is None:
            raise NotFound("organization")
        tenant = session.exec(
            select(Tenant)
            .where(Tenant.organization_id == organization_id)
            .where(Tenant.status == TenantStatus.ACTIVE)
        ).first()
        if tenant is None or tenant.customer_id is None or tenant.id is None:
            raise NoTenant()
        return TenantRef(
            organization_id,
            tenant.id,
            tenant.customer_id,
            tenant.domain,
            org.company_name,
            _user_domains(session, tenant),
        )


def restorable_until(deleted_at: datetime) -> datetime:
    """The last instant a user deleted at `deleted_at` can be restored."""
    if deleted_at.tzinfo is None:
        deleted_at = deleted_at.replace(tzinfo=UTC)
    return deleted_at + timedelta(days=RESTORE_DAYS)


def _row(user: M365User, licences: int, domain: str, now: datetime) -> UserRow:
    deleted = user.state == "inactive"
    until = restorable_until(user.soft_deleted_at) if deleted and user.soft_deleted_at else None
    return UserRow(
        id=user.id or 0,
        pc_user_id=user.pc_user_id,
        display_name=user.display_name,
        first_name=user.first_name or "",
        last_name=user.last_name or "",
        user_principal_name=user.user_principal_name,
        usage_location=user.usage_location or "",
        deleted=deleted,
        status="Deleted" if deleted else "Active",
        restorable_until=until.date().isoformat() if until else "",
        restorable=until is not None and now < until,
        licences=licences,
        is_admin=user.user_principal_name.lower() == f"{ADMIN_LOCAL_PART}@{domain}".lower(),
    )


def users_page(tenant: TenantRef, search: str, page: int, page_size: int) -> UsersPage:
    """A page of the copy, filtered by name or user name."""
    page, page_size = bounded(page, min(page_size, 200))
    where: list[ColumnElement[bool]] = [col(M365User.tenant_id) == tenant.tenant_id]
    if search.strip():
        where.append(
            or_(
                contains(M365User.display_name, search),
                contains(M365User.user_principal_name, search),
            )
        )
    held = (
        select(func.count())
        .where(LicenceAssignment.m365_user_id == M365User.id)
        .correlate(M365User)
        .scalar_subquery()
    )
    query = (
        select(M365User, held)
        .where(*where)
        .order_by(col(M365User.state), func.lower(M365User.display_name), col(M365User.id))
    )
    now = clock.now()
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(M365User).where(*where)).one()
        found = session.exec(query.offset((page - 1) * page_size).limit(page_size)).all()
        rows = [_row(user, count, tenant.domain, now) for user, count in found]
        last = session.exec(
            select(func.max(M365User.synced_at)).where(M365User.tenant_id == tenant.tenant_id)
        ).one()
    return UsersPage(
        organization_id=tenant.organization_id,
        domains=tenant.domains,
        rows=rows,
        total=total,
        page=page,
        page_size=page_size,
        search=search.strip(),
        synced_at=last.strftime("%Y-%m-%d %H:%M UTC") if last else "",
    )


def user_copy(tenant: TenantRef, user_id: int) -> M365User:
    """The copy of one of the tenant's users, by the portal's id."""
    with session_scope() as session:
        user = session.get(M365User, user_id)
        if user is None or user.tenant_id != tenant.tenant_id:
            raise NotFound("Microsoft 365 user")
        session.expunge(user)
        return user


def row_of(tenant: TenantRef, pc_user_id: str) -> UserRow:
    """The row of one user of the copy, by Partner Center's id."""
    with session_scope() as session:
        user = session.exec(
            select(M365User)
            .where(M365User.tenant_id == tenant.tenant_id)
            .where(M365User.pc_user_id == pc_user_id)
        ).one()
        count = len(
            session.exec(
                select(LicenceAssignment.id).where(LicenceAssignment.m365_user_id == user.id)
            ).all()
        )
        return _row(user, count, tenant.domain, clock.now())


def _cause(actor: Principal) -> Cause:
    return Cause(source="portal", changed_by=actor.email, changed_at=clock.now())


def remember(
    actor: Principal, tenant: TenantRef, user: CustomerUser, *, licences_freed: bool = False
) -> UserRow:
    """Apply Partner Center's answer about one user to the copy at once and tell open pages
    (`licences_freed`: a deletion, which releases every licence the user held)."""
    with session_scope() as session:
        row = session.get(Tenant, tenant.tenant_id)
        assert row is not None
        held: list[License] | None = [] if licences_freed else None
        apply_user(session, row, user, held, _cause(actor), clock.now())
    changes.announce(tenant.organization_id, changes.USERS)
    return row_of(tenant, user.id or "")


def forget(actor: Principal, tenant: TenantRef, pc_user_id: str) -> None:
    """Partner Center no longer has the user at all (purged): drop it from the copy."""
    with session_scope() as session:
        row = session.get(Tenant, tenant.tenant_id)
        assert row is not None
        forget_user(session, row, pc_user_id, _cause(actor))
    changes.announce(tenant.organization_id, changes.USERS)
