"""Builders for rows the database tests need, with unique values so tests never collide."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlmodel import Session

from o365portal.db.enums import Role, TenantStatus
from o365portal.db.tables import Organization, PortalAccount, Subscription, Tenant

NOW = datetime(2026, 1, 14, 16, 57, 15, tzinfo=UTC)


def unique(prefix: str) -> str:
    """Return `prefix` with a random suffix."""
    return f"{prefix}-{uuid4().hex[:10]}"


def add_organization(session: Session) -> Organization:
    """Insert an organization and return it with its id."""
    organization = Organization(
        company_name=unique("Contoso"),
        street_address="1 Main Street",
        postal_code="98052",
        city="Redmond",
        country="US",
        state="WA",
        contact_first_name="Ann",
        contact_last_name="Lee",
        email=f"{unique('ann')}@contoso.example",
    )
    session.add(organization)
    session.flush()
    return organization


def add_broker_account(session: Session, email: str | None = None) -> PortalAccount:
    """Insert a broker portal account and return it with its id."""
    account = PortalAccount(
        email=email or f"{unique('broker')}@broker.example",
        first_name="Bea",
        last_name="Broker",
        role=Role.BROKER,
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$placeholder",
    )
    session.add(account)
    session.flush()
    return account


def add_tenant(session: Session) -> Tenant:
    """Insert an organization with an active tenant and return the tenant."""
    organization = add_organization(session)
    tenant = Tenant(
        organization_id=organization.id,
        customer_id=str(uuid4()),
        domain=f"{unique('contoso')}.onmicrosoft.com",
        status=TenantStatus.ACTIVE,
    )
    session.add(tenant)
    session.flush()
    return tenant


def new_subscription(tenant: Tenant, pc_subscription_id: str | None = None) -> Subscription:
    """Build (not insert) an annual Business Basic subscription in `tenant`."""
    return Subscription(
        tenant_id=tenant.id,
        pc_subscription_id=pc_subscription_id or str(uuid4()),
        product_id="CFQ7TTC0LH18",
        sku_id="0001",
        availability_id="CFQ7TTC0K971",
        term="P1Y",
        billing_cycle="monthly",
        friendly_name="Microsoft 365 Business Basic",
        quantity=15,
        status="active",
        started_at=NOW,
        term_end_at=NOW + timedelta(days=364),
    )
