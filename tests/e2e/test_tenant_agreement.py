"""The Microsoft Customer Agreement of a linked tenant, in the browser: the tenant screen shows
what Partner Center says and records the acceptance (broker or the organization's customer),
and the add-subscription form asks for it before the order is placed."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Page, expect

from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import clock
from o365portal.services.principal import Principal
from o365portal.services.tenants import _links as tenant_links
from o365portal.ui import routes
from tests.builders import new_broker, new_customer
from tests.e2e.journeys import sign_in
from tests.e2e.tenant_steps import existing_tenant, ready_organization, run
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import (
    Shop,
    broker_settings,
    fast_client,
    open_shop,
)

BASIC = re.compile(r"^Microsoft 365 Business Basic 1 year term")


def shop_without_agreement(sandbox: SandboxInfo) -> Shop:
    """An organization whose tenant never accepted the agreement, Business Basic priced."""

    async def make() -> Shop:
        async with fast_client(HttpsSandbox(sandbox)) as pc:
            return await open_shop(pc, price="7.50", accept_mca=False)

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        return thread.submit(asyncio.run, make()).result()


def linked_tenant_without_agreement(
    sandbox: SandboxInfo, broker: Principal, organization_id: int
) -> str:
    """A tenant made in Microsoft's portal (no agreement yet), linked to the organization."""
    _, domain = existing_tenant(sandbox)
    rows = sandbox.state.table("customers").values()
    [customer_id] = [c["id"] for c in rows if c["companyProfile"]["domain"] == domain]
    run(
        tenant_links.link_customer(
            actor=broker, organization_id=organization_id, customer_id=customer_id
        )
    )
    return str(customer_id)


def operations_of(sandbox: SandboxInfo, customer_id: str) -> list[str]:
    """What Partner Center did for the customer, in order (its audit records)."""
    records = sandbox.state.table("auditRecords").values()
    return [r["operationType"] for r in records if r["customerId"] == customer_id]


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_a_linked_tenant_s_agreement_is_shown_and_recorded_on_the_tenant_screen(
    page: Page, sandbox: SandboxInfo, who: str
) -> None:
    broker = new_broker()
    org = ready_organization(broker.principal)
    customer_id = linked_tenant_without_agreement(sandbox, broker.principal, org.id)
    sign_in(page, broker if who == "broker" else new_customer(org.id))
    page.goto(routes.m365_service_url(org.id))

    expect(page.get_by_role("definition").filter(has_text="Not accepted yet")).to_be_visible()
    page.get_by_role("button", name="Record the acceptance").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Signer's first name")).to_have_value("Casey")
    dialog.get_by_label("Signer's e-mail").fill("it.lead@customer.example")
    dialog.get_by_role("button", name="Record acceptance").click()
    expect(dialog.get_by_text("Confirm that the signer accepted the agreement.")).to_be_visible()
    dialog.get_by_role("checkbox", name=re.compile("The signer accepted")).click()
    dialog.get_by_role("button", name="Record acceptance").click()

    accepted = f"Accepted on {clock.today():%Y-%m-%d} by Casey Contact"
    expect(page.get_by_role("definition").filter(has_text=accepted)).to_be_visible()
    expect(page.get_by_role("button", name="Record the acceptance")).to_have_count(0)
    agreement = sandbox.state.table("agreements")[customer_id]
    assert agreement["primaryContact"]["email"] == "it.lead@customer.example"


def test_the_order_form_asks_for_the_agreement_and_records_it_before_ordering(
    page: Page, sandbox: SandboxInfo
) -> None:
    broker_settings()
    shop = shop_without_agreement(sandbox)
    sign_in(page, shop.customer)
    page.goto(routes.add_subscription_url(shop.organization_id))
    page.get_by_label("Category").select_option("Microsoft 365")
    page.get_by_label("Billing cycle").select_option("monthly")
    page.get_by_label("Product group").select_option("Business")
    page.get_by_role("button", name=BASIC).click()
    page.get_by_label("Friendly name (optional)").fill("Agreed team")

    expect(page.get_by_role("heading", name="Microsoft Customer Agreement")).to_be_visible()
    expect(page.get_by_label("Signer's last name")).to_have_value("Contact")
    page.get_by_role("button", name="Order now").click()
    expect(page.get_by_text("Confirm that the signer accepted the agreement.")).to_be_visible()
    assert operations_of(sandbox, shop.customer_id) == ["add_customer"]  # nothing yet
    page.get_by_role("checkbox", name=re.compile("The signer accepted")).click()
    page.get_by_role("button", name="Order now").click()

    expect(page).to_have_url(re.compile(r"/subscriptions$"), timeout=60_000)
    expect(page.get_by_text("Agreed team").filter(visible=True).first).to_be_visible()
    # Partner Center audits the order once it is provisioned (the row turns Active by itself)
    active = page.get_by_text("Active", exact=True).filter(visible=True).first
    expect(active).to_be_visible(timeout=60_000)
    done = operations_of(sandbox, shop.customer_id)
    assert done.index("create_agreement") < done.index("create_order")
