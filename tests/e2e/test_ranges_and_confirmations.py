"""Ranges and confirmations (issue 9 item 6): a go-live date at most a year ahead, a quantity
above the item's maximum refused at the field, Suspend and Cancel request ask first, and
search takes `%` and `_` literally."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from o365portal.services import clock
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._input import OrderOutcome
from o365portal.ui import routes
from tests.builders import new_broker, new_organization, unique
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in
from tests.e2e.test_approval_details import approvals_required, customer_asks  # noqa: F401
from tests.e2e.test_ordering import fill_order, new_shop, settings_restored  # noqa: F401
from tests.services.ordering_support import Shop, order_form


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


def _schedule(shop: Shop, name: str) -> OrderOutcome:
    """The broker schedules Business Basic for next week (no Partner Center call yet)."""
    go_live = (clock.today() + timedelta(days=7)).isoformat()
    form = order_form(quantity=2, friendly_name=name, go_live_date=go_live)
    placing = ordering.place_order(
        actor=shop.broker.principal, organization_id=shop.organization_id, form=form
    )
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        return thread.submit(asyncio.run, placing).result()


@pytest.mark.usefixtures("approvals_required")
def test_suspend_and_cancel_request_ask_before_they_act(
    page: Page, portal: Portal, viewport: str
) -> None:
    shop = new_shop(portal.sandbox)
    later, asked = f"Later {viewport}", f"Asked {viewport}"
    _schedule(shop, later)
    customer_asks(shop, asked)
    sign_in(page, shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))
    line = page.get_by_text(later).filter(visible=True).first

    page.get_by_role("button", name=f"Actions for {later}").filter(visible=True).click()
    page.get_by_role("menuitem", name="Suspend").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(later)
    confirm.get_by_role("button", name="Keep the order").click()
    expect(confirm).to_have_count(0)
    expect(line).to_be_visible()
    page.get_by_role("button", name=f"Actions for {later}").filter(visible=True).click()
    page.get_by_role("menuitem", name="Suspend").click()
    confirm.get_by_role("button", name="Suspend order").click()
    expect(page.get_by_text("The scheduled order was cancelled.")).to_be_visible()
    expect(page.get_by_text(later)).to_have_count(0)

    request = page.get_by_role("group", name=re.compile(r"^Request for 3 × "))
    request.get_by_role("button", name="Cancel request").click()
    expect(confirm).to_contain_text(asked)
    confirm.get_by_role("button", name="Keep the request").click()
    expect(confirm).to_have_count(0)
    expect(request).to_be_visible()
    request.get_by_role("button", name="Cancel request").click()
    confirm.get_by_role("button", name="Cancel request").click()
    expect(page.get_by_text("Your request was cancelled.")).to_be_visible()
    expect(request).to_have_count(0)


def test_search_takes_percent_and_underscore_literally(page: Page) -> None:
    broker = new_broker()
    tag = unique("Lit")
    percent = new_organization(broker.principal, company_name=f"{tag} 50% Off Ltd")
    new_organization(broker.principal, company_name=f"{tag} 50 Percent Ltd")
    underscore = new_organization(broker.principal, company_name=f"{tag} A_B Ltd")
    new_organization(broker.principal, company_name=f"{tag} AxB Ltd")
    sign_in(page, broker)
    search = page.get_by_label("Search organizations")
    search.fill(tag)
    expect(page.get_by_text("1–4 of 4")).to_be_visible()
    for text, found in ((f"{tag} 50%", percent), (f"{tag} a_b", underscore)):
        search.fill(text)
        expect(page.get_by_text("1–1 of 1")).to_be_visible()
        expect(page.get_by_role("link", name=found.company_name)).to_be_visible()
