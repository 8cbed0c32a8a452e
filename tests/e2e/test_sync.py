"""Partner Center sync in the browser: a broker resolves a drift alert on the sync page, and a
tenant's service screen shows its sync status and syncs on request."""

from __future__ import annotations

import json

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.subscriptions import Subscription
from o365portal.partner_center.models import CartLineItem
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import sync
from o365portal.services.tenants import _tenants as tenants
from tests.builders import new_broker, unique
from tests.e2e.conftest import Portal
from tests.e2e.journeys import open_navigation, sign_in
from tests.e2e.tenant_steps import ready_organization, run
from tests.sandboxes import HttpsSandbox

BASIC = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"


def _sync_pass() -> None:
    """One audit-log pass from here (waiting for one the portal's job may be running)."""
    report = run(sync.run_sync("incremental", wait=60))
    assert report.error is None


def _bought_in_partner_center(sandbox: SandboxInfo, customer_id: str) -> str:
    control = HttpsSandbox(sandbox)

    async def buy() -> str:
        line = CartLineItem(
            catalog_item_id=BASIC, quantity=2, billing_cycle="monthly", term_duration="P1Y",
            friendly_name=unique("Bought at Microsoft "),
        )  # fmt: skip
        async with control.client(portal_app=True) as pc:
            await pc.orders.purchase(customer_id, [line])
        control.post("clock", {"advance": "PT11S"})
        async with control.client(portal_app=True) as pc:
            [subscription] = await pc.subscriptions.list(customer_id)
        return subscription.id

    return run(buy())


def _set_in_partner_center(sandbox: SandboxInfo, customer_id: str, pc_id: str, seats: int) -> None:
    async def change() -> None:
        async with HttpsSandbox(sandbox).client(portal_app=True) as pc:
            await pc.subscriptions.set_quantity(customer_id, pc_id, seats)

    run(change())


def test_a_broker_accepts_partner_centers_value_from_a_drift_alert(
    page: Page, viewport: str, sandbox: SandboxInfo
) -> None:
    broker = new_broker()
    org = ready_organization(broker.principal)
    tenant = run(
        tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=unique("sy"))
    )
    pc_id = _bought_in_partner_center(sandbox, tenant.customer_id)
    _sync_pass()
    with session_scope() as session:  # the portal has a change of its own pending: 6 seats
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        pending = row.one()
        pending.quantity = 6
        session.add(pending)
    _set_in_partner_center(sandbox, tenant.customer_id, pc_id, 4)
    _sync_pass()
    [alert] = [a for a in sync.drift_alerts(actor=broker.principal) if a.organization_id == org.id]

    sign_in(page, broker)
    open_navigation(page, viewport)
    page.get_by_role("link", name="Partner Center sync").click()
    card = page.get_by_role("article", name=f"Drift alert {alert.id}")
    expect(card).to_contain_text("Seats: the portal has 6, Partner Center has 4")
    card.get_by_role("button", name="Accept Partner Center's").click()

    expect(page.get_by_text("Partner Center's value is now the portal's.")).to_be_visible()
    expect(card).to_have_count(0)
    with session_scope() as session:
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        assert row.one().quantity == 4


def test_a_tenant_shows_its_sync_status_and_syncs_now(
    page: Page, viewport: str, sandbox: SandboxInfo
) -> None:
    broker = new_broker()
    org = ready_organization(broker.principal)
    run(tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=unique("st")))
    sign_in(page, broker)
    page.goto(f"/organizations/{org.id}/estore/microsoft-365")

    expect(page.get_by_text("Sync with Partner Center")).to_be_visible()
    expect(page.get_by_text("Last full sync: never")).to_be_visible()
    page.get_by_role("button", name="Sync now").click()

    expect(page.get_by_text("Synced with Partner Center")).to_be_visible(timeout=45000)
    expect(page.get_by_text("Last full sync: never")).to_have_count(0)


def test_the_events_endpoint_refuses_an_unsigned_event(portal: Portal) -> None:
    body = json.dumps(
        {
            "EventName": "subscription-updated",
            "ResourceUri": "https://api.partnercenter.microsoft.com/webhooks/v1/customers/"
            "00000000-0000-0000-0000-000000000001/subscriptions/x",
        }
    )
    answer = httpx.post(
        portal.url + sync.EVENTS_PATH,
        content=body,
        headers={"Authorization": "Signature bm90", "X-MS-Signature-Algorithm": "rsa-sha256"},
        timeout=30,
    )

    assert answer.status_code == 401
    assert answer.json()["error"] == "The event's signature does not match its body."
