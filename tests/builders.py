"""Builders for test data with unique values, so tests never collide on a shared database."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.tenants import Tenant
from o365portal.services.accounts import _sign_in as auth
from o365portal.services.organizations import _organizations as organizations
from o365portal.services.principal import Principal, Role


def unique(prefix: str = "") -> str:
    """A short unique token, optionally prefixed."""
    return f"{prefix}{uuid4().hex[:8]}"


@dataclass(frozen=True)
class Account:
    """A portal account created for a test, with its password."""

    email: str
    password: str
    principal: Principal


def _principal(account_id: int, email: str, name: str, role: Role, org_id: int | None) -> Principal:
    return Principal(
        account_id=account_id, email=email, name=name, role=role, organization_id=org_id
    )


def new_broker() -> Account:
    """A broker staff account."""
    email, password = f"{unique('broker-')}@broker.example", "Broker-pass-" + unique()
    account_id = auth.create_account(
        email=email, password=password, first_name="Bea", last_name="Broker", role=Role.BROKER
    )
    return Account(email, password, _principal(account_id, email, "Bea Broker", Role.BROKER, None))


def new_organization(actor: Principal, **fields: str) -> organizations.OrganizationView:
    """An organization with a unique name and a full address (fields override)."""
    form = {
        "company_name": unique("Org ") + " Ltd",
        "street_address": "1 Main Street",
        "postal_code": "12345",
        "city": "Springfield",
        "country": "US",
        "contact_first_name": "Casey",
        "contact_last_name": "Contact",
        "email": f"{unique('c-')}@customer.example",
        "language": "en",
    } | fields
    return organizations.create_organization(actor=actor, form=form)


def new_customer(organization_id: int) -> Account:
    """A customer administrator of the given organization."""
    email, password = f"{unique('admin-')}@customer.example", "Customer-pass-" + unique()
    account_id = auth.create_account(
        email=email,
        password=password,
        first_name="Cory",
        last_name="Customer",
        role=Role.CUSTOMER,
        organization_id=organization_id,
    )
    return Account(
        email,
        password,
        _principal(account_id, email, "Cory Customer", Role.CUSTOMER, organization_id),
    )


def link_tenant(organization_id: int, domain: str) -> None:
    """Record a Microsoft 365 tenant for the organization (as the tenant flows will)."""
    with session_scope() as session:
        session.add(
            Tenant(
                organization_id=organization_id,
                customer_id=str(uuid4()),
                domain=domain,
                status=TenantStatus.ACTIVE,
            )
        )
