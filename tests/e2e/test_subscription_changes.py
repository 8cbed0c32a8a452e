"""Changing a subscription in the browser, on a desktop and a phone: the quantity with its cost
preview, a refused reduction scheduled for the renewal instead, suspend and activate (brokers),
cancel with its refund, the seat lots; a customer with approvals on sends the change for
approval, the broker sees its preview and approves it; the customer's frames hold no cost.

Arrangements go through the services (same database): a provisioned Business Basic
subscription of 3 seats at 7.50 a seat (Microsoft's cost 6.00).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from o365portal.db.engine import session_scope
from o365portal.db.tables.subscriptions import Subscription
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import clock
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in, sign_out
from tests.e2e.test_ordering import record_frames
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    Shop,
    broker_settings,
    ensure_cost,
    fast_client,
    open_shop,
    order_form,
    set_price,
)


def bought(
    sandbox: SandboxInfo,
    name: str,
    quantity: int = 3,
    ref: CatalogItemRef = BASIC_MONTHLY,
    price: str = "7.50",
) -> Shop:
    """An organization whose tenant has `name`: Business Basic (or `ref`, at `price` in the
    shop's price list), provisioned and active."""

    async def make() -> Shop:
        control = HttpsSandbox(sandbox)
        async with fast_client(control) as pc:
            shop = await open_shop(pc, price=price)
            ensure_cost(BASIC_MONTHLY, "6.00")
            if ref != BASIC_MONTHLY:
                set_price(shop, ref, price, date(2020, 1, 1))
            outcome = await ordering.place_order(
                actor=shop.broker.principal,
                organization_id=shop.organization_id,
                form=order_form(ref, quantity=quantity, friendly_name=name),
                pc=pc,
            )
            control.post("clock", {"advance": "PT11S"})
            await complete_provisioning(pc=pc)  # unless the portal's own job was quicker
        with session_scope() as session:
            row = session.get(Subscription, outcome.record_id)
            assert row is not None and row.status == "active"
        return shop

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        return thread.submit(asyncio.run, make()).result()


@pytest.fixture
def settings_restored() -> Iterator[None]:
    """Broker settings and the portal clock back to normal after the test."""
    broker_settings()
    yield
    broker_settings()
    clock.set_offset(timedelta(0))


def open_action(page: Page, name: str, action: str) -> None:
    """Actions -> `action` on the row (desktop) or card (phone) of `name`."""
    page.get_by_role("button", name=f"Actions for {name}").filter(visible=True).first.click()
    page.get_by_role("menuitem", name=action).click()


def visible(page: Page, text: str | re.Pattern[str]) -> None:
    """`text` is on screen."""
    expect(page.get_by_text(text).filter(visible=True).first).to_be_visible()


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_seats_are_added_after_seeing_what_they_cost_now_and_per_cycle(
    page: Page, portal: Portal, viewport: str, who: str, settings_restored: None
) -> None:
    name = f"Seats {who} {viewport}"
    shop = bought(portal.sandbox, name)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))

    open_action(page, name, "Change quantity")
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("New quantity").fill("5")
    expect(dialog.get_by_text("37.50 USD per month for 5 seats")).to_be_visible()
    expect(dialog.get_by_text(re.compile(r"USD charged now"))).to_be_visible()
    expect(dialog.get_by_text("Microsoft", exact=True)).to_have_count(1 if who == "broker" else 0)
    expect(
        dialog.get_by_text(re.compile(r"the 2 seats added can be removed again"))
    ).to_be_visible()
    dialog.get_by_role("button", name="Change to 5").click()

    visible(page, f"{name} now has 5 seats.")
    expect(page.get_by_role("dialog")).to_have_count(0)
    open_action(page, name, "Seat lots")
    lots = page.get_by_role("dialog")
    expect(lots.get_by_text("Seats added · 2 seats")).to_be_visible()
    expect(lots.get_by_text("Purchase · 3 seats")).to_be_visible()
    expect(lots.get_by_text("Can be cancelled until", exact=False)).to_be_visible()
    lots.get_by_role("button", name="Close").click()

    open_action(page, name, "History")
    history = page.get_by_role("dialog")
    expect(history.get_by_text("Seats 3 → 5")).to_be_visible()
    expect(history.get_by_text(re.compile(r"USD charged now"))).to_be_visible()


def test_a_late_reduction_is_refused_and_scheduled_for_the_renewal_instead(
    page: Page, portal: Portal, viewport: str, settings_restored: None
) -> None:
    name = f"Late {viewport}"
    shop = bought(portal.sandbox, name, quantity=5)
    microsoft = HttpsSandbox(portal.sandbox)
    started = microsoft.state.now().isoformat()
    clock.advance(timedelta(days=8))
    microsoft.post("clock", {"advance": "P8D"})
    try:
        sign_in(page, shop.broker)
        page.goto(routes.subscriptions_url(shop.organization_id))
        open_action(page, name, "Change quantity")
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("New quantity").fill("3")
        expect(
            dialog.get_by_text("No seats can be removed now: every seat is past its 7-day window.")
        ).to_be_visible()
        expect(dialog.get_by_role("button", name="Change to 3")).to_be_disabled()
        dialog.get_by_role("button", name="Schedule for the renewal instead").click()
        expect(dialog.get_by_label("Seats next term")).to_have_value("3")
        expect(dialog.get_by_text(re.compile(r"22\.50 USD per month for 3 seats"))).to_be_visible()
        dialog.get_by_role("button", name="Save renewal settings").click()
        visible(page, re.compile(rf"{name} renews on \d{{4}}-\d\d-\d\d: 22\.50 USD per month"))
    finally:
        microsoft.post("clock", {"now": started})


