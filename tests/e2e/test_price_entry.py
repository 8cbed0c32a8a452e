"""Typing prices in the browser (issue 9 items 3 and 5): the broker's number format decides how
`5,76` reads, ambiguous amounts are refused at the row or the CSV cell, a price entered today
by mistake is corrected the same day until something is charged at it, and a price below cost
needs a confirmation."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

# CPython 3.11.7's late-compile AST SystemError after MSAL ran (tests/integration/partner_center/
# conftest.py): import hypothesis at collection.
import hypothesis  # noqa: F401
import pytest
from playwright.sync_api import Locator, Page, expect

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin, TenantStatus
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock
from o365portal.services.accounts import _settings as broker_settings
from o365portal.services.ordering._records import Purchase, record_order
from o365portal.services.pricing import _catalog as catalog
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _rows as price_rows
from o365portal.services.pricing._rows import PriceFilters, PriceRow
from tests.builders import Account, new_broker, new_organization, unique
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in

# One product per viewport and test, so no two runs edit the same price.
LOCALE_ITEM = {"desktop": "CFQ7TTC0LH0J", "phone": "CFQ7TTC0LH1P"}  # Exchange Archiving / Plan 2
CORRECTED_ITEM = {"desktop": "CFQ7TTC0LFLS", "phone": "CFQ7TTC0LFK5"}  # Entra ID P1 / P2


@pytest.fixture(scope="module")
def broker(portal: Portal) -> Account:
    """A broker, with the catalog refreshed from the portal's sandbox."""
    account = new_broker()
    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright keeps a loop on this thread
        pool.submit(asyncio.run, catalog.refresh_catalog(actor=account.principal)).result()
    return account


@pytest.fixture
def settings_restored(broker: Account) -> Iterator[None]:
    """The broker settings row is shared by every test: put it back afterwards."""
    saved = broker_settings.get_broker_settings(actor=broker.principal).as_form()
    yield
    broker_settings.update_broker_settings(actor=broker.principal, form=saved)


def _row(broker: Account, product_id: str) -> PriceRow:
    filters = PriceFilters(text=product_id, term="P1Y", billing_cycle="monthly")
    return price_rows.price_rows(actor=broker.principal, list_id=None, filters=filters).rows[0]


def _label(row: PriceRow) -> str:
    return f"Price of {row.title} {row.item.term} {row.item.billing_cycle}"


