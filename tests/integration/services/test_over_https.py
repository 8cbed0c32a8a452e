"""Adding a tenant through the services' own Partner Center client, over the wire: settings ->
sandbox.json -> MSAL tokens (app-only and App+User) -> TLS to the served sandbox, then the
admin's sign-in e-mailed over SMTP."""

from __future__ import annotations

import pytest

from o365portal.services.outbox import _outbox as mail
from o365portal.services.tenants import _tenants as tenants
from tests.builders import new_broker
from tests.sandboxes import HttpsSandbox
from tests.services.helpers import (
    customers_with_domain,
    deliver_mail_to,
    new_prefix,
    organization_ready_for_microsoft,
)
from tests.smtp_server import SmtpServerInfo

pytestmark = pytest.mark.usefixtures("portal_env")


async def test_a_broker_adds_a_tenant_and_the_contact_receives_the_admin_sign_in(
    sandbox: HttpsSandbox, smtp_server: SmtpServerInfo
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    prefix = new_prefix()

    check = await tenants.check_domain(actor=broker.principal, prefix=prefix.upper() + " ")
    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=prefix
    )

    domain = f"{prefix}.onmicrosoft.com"
    assert check.available and check.domain == domain
    assert (tenant.domain, tenant.status, tenant.relationship) == (domain, "active", "reseller")
    assert tenant.created_by == "Bea Broker"
    [customer] = customers_with_domain(sandbox, domain)
    assert customer["id"] == tenant.customer_id and customer["mcaAccepted"] is True
    assert tenants.get_tenant(actor=broker.principal, organization_id=org.id) == tenant
    await deliver_mail_to(org.email)
    received = smtp_server.received.wait_for(org.email)
    body = received.get_content()
    assert f"admin@{domain}" in body
    assert "One-time password: " in body and "{secret}" not in body
    [item] = [
        i for i in mail.list_outbox(actor=broker.principal).items if i.to_address == org.email
    ]
    assert item.status == "sent" and "••••••••" in item.body
