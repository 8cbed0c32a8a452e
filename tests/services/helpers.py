"""Arrangements shared by the service tests: organizations with a full or partial address,
sandbox inspection, tenants made in Microsoft's own portal (on either `Sandbox`), and the SQL
statements a call issues."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, update

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.enums import MailStatus
from o365portal.db.tables.mail import OutboxMessage
from o365portal.jobs.portal_jobs import mail_job
from o365portal.partner_center.models.customers import (
    Address,
    BillingProfile,
    CompanyProfile,
    Customer,
)
from o365portal.services.organizations._organizations import OrganizationView
from o365portal.services.principal import Principal
from tests.builders import new_organization, unique
from tests.sandboxes import Sandbox

FULL_US_ADDRESS = {
    "street_address": "1 Microsoft Way",
    "city": "Redmond",
    "state": "WA",
    "postal_code": "98052",
    "country": "US",
    "phone": "4255550100",
}


def organization_ready_for_microsoft(actor: Principal) -> OrganizationView:
    """An organization whose record has everything Microsoft needs in the US."""
    return new_organization(actor, **FULL_US_ADDRESS)


def new_prefix() -> str:
    """A fresh `<prefix>` for `<prefix>.onmicrosoft.com`."""
    return unique("t")


def customers_with_domain(sandbox: Sandbox, domain: str) -> list[dict[str, Any]]:
    """The sandbox's customers whose primary domain is `domain`."""
    rows = sandbox.state.table("customers").values()
    return [c for c in rows if c["companyProfile"]["domain"] == domain]


def admin_password_resets(sandbox: Sandbox, customer_id: str) -> int:
    """How often the tenant's users had their password reset (from the sandbox's audit log)."""
    records = sandbox.state.table("auditRecords").values()
    return sum(
        1
        for r in records
        if r["customerId"] == customer_id and r["operationType"] == "reset_customer_user_password"
    )


async def tenant_made_in_microsofts_portal(
    sandbox: Sandbox, company: str, billing_email: str = "it@existing.example"
) -> Customer:
    """A customer created directly in Partner Center (not through the broker's portal)."""
    request = Customer(
        company_profile=CompanyProfile(domain=f"{new_prefix()}.onmicrosoft.com"),
        billing_profile=BillingProfile(
            email=billing_email,
            culture="en-US",
            language="en",
            company_name=company,
            default_address=Address(
                first_name="Erin",
                last_name="Existing",
                address_line1="2 Elm Street",
                city="Seattle",
                state="WA",
                postal_code="98101",
                country="US",
                phone_number="2065550100",
            ),
        ),
    )
    async with sandbox.client(portal_app=True) as pc:  # Microsoft's web portal
        return await pc.customers.create(request)


LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


async def deliver_mail_to(address: str) -> None:
    """Run the mail job for the messages queued to `address` only: they are made due long ago
    and the job runs at that instant, so other tests' mail (in the shared database) waits."""
    with session_scope() as session:
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.to_address) == address)
            .where(col(OutboxMessage.status) == MailStatus.QUEUED)
            .values(next_attempt_at=LONG_AGO)
        )
    await mail_job(get_settings(), now=lambda: LONG_AGO).work()