def test_a_broker_suspends_with_the_billing_warning_and_activates_again(
    page: Page, portal: Portal, viewport: str, settings_restored: None
) -> None:
    name = f"Pause {viewport}"
    shop = bought(portal.sandbox, name)
    sign_in(page, shop.broker)
    page.goto(routes.subscriptions_url(shop.organization_id))

    open_action(page, name, "Suspend")
    dialog = page.get_by_role("dialog")
    expect(
        dialog.get_by_text(re.compile("NCE keeps billing a suspended subscription"))
    ).to_be_visible()
    dialog.get_by_role("button", name="Suspend").click()
    visible(page, f"{name} is suspended.")
    visible(page, "Suspended")

    open_action(page, name, "Activate")
    page.get_by_role("dialog").get_by_role("button", name="Activate").click()
    visible(page, f"{name} is active again.")


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_a_cancellation_within_seven_days_shows_its_refund_and_a_customer_no_cost(
    page: Page, portal: Portal, viewport: str, who: str, settings_restored: None
) -> None:
    name = f"Oops {who} {viewport}"
    shop = bought(portal.sandbox, name)
    frames = record_frames(page)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))
    page.get_by_role("button", name=f"Actions for {name}").filter(visible=True).first.click()
    suspend = page.get_by_role("menuitem", name="Suspend")
    expect(suspend).to_have_count(1 if who == "broker" else 0)
    page.get_by_role("menuitem", name="Cancel subscription").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(re.compile(r"USD refunded now"))).to_be_visible()
    expect(dialog.get_by_text("A cancellation cannot be undone", exact=False)).to_be_visible()
    expect(dialog.get_by_text("Microsoft", exact=True)).to_have_count(1 if who == "broker" else 0)
    dialog.get_by_role("button", name="Cancel subscription").click()
    visible(page, re.compile(rf"{name} is cancelled\."))

    if who == "customer":
        received = "\n".join(frames)
        assert "refunded now" in received  # the recording works
        assert "now_cost" not in received and "margin" not in received.lower()
        assert "6.00" not in received


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_renewal_settings_turn_auto_renew_off_and_on_with_fewer_seats(
    page: Page, portal: Portal, viewport: str, who: str, settings_restored: None
) -> None:
    name = f"Renew {who} {viewport}"
    shop = bought(portal.sandbox, name, quantity=4)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))

    open_action(page, name, "Renewal settings")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.reload()  # the tab's state outlives a reload; the dialog does not
    expect(page.get_by_text(name).filter(visible=True).first).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    open_action(page, name, "Renewal settings")
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("switch").click()
    expect(
        dialog.get_by_text(re.compile(r"Nothing after \d{4}-\d\d-\d\d: the subscription ends then"))
    ).to_be_visible()
    dialog.get_by_role("button", name="Save renewal settings").click()
    visible(page, f"{name} will not renew; it ends at its term end.")

    open_action(page, name, "Renewal settings")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("switch")).not_to_be_checked()
    dialog.get_by_role("switch").click()
    dialog.get_by_label("Seats next term").fill("2")
    expect(dialog.get_by_text(re.compile(r"15\.00 USD per month for 2 seats"))).to_be_visible()
    dialog.get_by_role("button", name="Save renewal settings").click()
    visible(page, re.compile(rf"{name} renews on \d{{4}}-\d\d-\d\d: 15\.00 USD per month"))


def test_a_customers_change_waits_for_the_broker_who_approves_it_with_its_preview(
    page: Page, portal: Portal, viewport: str, settings_restored: None
) -> None:
    name = f"Ask {viewport}"
    shop = bought(portal.sandbox, name)
    broker_settings(approvals=True)
    sign_in(page, shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))
    open_action(page, name, "Change quantity")
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("New quantity").fill("4")
    expect(dialog.get_by_text("30.00 USD per month for 4 seats")).to_be_visible()
    dialog.get_by_role("button", name="Send for approval").click()
    visible(page, "Your change was sent to your broker for approval.")
    visible(page, f"{name}: 3 seats → 4 seats")

    sign_out(page, viewport)
    sign_in(page, shop.broker)
    page.goto(routes.APPROVALS)
    page.get_by_role("button", name=f"Decide on {name}: 3 seats → 4 seats").click()
    decision = page.get_by_role("dialog")
    expect(decision.get_by_text(re.compile(r"USD charged now"))).to_be_visible()
    expect(decision.get_by_text("Microsoft", exact=True)).to_be_visible()
    decision.get_by_role("button", name="Approve").click()
    visible(page, re.compile(rf"Approved\. {name} now has 4 seats"))
