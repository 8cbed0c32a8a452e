"""Builders for test data with unique values, so tests never collide on a shared database.

Accounts share one password per test session, hashed once with the portal's argon2 settings
(`argon2.PasswordHasher()`): hashing costs about 0.1 s of CPU by design, and a few hundred
accounts are built per run. Signing in verifies that hash like any other. The rules of
`accounts.create_account` itself are tested in tests/services/test_accounts.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from uuid import uuid4

from argon2 import PasswordHasher

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.tenants import Tenant
from o365portal.services.organizations import _organizations as organizations
from o365portal.services.principal import Principal, Role

ACCOUNT_PASSWORD = "Test-pass-" + uuid4().hex[:12]


def unique(prefix: str = "") -> str:
    """A short unique token, optionally prefixed."""
    return f"{prefix}{uuid4().hex[:8]}"


@dataclass(frozen=True)
class Account:
    """A portal account created for a test, with its password."""

    email: str
    password: str
    principal: Principal


@cache
def _password_hash() -> str:
    return PasswordHasher().hash(ACCOUNT_PASSWORD)


def _add_account(
    email: str, first_name: str, last_name: str, role: Role, organization_id: int | None
) -> int:
    """The row `accounts.create_account` writes, with the session's one password hash."""
    with session_scope() as session:
        account = PortalAccount(
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=role,
            organization_id=organization_id,
            password_hash=_password_hash(),
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        return account.id


def _principal(account_id: int, email: str, name: str, role: Role, org_id: int | None) -> Principal:
    return Principal(
        account_id=account_id, email=email, name=name, role=role, organization_id=org_id
    )


def new_broker() -> Account:
    """A broker staff account."""
    email = f"{unique('broker-')}@broker.example"
    account_id = _add_account(email, "Bea", "Broker", Role.BROKER, None)
    return Account(
        email, ACCOUNT_PASSWORD, _principal(account_id, email, "Bea Broker", Role.BROKER, None)
    )


def organization_form(**fields: str) -> dict[str, str]:
    """The add-organization form with a unique name and a full address (fields override)."""
    return {
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


def new_organization(actor: Principal, **fields: str) -> organizations.OrganizationView:
    """An organization with a unique name and a full address (fields override)."""
    return organizations.create_organization(actor=actor, form=organization_form(**fields))


def new_customer(organization_id: int) -> Account:
    """A customer administrator of the given organization."""
    email = f"{unique('admin-')}@customer.example"
    account_id = _add_account(email, "Cory", "Customer", Role.CUSTOMER, organization_id)
    return Account(
        email,
        ACCOUNT_PASSWORD,
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
