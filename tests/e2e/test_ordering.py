"""Add subscription in the browser: broker and customer order now, the order returns at once and
its row turns active by itself, a future-dated order goes live when the clocks pass its date,
and the customer's page and websocket frames hold no cost.

Arrangements go through the services (same database). The sandbox provisions an order 10 s
after checkout on its own clock; the tests move that clock forward while the portal waits.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from playwright.sync_api import Page, WebSocket, expect

from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import clock
from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    Shop,
    broker_settings,
    ensure_cost,
    fast_client,
    open_shop,
)

BASIC = re.compile(r"^Microsoft 365 Business Basic 1 year term")


def new_shop(sandbox: SandboxInfo) -> Shop:
    """An organization with a Partner Center tenant, Business Basic at 7.50 a seat (cost 6.00)."""

    async def make() -> Shop:
        async with fast_client(HttpsSandbox(sandbox)) as pc:
            shop = await open_shop(pc, price="7.50")
        ensure_cost(BASIC_MONTHLY, "6.00")
        return shop

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        return thread.submit(asyncio.run, make()).result()


def record_frames(page: Page) -> list[str]:
    """Everything the server sends this page over its websocket."""
    frames: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)
    return frames


def fill_order(page: Page, *, quantity: str, name: str) -> None:
    """Choose Business Basic (1 year, billed monthly) and fill the details."""
    page.get_by_label("Category").select_option("Microsoft 365")
    page.get_by_label("Billing cycle").select_option("monthly")
    page.get_by_label("Product group").select_option("Business")
    page.get_by_role("button", name=BASIC).click()
    page.get_by_label("Quantity").fill(quantity)
    page.get_by_label("Friendly name (optional)").fill(name)
    page.get_by_label("PO number (optional)").fill("PO-42")


def until(page: Page, sandbox: SandboxInfo, done: re.Pattern[str] | str, *, reload: bool) -> None:
    """Move the sandbox clock on (provisioning) until the page shows `done`."""
    control, target = HttpsSandbox(sandbox), page.get_by_text(done).filter(visible=True).first
    for _ in range(40):
        control.post("clock", {"advance": "PT5S"})
        if reload:
            page.reload()
        if target.is_visible():
            return
        page.wait_for_timeout(750)
    expect(target).to_be_visible()


def provisioning_then_active(page: Page, sandbox: SandboxInfo, name: str) -> None:
    """The new row waits for Microsoft, then turns active by itself: no reload, no click."""
    row = page.get_by_text(name).filter(visible=True).first
    expect(row).to_be_visible()
    expect(page.get_by_text("Provisioning", exact=True).filter(visible=True)).to_be_visible()
    expect(
        page.get_by_text("Waiting for Microsoft", exact=True).filter(visible=True)
    ).to_be_visible()
    page.evaluate("window.__notReloaded = true")
    HttpsSandbox(sandbox).post("clock", {"advance": "PT11S"})  # Microsoft provisions it
    expect(page.get_by_text("Active", exact=True).filter(visible=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Renews \d")).filter(visible=True)).to_be_visible()
    expect(
        page.get_by_text("Waiting for Microsoft", exact=True).filter(visible=True)
    ).to_have_count(0)
    assert page.evaluate("window.__notReloaded === true")


@pytest.fixture
def settings_restored() -> Iterator[None]:
    """Broker settings and the portal clock back to normal after the test."""
    broker_settings()
    yield
    broker_settings()
    clock.set_offset(timedelta(0))


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_an_order_now_appears_in_the_list_with_its_price(
    page: Page, portal: Portal, who: str, settings_restored: None
) -> None:
    shop = new_shop(portal.sandbox)
    frames = record_frames(page)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.add_subscription_url(shop.organization_id))
    fill_order(page, quantity="4", name=f"Sales {who}")
    expect(page.get_by_text("30.00 USD")).to_be_visible()
    page.get_by_role("button", name="Show details").click()
    expect(page.get_by_text("CFQ7TTC0LH18:0001:CFQ7TTC0K971")).to_be_visible()
    if who == "broker":
        expect(page.get_by_text("Cost per seat")).to_be_visible()
        expect(page.get_by_text(re.compile(r"^-?\d+\.\d\d %$"))).to_be_visible()  # margin
    else:
        expect(page.get_by_text("Cost per seat")).to_have_count(0)
        expect(page.get_by_text("Margin")).to_have_count(0)
    page.get_by_role("button", name="Order now").click()
    expect(
        page.get_by_text(re.compile(r"\(4 seats\) is ordered: waiting for Microsoft"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/subscriptions$"))
    provisioning_then_active(page, portal.sandbox, f"Sales {who}")
    expect(page.get_by_text(re.compile(r"7\.50 USD")).filter(visible=True).first).to_be_visible()
    if who == "customer":
        received = "\n".join(frames)
        assert "7.50" in received  # the recording works
        assert "unit_cost" not in received and "margin" not in received.lower()


def test_order_now_returns_at_once_and_the_row_turns_active_by_itself(
    page: Page, portal: Portal, viewport: str, settings_restored: None
) -> None:
    shop = new_shop(portal.sandbox)
    sign_in(page, shop.customer)
    page.goto(routes.add_subscription_url(shop.organization_id))
    fill_order(page, quantity="2", name=f"Quick {viewport}")
    clicked = time.monotonic()
    page.get_by_role("button", name="Order now").click()
    expect(page).to_have_url(re.compile(r"/subscriptions$"), timeout=30_000)
    expect(page.get_by_text(f"Quick {viewport}").filter(visible=True).first).to_be_visible()
    waited = time.monotonic() - clicked
    assert waited < 4, f"the order kept the user waiting {waited:.1f} s"
    expect(page.get_by_text("waiting for Microsoft to provision it")).to_be_visible()
    provisioning_then_active(page, portal.sandbox, f"Quick {viewport}")


def test_a_future_dated_order_goes_live_when_the_clock_passes_its_date(
    page: Page, portal: Portal, viewport: str, settings_restored: None
) -> None:
    shop = new_shop(portal.sandbox)
    sign_in(page, shop.broker)
    page.goto(routes.add_subscription_url(shop.organization_id))
    fill_order(page, quantity="2", name=f"Later {viewport}")
    page.get_by_role("radio", name="On a future date").click()
    go_live = clock.today() + timedelta(days=2)
    page.get_by_label("Provisioning date").fill(go_live.isoformat())
    page.get_by_role("button", name="Schedule order").click()
    expect(page).to_have_url(re.compile(r"/subscriptions$"))
    expect(
        page.get_by_text(f"Goes live {go_live.isoformat()}").filter(visible=True).first
    ).to_be_visible()
    clock.advance(timedelta(days=2))
    sign_in(page, shop.broker)  # the earlier session ended in the moved time
    page.goto(routes.subscriptions_url(shop.organization_id))
    until(page, portal.sandbox, re.compile(r"Renews \d"), reload=True)
    expect(page.get_by_text("Goes live")).to_have_count(0)
