"""My Services -> Outbox: brokers see what the portal e-mailed (secrets as dots); customers
cannot open it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from o365portal.services.tenants import _tenants as tenants
from tests.builders import new_broker, new_customer, unique
from tests.e2e.journeys import open_navigation, sign_in
from tests.e2e.tenant_steps import ready_organization, run
from tests.smtp_server import SmtpServerInfo


def test_a_broker_reads_the_sent_credentials_mail_without_the_password(
    page: Page, viewport: str, smtp_server: SmtpServerInfo
) -> None:
    broker = new_broker()
    org = ready_organization(broker.principal)
    tenant = run(
        tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=unique("ob"))
    )
    smtp_server.received.wait_for(org.email)
    sign_in(page, broker)
    open_navigation(page, viewport)
    page.get_by_role("link", name="Outbox").click()

    message = page.get_by_role("article", name=f"E-mail to {org.email}")
    expect(message).to_contain_text("sent")
    message.get_by_text("Show message").click()
    expect(message).to_contain_text(f"admin@{tenant.domain}")
    expect(message).to_contain_text("One-time password: ••••••••")


def test_a_customer_cannot_open_the_outbox(page: Page) -> None:
    broker = new_broker()
    org = ready_organization(broker.principal)
    sign_in(page, new_customer(org.id))

    page.goto("/outbox")

    expect(page).to_have_url(re.compile(rf"/organizations/{org.id}$"))
