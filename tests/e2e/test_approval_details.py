"""Approvals show what is approved (issue 9 item 4), and a rejection stays visible (item 7).

The request card (the customer's subscription list, the broker's Approvals page) and the
decision dialog name the product, term, billing cycle, seats, price per seat and total; brokers
also see cost and margin, which never reach a customer's page or websocket frames.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _place as ordering
from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in, sign_out
from tests.e2e.test_ordering import new_shop, record_frames
from tests.services.ordering_support import Shop, broker_settings, order_form

REQUEST = re.compile(r"^Request for 3 × Microsoft 365 Business Basic")


@pytest.fixture
def approvals_required() -> Iterator[None]:
    """The broker requires approvals for this test only."""
    broker_settings(approvals=True)
    yield
    broker_settings()


def customer_asks(shop: Shop, name: str) -> None:
    """The shop's customer orders 3 seats of Business Basic; it waits for the broker."""
    form = order_form(quantity=3, friendly_name=name, po_number="PO-9")
    order = ordering.prepare_order(
        actor=shop.customer.principal, organization_id=shop.organization_id, form=form
    )
    approvals.request_order(actor=shop.customer.principal, order=order)


def expect_what_is_asked(scope: Locator, name: str, *, priced: bool = True) -> None:
    """Product, the customer's name for it, seats, term, cycle; price per seat and total while
    the request is pending (what approving would charge)."""
    shown = [
        r"Product\s*Microsoft 365 Business Basic",
        rf"Name\s*{name}",
        r"Seats\s*3",
        r"Term\s*1 year",
        r"Billing\s*Monthly",
    ]
    price = [r"Price per seat\s*7\.50 USD", r"Total\s*22\.50 USD"]
    for text in shown + (price if priced else []):
        expect(scope).to_contain_text(re.compile(text))


def test_a_request_shows_what_is_asked_and_only_the_broker_sees_cost_and_margin(
    page: Page, portal: Portal, viewport: str, approvals_required: None
) -> None:
    shop = new_shop(portal.sandbox)
    name = f"Front desk {viewport}"
    customer_asks(shop, name)
    frames = record_frames(page)
    sign_in(page, shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))
    theirs = page.get_by_role("group", name=REQUEST)
    expect_what_is_asked(theirs, name)
    expect(theirs).not_to_contain_text("Cost")
    expect(theirs).not_to_contain_text("Margin")
    received = "\n".join(frames)
    assert "22.50" in received  # the recording works
    assert "unit_cost" not in received and "margin" not in received.lower()
    sign_out(page, viewport)

    sign_in(page, shop.broker)
    page.goto(routes.APPROVALS)
    ours = page.get_by_role("group", name=REQUEST).filter(has_text=name)
    expect_what_is_asked(ours, name)
    expect(ours).to_contain_text(re.compile(r"Cost per seat\s*6\.00 USD"))
    expect(ours).to_contain_text(re.compile(r"Margin\s*20\.00 %"))
    ours.get_by_role("button", name=re.compile(r"^Decide on ")).click()
    dialog = page.get_by_role("dialog")
    expect_what_is_asked(dialog, name)
    expect(dialog).to_contain_text(re.compile(r"Cost per seat\s*6\.00 USD"))
    expect(dialog).to_contain_text(re.compile(r"Margin\s*20\.00 %"))


def test_a_rejected_request_stays_visible_to_the_customer_with_the_brokers_comment(
    page: Page, portal: Portal, viewport: str, approvals_required: None
) -> None:
    shop = new_shop(portal.sandbox)
    name = f"Annex {viewport}"
    customer_asks(shop, name)
    sign_in(page, shop.broker)
    page.goto(routes.APPROVALS)
    ours = page.get_by_role("group", name=REQUEST).filter(has_text=name)
    ours.get_by_role("button", name=re.compile(r"^Decide on ")).click()
    page.get_by_label("Comment").fill("Over budget this quarter")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Rejected; the customer was told.")).to_be_visible()
    sign_out(page, viewport)

    sign_in(page, shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))
    theirs = page.get_by_role("group", name=REQUEST)
    expect(theirs).to_contain_text("Rejected")
    expect(theirs).to_contain_text("Over budget this quarter")
    expect_what_is_asked(theirs, name, priced=False)
    expect(theirs.get_by_role("button", name="Cancel request")).to_have_count(0)
