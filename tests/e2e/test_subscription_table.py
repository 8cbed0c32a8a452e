"""The Subscriptions table in the browser, for brokers and customers on desktops and phones:
every fact of a subscription shown (seats in use from the synced licences, prices per seat and
per cycle, renewal with the changes scheduled in Partner Center), search, sort and the status
filter working on the page, add-ons under their parent, and the search kept when Partner
Center changes a subscription while the page is open.

The organization buys in Microsoft's web portal (the sandbox's portal app) and the tenant is
synced once from here, so the rows are the ones sync makes.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.subscriptions import Subscription
from o365portal.partner_center.models import ScheduledNextTermInstructions
from o365portal.services import sync
from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in
from tests.e2e.tenant_steps import run
from tests.e2e.test_ordering import new_shop
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import BASIC_MONTHLY, Shop, set_price
from tests.services.table_support import (
    STANDARD,
    TEAMS_PREMIUM,
    bought_in_partner_center,
    ensure_table_catalog,
    licensed_user,
)

WHO = ["broker", "customer"]


def _synced(shop: Shop) -> None:
    report = run(sync.run_sync("tenant", customer_id=shop.customer_id, wait=60))
    assert report.error is None


def _set_po(pc_id: str, po_number: str) -> None:
    with session_scope() as session:
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        row.one().po_number = po_number


@pytest.fixture(scope="module")
def shop(portal: Portal) -> Shop:
    """Sales team (10 Basic seats, one assigned, 12 seats from the renewal, PO-4711), Board (3
    Standard seats, suspended) and Meetings (a Teams Premium add-on, under Board: first by
    name of the subscriptions it may belong under)."""
    shop, control = new_shop(portal.sandbox), HttpsSandbox(portal.sandbox)
    ensure_table_catalog()
    set_price(shop, STANDARD, "150.00", date(2020, 1, 1))
    set_price(shop, TEAMS_PREMIUM, "12.00", date(2020, 1, 1))

    async def buy() -> str:
        sales = await bought_in_partner_center(
            control, shop.customer_id, BASIC_MONTHLY, 10, "Sales team"
        )
        board = await bought_in_partner_center(control, shop.customer_id, STANDARD, 3, "Board")
        await bought_in_partner_center(control, shop.customer_id, TEAMS_PREMIUM, 2, "Meetings")
        await licensed_user(control, shop.customer_id)
        async with control.client(portal_app=True) as pc:
            await pc.subscriptions.schedule_next_term(
                shop.customer_id, sales, ScheduledNextTermInstructions(quantity=12)
            )
            await pc.subscriptions.suspend(shop.customer_id, board)
        return sales

    sales = run(buy())
    _synced(shop)
    _set_po(sales, "PO-4711")
    return shop


def _open(page: Page, shop: Shop, who: str) -> None:
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.subscriptions_url(shop.organization_id))
    expect(_lines(page).first).to_be_visible()


def _lines(page: Page) -> Locator:
    """The table's rows (desktop) or cards (phone) as shown, each named after its subscription."""
    rows = page.get_by_role("row").filter(has=page.get_by_role("rowheader"))
    cards = page.get_by_role("group", name=re.compile(r"^(?!Request for )"))
    return rows.or_(cards).filter(visible=True)


def _line(page: Page, name: str) -> Locator:
    row = page.get_by_role("row", name=name, exact=True)
    return row.or_(page.get_by_role("group", name=name, exact=True)).filter(visible=True)


def _shows(page: Page, *names: str) -> None:
    """The lines shown are these subscriptions, in this order."""
    lines = _lines(page)
    expect(lines).to_have_count(len(names))
    for number, name in enumerate(names):
        expect(lines.nth(number)).to_have_attribute("aria-label", name)


@pytest.mark.parametrize("who", WHO)
def test_every_fact_of_a_subscription_is_shown_without_cost(
    page: Page, viewport: str, shop: Shop, who: str
) -> None:
    _open(page, shop, who)
    sales = _line(page, "Sales team")
    for fact in (
        "Microsoft 365 Business Basic", "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "PO-4711",
        "10 seats", "1 assigned", "9 free", "7.50 USD / seat / month", "75.00 USD / month",
        "1 year", "Monthly", "Active", "Auto-renew on", "Renews with changes",
        "At renewal: 12 seats",
    ):  # fmt: skip
        expect(sales).to_contain_text(fact)
    expect(sales).to_contain_text(re.compile(r"Renews \d{4}-\d\d-\d\d"))
    board = _line(page, "Board")
    expect(board).to_contain_text("Suspended")
    expect(board).to_contain_text("150.00 USD / seat / year")
    expect(board).to_contain_text("450.00 USD / year")
    expect(_lines(page).filter(has_text=re.compile("cost|margin", re.IGNORECASE))).to_have_count(0)
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits or viewport == "desktop", "the phone page scrolls sideways"


