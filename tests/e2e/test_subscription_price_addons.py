"""Edit sales price and Manage add-ons on the Subscriptions page (issue 12), desktop and phone.

The broker sets a subscription's price from a past day (a wrong price is said at its field) and
the list follows; the broker adds an add-on after seeing its cost, margin and commitment; a
customer sees the add-ons with their prices and information but never "Edit sales price", a
cost or a margin (the websocket frames included), and with approvals on sends the add-on for
approval. Arrangements go through the services on the same database and sandbox.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import clock
from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in
from tests.e2e.test_ordering import new_shop, record_frames
from tests.sandboxes import HttpsSandbox
from tests.services.addon_support import (
    TEAMS_PREMIUM,
    TEAMS_PREMIUM_TEXT,
    base_subscription,
    cost_today,
    cost_words,
    price_addons,
)
from tests.services.ordering_support import Shop, broker_settings, fast_client

BASE = "Office staff"  # the base subscription's name
ADDON = "Microsoft Teams Premium"


def shop_with_base(sandbox: SandboxInfo) -> Shop:
    """A shop (Business Basic 7.50, Teams Premium 10.00 at cost 8.00) whose tenant has 3 seats
    of Business Basic, provisioned."""
    shop = new_shop(sandbox)
    price_addons(shop)

    async def order() -> None:
        https = HttpsSandbox(sandbox)
        async with fast_client(https) as pc:
            await base_subscription(https, pc, shop)

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        thread.submit(asyncio.run, order()).result()
    return shop


@pytest.fixture
def approvals_off() -> Iterator[None]:
    """Approvals off for the test (and again afterwards: the settings row is shared)."""
    broker_settings()
    yield
    broker_settings()


TITLES = {"Edit sales price": f"Sales price of {BASE}", "Manage add-ons": f"Add-ons for {BASE}"}


def open_action(page: Page, shop: Shop, action: str) -> Locator:
    """Subscriptions -> Actions of the base subscription -> `action`; the dialog it opens."""
    page.goto(routes.subscriptions_url(shop.organization_id))
    page.get_by_role("button", name=f"Actions for {BASE}").filter(visible=True).click()
    page.get_by_role("menuitem", name=action).click()
    dialog = page.get_by_role("dialog", name=TITLES[action])
    expect(dialog).to_be_visible()
    return dialog


def test_the_broker_sets_a_past_dated_price_and_the_list_follows(
    page: Page, portal: Portal, approvals_off: None
) -> None:
    shop = shop_with_base(portal.sandbox)
    sign_in(page, shop.broker)
    dialog = open_action(page, shop, "Edit sales price")
    expect(dialog).to_contain_text("7.50 USD")
    expect(dialog).to_contain_text("The customer's price list")
    expect(dialog).to_contain_text("None yet: the price lists apply.")
    started = clock.today()  # the base was bought today: the earliest day
    dialog.get_by_label("Price per seat per month (USD)").fill("-3")
    dialog.get_by_label("Reason").fill("Loyalty discount")
    dialog.get_by_role("button", name="Save price").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "A price cannot be below zero (0 means free of charge)."
    )
    dialog.get_by_label("Starts on").fill((started - timedelta(days=1)).isoformat())
    dialog.get_by_label("Price per seat per month (USD)").fill("6.25")
    dialog.get_by_role("button", name="Save price").click()
    expect(dialog.get_by_role("alert")).to_contain_text(f"Choose {started.isoformat()} or later")
    dialog.get_by_label("Starts on").fill(started.isoformat())
    dialog.get_by_role("button", name="Save price").click()
    expect(page.get_by_text(f"{BASE} costs 6.25 USD from {started.isoformat()}")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("6.25 USD").filter(visible=True).first).to_be_visible()  # the list

    dialog = open_action(page, shop, "Edit sales price")
    expect(dialog).to_contain_text("This subscription's own price since")
    expect(dialog).to_contain_text("In force")
    expect(dialog).to_contain_text("Loyalty discount")


def test_the_broker_adds_an_add_on_after_seeing_its_cost_margin_and_commitment(
    page: Page, portal: Portal, approvals_off: None
) -> None:
    shop = shop_with_base(portal.sandbox)
    sign_in(page, shop.broker)
    dialog = open_action(page, shop, "Manage add-ons")
    addon = dialog.get_by_role("group", name=f"Add-on {ADDON}")
    expect(addon).to_contain_text("10.00 USD per seat per month")
    expect(addon).to_contain_text(cost_words(TEAMS_PREMIUM, Decimal("10.00")))
    addon.get_by_label(f"Seats of {ADDON}").fill("0")
    addon.get_by_role("button", name=f"Add {ADDON}").click()
    expect(addon.get_by_role("alert")).to_have_text("Enter at least 1 seat.")
    addon.get_by_label(f"Seats of {ADDON}").fill("2")
    addon.get_by_role("button", name=f"Add {ADDON}").click()
    expect(dialog).to_contain_text(f"2 seats of {ADDON} for {BASE}: 20.00 USD per month.")
    expect(dialog).to_contain_text("within 7 days (168 hours)")
    dialog.get_by_role("button", name="Add add-on").click()
    expect(page.get_by_text(f"{ADDON} (2 seats) is ordered")).to_be_visible()
    expect(page.get_by_text(ADDON, exact=True).filter(visible=True).first).to_be_visible()
    HttpsSandbox(portal.sandbox).post("clock", {"advance": "PT11S"})  # Microsoft provisions it
    expect(page.get_by_text("Provisioning", exact=True).filter(visible=True)).to_have_count(0)

    dialog = open_action(page, shop, "Manage add-ons")
    expect(dialog).to_contain_text("In this tenant: 2 seats")


def test_a_customer_sees_add_ons_and_their_information_but_no_cost_margin_or_price_action(
    page: Page, portal: Portal, approvals_off: None
) -> None:
    shop = shop_with_base(portal.sandbox)
    frames = record_frames(page)
    sign_in(page, shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))
    page.get_by_role("button", name=f"Actions for {BASE}").filter(visible=True).click()
    expect(page.get_by_role("menuitem", name="Manage add-ons")).to_be_visible()
    expect(page.get_by_role("menuitem", name="History")).to_be_visible()
    expect(page.get_by_role("menuitem", name="Edit sales price")).to_have_count(0)
    page.get_by_role("menuitem", name="Manage add-ons").click()
    dialog = page.get_by_role("dialog", name=TITLES["Manage add-ons"])
    addon = dialog.get_by_role("group", name=f"Add-on {ADDON}")
    expect(addon).to_contain_text("10.00 USD per seat per month")
    addon.get_by_role("button", name=f"About {ADDON}").click()  # a tap on a phone
    expect(page.get_by_text(TEAMS_PREMIUM_TEXT)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_text(TEAMS_PREMIUM_TEXT)).to_be_hidden()
    expect(dialog).to_be_visible()
    expect(dialog).not_to_contain_text("Cost")
    expect(dialog).not_to_contain_text("Margin")
    expect(page.get_by_text("Edit sales price")).to_have_count(0)
    received = "\n".join(frames)
    assert "10.00" in received  # the recording works
    assert "unit_cost" not in received and "margin" not in received.lower()
    assert f"{cost_today(TEAMS_PREMIUM):.2f}" not in received


@pytest.fixture
def approvals_on() -> Iterator[None]:
    """The broker requires approvals for this test only."""
    broker_settings(approvals=True)
    yield
    broker_settings()


def test_a_customer_with_approvals_on_sends_an_add_on_for_approval(
    page: Page, portal: Portal, approvals_on: None
) -> None:
    shop = shop_with_base(portal.sandbox)
    sign_in(page, shop.customer)
    dialog = open_action(page, shop, "Manage add-ons")
    expect(dialog).to_contain_text("Your broker approves each add-on before it is bought.")
    addon = dialog.get_by_role("group", name=f"Add-on {ADDON}")
    addon.get_by_label(f"Seats of {ADDON}").fill("3")
    addon.get_by_role("button", name=f"Add {ADDON}").click()
    expect(dialog).to_contain_text("Your broker approves it first")
    dialog.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("Your order was sent to your broker for approval.")).to_be_visible()
    request = page.get_by_role(
        "group", name=re.compile(rf"^Request for 3 × {ADDON}, add-on to {BASE}")
    )
    expect(request).to_contain_text("Waiting for approval")
    expect(request).to_contain_text("30.00 USD")
