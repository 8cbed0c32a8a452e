"""Demo data for the embedded default (`make run`) only: a broker and two customer organizations.

Idempotent: running it again leaves existing accounts and organizations alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.organizations import Organization
from o365portal.services import auth
from o365portal.services.organization_input import OrganizationInput
from o365portal.services.principal import Role


@dataclass(frozen=True)
class DemoSignIn:
    """One demo account as the README and the start-up banner list it."""

    role: str
    email: str
    password: str
    organization: str


BROKER = DemoSignIn("broker", "broker@demo-broker.example", "Broker-demo-2026!", "")
_ORGANIZATIONS = (
    (
        DemoSignIn("customer", "anna.berg@fabrikam.example", "Fabrikam-demo-2026!", "Fabrikam Ltd"),
        {
            "company_name": "Fabrikam Ltd",
            "registration_number": "09876543",
            "street_address": "12 Kingsway",
            "postal_code": "WC2B 6AA",
            "city": "London",
            "country": "GB",
            "contact_first_name": "Anna",
            "contact_last_name": "Berg",
            "email": "anna.berg@fabrikam.example",
            "phone": "+44 20 7946 0018",
            "language": "en",
        },
    ),
    (
        DemoSignIn(
            "customer",
            "lars.meyer@northwind.example",
            "Northwind-demo-2026!",
            "Northwind Traders GmbH",
        ),
        {
            "company_name": "Northwind Traders GmbH",
            "registration_number": "HRB 123456",
            "street_address": "Friedrichstraße 100",
            "postal_code": "10117",
            "city": "Berlin",
            "country": "DE",
            "contact_first_name": "Lars",
            "contact_last_name": "Meyer",
            "email": "lars.meyer@northwind.example",
            "phone": "+49 30 901820",
            "language": "de",
        },
    ),
)


DEMO_SIGN_INS = [BROKER, *(sign_in for sign_in, _ in _ORGANIZATIONS)]


def _account_exists(email: str) -> bool:
    with session_scope() as session:
        query = select(PortalAccount.id).where(func.lower(PortalAccount.email) == email.lower())
        return session.exec(query).first() is not None


def _organization_id(fields: dict[str, str]) -> int:
    with session_scope() as session:
        query = select(Organization).where(Organization.company_name == fields["company_name"])
        found = session.exec(query).first()
        if found is None:
            found = Organization(**OrganizationInput.model_validate(fields).model_dump())
            session.add(found)
            session.flush()
        return found.id or 0


def seed_demo_data() -> list[DemoSignIn]:
    """Create the demo broker, organizations and customer accounts if missing; list the sign-ins."""
    if not _account_exists(BROKER.email):
        auth.create_account(
            email=BROKER.email,
            password=BROKER.password,
            first_name="Dana",
            last_name="Broker",
            role=Role.BROKER,
        )
    for sign_in, fields in _ORGANIZATIONS:
        organization_id = _organization_id(fields)
        if not _account_exists(sign_in.email):
            auth.create_account(
                email=sign_in.email,
                password=sign_in.password,
                first_name=fields["contact_first_name"],
                last_name=fields["contact_last_name"],
                role=Role.CUSTOMER,
                organization_id=organization_id,
            )
    return DEMO_SIGN_INS
