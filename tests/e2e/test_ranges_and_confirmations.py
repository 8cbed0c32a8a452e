"""Ranges and confirmations (issue 9 item 6): a go-live date at most a year ahead, a quantity
above the item's maximum refused at the field, Suspend and Cancel request ask first, and
search takes `%` and `_` literally."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from o365portal.services import clock
from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in
from tests.e2e.test_ordering import fill_order, new_shop, settings_restored  # noqa: F401


@pytest.mark.usefixtures("settings_restored")
def test_a_quantity_above_the_items_maximum_is_refused_at_the_field(
    page: Page, portal: Portal
) -> None:
    shop = new_shop(portal.sandbox)
    sign_in(page, shop.broker)
    page.goto(routes.add_subscription_url(shop.organization_id))
    fill_order(page, quantity="301", name="Too many")
    quantity = page.get_by_label("Quantity")
    expect(page.get_by_text("At most 300 seats of this product")).to_be_visible()
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(re.compile(r"^Total for"))).to_have_count(0)
    quantity.fill("300")
    expect(page.get_by_text("2250.00 USD")).to_be_visible()
    expect(page.get_by_text("At most 300 seats of this product")).to_have_count(0)


@pytest.mark.usefixtures("settings_restored")
def test_a_go_live_date_more_than_a_year_ahead_is_refused_and_says_why(
    page: Page, portal: Portal
) -> None:
    shop = new_shop(portal.sandbox)
    sign_in(page, shop.broker)
    page.goto(routes.add_subscription_url(shop.organization_id))
    fill_order(page, quantity="2", name="Next year")
    page.get_by_role("radio", name="On a future date").click()
    picker = page.get_by_label("Provisioning date")
    today = clock.today()
    latest = date(today.year + 1, today.month, min(today.day, 28 if today.month == 2 else 31))
    expect(picker).to_have_attribute("max", latest.isoformat())
    picker.fill((latest + timedelta(days=1)).isoformat())
    expect(page.get_by_text(f"Choose a date by {latest.isoformat()}")).to_be_visible()
    page.get_by_role("button", name="Schedule order").click()
    message = page.get_by_text(re.compile(r"scheduled at most one year ahead"))
    expect(message).to_be_visible()
    expect(page).to_have_url(re.compile(r"/add$"))
    picker.fill(latest.isoformat())
    expect(message).to_have_count(0)