@pytest.mark.parametrize("who", WHO)
def test_an_add_on_is_shown_under_its_parent(page: Page, shop: Shop, who: str) -> None:
    _open(page, shop, who)
    expect(_line(page, "Meetings")).to_contain_text("Add-on")
    expect(_line(page, "Meetings")).to_contain_text("Microsoft Teams Premium")
    _shows(page, "Board", "Meetings", "Sales team")


@pytest.mark.parametrize("who", WHO)
def test_search_sort_and_status_filter_work_on_the_page(page: Page, shop: Shop, who: str) -> None:
    _open(page, shop, who)
    search = page.get_by_label("Search subscriptions")

    search.fill("teams premium")
    _shows(page, "Meetings")
    expect(_line(page, "Meetings")).to_contain_text("Add-on of Board")  # its parent is hidden
    search.fill("po-4711")
    _shows(page, "Sales team")
    search.fill("CFQ7TTC0LDPB")
    _shows(page, "Board")
    search.fill("no such subscription")
    expect(page.get_by_text("No subscription matches.")).to_be_visible()
    page.get_by_role("button", name="Show all").click()
    expect(_lines(page)).to_have_count(3)
    expect(search).to_have_value("")

    page.get_by_label("Filter by status").select_option("Suspended")
    _shows(page, "Board")
    page.get_by_label("Filter by status").select_option("")
    expect(_lines(page)).to_have_count(3)

    page.get_by_label("Sort by").select_option("quantity")
    _shows(page, "Sales team", "Board", "Meetings")
    page.get_by_label("Sort by").select_option("name")
    _shows(page, "Board", "Meetings", "Sales team")
    page.get_by_label("Sort by").select_option("status")  # Active first; Meetings under Board
    _shows(page, "Sales team", "Board", "Meetings")


WEBHOOK_MS = 10_000  # Partner Center posts the event, the portal reads it back, then the feed


def test_the_search_stays_in_force_when_partner_center_changes_the_list(
    page: Page, portal: Portal
) -> None:
    shop, control = new_shop(portal.sandbox), HttpsSandbox(portal.sandbox)

    async def buy() -> str:
        await bought_in_partner_center(control, shop.customer_id, BASIC_MONTHLY, 2, "Desk one")
        return await bought_in_partner_center(control, shop.customer_id, BASIC_MONTHLY, 1, "Other")

    other = run(buy())
    _synced(shop)
    _open(page, shop, "customer")
    page.get_by_label("Search subscriptions").fill("desk")
    _shows(page, "Desk one")
    page.evaluate("window.__not_reloaded = true")

    async def rename() -> None:
        async with control.client(portal_app=True) as pc:
            await pc.subscriptions.rename(shop.customer_id, other, "Desk two")

    run(rename())

    expect(_lines(page)).to_have_count(2, timeout=WEBHOOK_MS)
    _shows(page, "Desk one", "Desk two")
    expect(page.get_by_label("Search subscriptions")).to_have_value("desk")
    assert page.evaluate("window.__not_reloaded === true")


def test_a_long_list_is_paged_and_the_search_finds_rows_on_any_page(
    page: Page, portal: Portal
) -> None:
    shop, control = new_shop(portal.sandbox), HttpsSandbox(portal.sandbox)
    names = [f"Desk {n:02}" for n in range(1, 28)]

    async def buy() -> None:
        for name in names:
            await bought_in_partner_center(control, shop.customer_id, BASIC_MONTHLY, 1, name)

    run(buy())
    _synced(shop)
    _open(page, shop, "broker")
    _shows(page, *names[:25])
    expect(page.get_by_text("1–25 of 27")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    _shows(page, "Desk 26", "Desk 27")
    expect(page.get_by_text("26–27 of 27")).to_be_visible()

    page.get_by_label("Search subscriptions").fill("desk 03")  # on the first page
    _shows(page, "Desk 03")
    expect(page.get_by_text("1–1 of 1")).to_be_visible()
    page.get_by_label("Search subscriptions").fill("")
    _shows(page, *names[:25])  # a new search starts on the first page
