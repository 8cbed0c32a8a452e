"""Messages say the truth (issue 9 item 7): whole seats only, a phone number that is too short,
an empty tenant domain, and a date picker whose earliest day is the one the server accepts.
(A rejected request staying visible with the broker's comment: test_approval_details.py.)"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from o365portal.services import clock
from o365portal.ui import routes
from tests.builders import new_broker
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in
from tests.e2e.tenant_steps import ready_organization
from tests.e2e.test_ordering import fill_order, new_shop, settings_restored  # noqa: F401


@pytest.mark.usefixtures("settings_restored")
def test_a_fraction_of_a_seat_is_refused_as_whole_seats_only(page: Page, portal: Portal) -> None:
    shop = new_shop(portal.sandbox)
    sign_in(page, shop.customer)
    page.goto(routes.add_subscription_url(shop.organization_id))
    fill_order(page, quantity="1.5", name="Half a seat")
    expect(page.get_by_text("Whole seats only", exact=False)).to_be_visible()
    expect(page.get_by_label("Quantity")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Order now").click()
    expect(page.get_by_text("Whole seats only", exact=False)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/add$"))


@pytest.mark.usefixtures("settings_restored")
def test_the_date_pickers_first_day_is_the_first_day_the_server_accepts(
    page: Page, portal: Portal
) -> None:
    shop = new_shop(portal.sandbox)
    sign_in(page, shop.broker)
    page.goto(routes.add_subscription_url(shop.organization_id))
    fill_order(page, quantity="2", name="Today")
    page.get_by_role("radio", name="On a future date").click()
    picker = page.get_by_label("Provisioning date")
    today = clock.today()
    expect(picker).to_have_attribute("min", today.isoformat())
    picker.fill((today - timedelta(days=1)).isoformat())
    expect(page.get_by_text("Choose today or a later date.")).to_be_visible()
    picker.fill(today.isoformat())
    expect(page.get_by_text("Choose today or a later date.")).to_have_count(0)
    expect(page.get_by_role("button", name="Order now")).to_be_visible()  # today is at once


def test_a_phone_number_of_four_digits_is_too_short(page: Page) -> None:
    sign_in(page, new_broker())
    page.get_by_role("button", name="Add organization").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Company name").fill("Short Phone Ltd")
    dialog.get_by_label("Phone").fill("1234")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("This phone number is too short", exact=False)).to_be_visible()


def test_linking_without_a_domain_asks_for_the_domain(page: Page) -> None:
    broker = new_broker()
    org = ready_organization(broker.principal)
    sign_in(page, broker)
    page.goto(f"/organizations/{org.id}/estore/microsoft-365")
    page.get_by_role("button", name="Link tenant").click()
    message = page.get_by_role("alert").filter(has_text="Enter the tenant's domain, such as")
    expect(message).to_be_visible()
    expect(page.get_by_label("Tenant domain")).to_have_attribute("aria-invalid", "true")