def _visible(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.get_by_text(text).filter(visible=True).first


def _open(page: Page, row: PriceRow) -> Locator:
    page.goto("/price-lists/global")
    expect(page.get_by_text(re.compile(r"^1–25 of \d+$"))).to_be_visible()  # loaded
    page.get_by_role("textbox", name="Search the catalog").fill(row.item.product_id)
    expect(page.get_by_text(re.compile(r"^1–\d of \d$"))).to_be_visible()
    return page.get_by_role("textbox", name=_label(row))


def _save(page: Page, row: PriceRow, text: str) -> None:
    page.get_by_role("textbox", name=_label(row)).fill(text)
    page.get_by_role("button", name="Save " + _label(row)).click()


def test_a_decimal_comma_is_read_by_the_brokers_number_format(
    page: Page, viewport: str, broker: Account, settings_restored: None
) -> None:
    row = _row(broker, LOCALE_ITEM[viewport])
    assert row.cost is not None
    price = row.cost.quantize(Decimal(1)) + Decimal("5.76")  # above cost, e.g. 13.76
    point, comma = f"{price:.2f}", f"{price:.2f}".replace(".", ",")
    today = clock.today().isoformat()
    sign_in(page, broker)
    box = _open(page, row)
    _save(page, row, comma)  # en_US: a comma groups thousands, so this is not an amount
    expect(
        _visible(page, f"“{comma}”: the decimal sign here is “.”; write {point}.")
    ).to_be_visible()
    expect(box).to_have_value(comma)  # the typed value stays, nothing was stored
    assert _row(broker, row.item.product_id).price is None

    page.goto("/settings")
    page.get_by_label("Number format for prices").select_option("de_DE")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    box = _open(page, row)
    _save(page, row, "1.234")
    expect(
        _visible(page, re.compile(r"^“1\.234” is ambiguous: write 1234 or 1\.234,00"))
    ).to_be_visible()
    _save(page, row, comma)
    expect(page.get_by_text(f"Saved {comma} USD from {today}.")).to_be_visible()
    expect(box).to_have_value(comma)
    assert _row(broker, row.item.product_id).price == price

    page.get_by_role("button", name="Import CSV").click()
    dialog = page.get_by_role("dialog")
    cells = ",".join(row.item.__dict__.values())
    dialog.get_by_role("textbox", name="CSV text").fill(
        f"ProductId,SkuId,AvailabilityId,Term,BillingCycle,SalesPrice\n{cells},4.321\n"
    )
    dialog.get_by_role("button", name="Import").click()
    expect(
        dialog.get_by_text(re.compile(r"^line 2, column SalesPrice: “4\.321” is ambiguous"))
    ).to_be_visible()
    assert _row(broker, row.item.product_id).price == price  # the file was refused


def _charge(broker: Account, row: PriceRow, unit_price: Decimal) -> None:
    """An order charged at today's price, recorded as the ordering services record one."""
    organization = new_organization(broker.principal)
    with session_scope() as session:
        tenant = Tenant(
            organization_id=organization.id, customer_id=unique("c-"),
            domain=unique("t") + ".example", status=TenantStatus.ACTIVE,
        )  # fmt: skip
        session.add(tenant)
        session.flush()
        purchase = Purchase(
            tenant_id=tenant.id or 0, ref=row.item, friendly_name="Seats", po_number=None,
            quantity=1, order_id=unique("o-"), actor_account_id=broker.principal.account_id,
            origin=ChangeOrigin.PORTAL, unit_price=unit_price, currency="USD", note="",
        )  # fmt: skip
        record_order(session, purchase, clock.now())


def test_a_price_entered_today_by_mistake_is_corrected_and_below_cost_is_confirmed(
    page: Page, viewport: str, broker: Account
) -> None:
    row = _row(broker, CORRECTED_ITEM[viewport])
    assert row.cost is not None
    today, tomorrow = clock.today(), clock.today() + timedelta(days=1)
    price_lists.set_price(  # the mistake: 100 times the intended price, in force today
        actor=broker.principal,
        list_id=None,
        item=row.item,
        price=str(row.cost * 100),
        effective=today,
    )
    mistake = f"{row.cost * 100:,.2f}"
    sign_in(page, broker)
    box = _open(page, row)
    expect(page.get_by_label("New prices start on")).to_have_attribute("min", today.isoformat())
    expect(box).to_have_value(mistake)
    intended = row.cost + Decimal("1.5")
    _save(page, row, f"{intended}")
    expect(page.get_by_text(
        f"Corrected the price from {today} to {intended:.2f} USD (was {mistake})."
    )).to_be_visible()  # fmt: skip
    expect(box).to_have_value(f"{intended:.2f}")
    corrected = rf"Corrected from {re.escape(mistake)} by Bea Broker at \d\d:\d\d UTC\."
    expect(_visible(page, re.compile(corrected))).to_be_visible()  # the audit, shown

    below = row.cost - 1
    _save(page, row, f"{below}")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"{below:.2f} is below Microsoft's cost {row.cost:.2f} USD")
    dialog.get_by_role("button", name="Keep editing").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert _row(broker, row.item.product_id).price == intended  # nothing stored
    _save(page, row, f"{below}")
    page.get_by_role("alertdialog").get_by_role("button", name="Save below cost").click()
    expect(
        page.get_by_text(re.compile(rf"^Corrected the price from {today} to {below:.2f} USD"))
    ).to_be_visible()
    expect(_visible(page, "Below cost")).to_be_visible()

    _charge(broker, row, below)  # a customer ordered at today's price: it is locked now
    box = _open(page, row)
    expect(
        _visible(
            page, "Today's price has been charged: a new price starts tomorrow at the earliest."
        )
    ).to_be_visible()
    _save(page, row, f"{intended}")  # the date field was left as it is
    expect(page.get_by_text(f"Saved {intended:.2f} USD from {tomorrow}.")).to_be_visible()
    expect(_visible(page, f"Next: {intended:.2f} from {tomorrow}")).to_be_visible()
    assert _row(broker, row.item.product_id).price == below
