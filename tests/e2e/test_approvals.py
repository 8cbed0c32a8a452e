"""Approvals in the browser: with approvals on, a customer's order waits for the broker, whose
approval returns at once; the subscription then turns active by itself."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import open_navigation, sign_in, sign_out
from tests.e2e.test_ordering import fill_order, new_shop, provisioning_then_active
from tests.services.ordering_support import broker_settings


@pytest.fixture
def approvals_on() -> Iterator[None]:
    """The broker requires approvals for this test only."""
    broker_settings(approvals=True)
    yield
    broker_settings()


def test_a_customer_order_waits_for_the_broker_who_approves_it(
    page: Page, portal: Portal, viewport: str, approvals_on: None
) -> None:
    shop = new_shop(portal.sandbox)
    sign_in(page, shop.customer)
    page.goto(routes.add_subscription_url(shop.organization_id))
    expect(page.get_by_text("Your broker approves orders")).to_be_visible()
    fill_order(page, quantity="3", name=f"Desk {viewport}")
    page.get_by_role("button", name="Order now").click()
    expect(page.get_by_text("sent to your broker for approval")).to_be_visible()
    expect(page.get_by_role("heading", name="Requests")).to_be_visible()
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel request")).to_be_visible()
    sign_out(page, viewport)

    sign_in(page, shop.broker)
    open_navigation(page, viewport)
    pending = page.get_by_role("link", name=re.compile(r"^Approvals\s*\d+$")).filter(visible=True)
    expect(pending).to_be_visible()  # the navigation badge counts pending requests
    pending.click()
    expect(page).to_have_url(re.compile(r"/approvals$"))
    decide = rf"^Decide on 3 × Microsoft 365 Business Basic \(Desk {viewport}\)"
    page.get_by_role("button", name=re.compile(decide)).click()
    page.get_by_label("Comment").fill("Welcome to the new desk")
    clicked = time.monotonic()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(re.compile(r"^Approved\. "))).to_be_visible(timeout=30_000)
    waited = time.monotonic() - clicked
    assert waited < 4, f"approving kept the broker waiting {waited:.1f} s"
    expect(page.get_by_text(re.compile(r"^Approved\. .*waiting for Microsoft"))).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.goto(routes.subscriptions_url(shop.organization_id))
    expect(page.get_by_text("Waiting for approval")).to_have_count(0)
    provisioning_then_active(page, portal.sandbox, f"Desk {viewport}")
