"""Price lists in the browser: a broker sets prices (inline and by CSV) and customer lists; a
customer reaches none of it, not even over the websocket."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

# CPython 3.11.7's late-compile AST SystemError after MSAL ran (tests/integration/partner_center/
# conftest.py): import hypothesis at collection.
import hypothesis  # noqa: F401
import pytest
from playwright.sync_api import Locator, Page, WebSocket, expect

from o365portal.services import clock
from o365portal.services.pricing import _catalog as catalog
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _rows as price_rows
from o365portal.services.pricing._rows import PriceFilters, PriceRow
from tests.builders import Account, new_broker, new_customer, new_organization, unique
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in

# One product per viewport, so the desktop and phone runs never edit the same price.
EDITED = {"desktop": "CFQ7TTC0HD33", "phone": "CFQ7TTC0HD32"}  # Visio Plan 1 / Plan 2
FALLBACK = {"desktop": ("CFQ7TTC0MBMD", "monthly"), "phone": ("CFQ7TTC0MBMD", "annual")}  # F1
IMPORTED = {"desktop": "CFQ7TTC0LHSF", "phone": "CFQ7TTC0HL8W"}  # Power BI Pro / Premium PU


@pytest.fixture(scope="module")
def broker(portal: Portal) -> Account:
    """A broker, with the catalog refreshed from the portal's sandbox."""
    account = new_broker()
    # Playwright's sync API keeps an event loop on this thread: refresh on another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, catalog.refresh_catalog(actor=account.principal)).result()
    return account


def _row(
    broker: Account, product_id: str, cycle: str = "monthly", list_id: int | None = None
) -> PriceRow:
    filters = PriceFilters(text=product_id, term="P1Y", billing_cycle=cycle)
    found = price_rows.price_rows(actor=broker.principal, list_id=list_id, filters=filters)
    return found.rows[0]


def _visible(page: Page, text: str) -> Locator:
    """The first visible element with `text` (phones and desktops render both layouts)."""
    return page.get_by_text(text).filter(visible=True).first


def _shown(amount: Decimal) -> str:
    """An amount as the editor shows it under en_US: at least two decimals."""
    return f"{amount:,.2f}" if amount == round(amount, 2) else f"{amount.normalize():,f}"


def _label(row: PriceRow) -> str:
    return f"Price of {row.title} {row.item.term} {row.item.billing_cycle}"


def _open_list(page: Page, path: str, product_id: str) -> None:
    page.goto(path)
    page.get_by_role("textbox", name="Search the catalog").fill(product_id)
    expect(page.get_by_text(re.compile(r"^1–\d of \d$"))).to_be_visible()


def test_a_broker_sets_a_price_and_sees_the_margin_then_schedules_a_change(
    page: Page, viewport: str, broker: Account
) -> None:
    row = _row(broker, EDITED[viewport])
    assert row.cost is not None
    price = (row.cost * Decimal("1.25")).normalize()  # a 20.00 % margin, exactly
    sign_in(page, broker)
    _open_list(page, "/price-lists/global", row.item.product_id)
    price_box = page.get_by_role("textbox", name=_label(row))
    price_box.fill(str(price))
    page.get_by_role("button", name="Save " + _label(row)).click()
    expect(page.get_by_text(f"Saved {_shown(price)} USD from {clock.today()}.")).to_be_visible()
    expect(_visible(page, "20.00%")).to_be_visible()
    tomorrow = clock.today() + timedelta(days=1)
    page.get_by_label("New prices start on").fill(tomorrow.isoformat())
    price_box.fill(str(price + 1))
    page.get_by_role("button", name="Save " + _label(row)).click()
    expect(_visible(page, f"Next: {_shown(price + 1)} from {tomorrow}")).to_be_visible()
    expect(_visible(page, "20.00%")).to_be_visible()  # today's margin is unchanged
    assert _row(broker, row.item.product_id).price == price


def test_a_broker_refreshes_the_catalog_from_partner_center(page: Page, broker: Account) -> None:
    sign_in(page, broker)
    page.goto("/price-lists/global")
    page.get_by_role("button", name="Refresh catalog").click()
    expect(page.get_by_text(re.compile(r"^Catalog refreshed: \d+ items\.$"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^1–25 of \d+$"))).to_be_visible()


def _csv(*lines: tuple[PriceRow, str]) -> str:
    header = "ProductId,SkuId,AvailabilityId,Term,BillingCycle,SalesPrice\n"
    return header + "".join(",".join([*r.item.__dict__.values(), p]) + "\n" for r, p in lines)


def _import(page: Page, text: str) -> None:
    page.get_by_role("button", name="Import CSV").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="CSV text").fill(text)
    dialog.get_by_role("button", name="Import").click()


def test_a_broker_imports_a_csv_with_a_bad_row_then_a_good_one(
    page: Page, viewport: str, broker: Account, tmp_path: Path
) -> None:
    monthly = _row(broker, IMPORTED[viewport])
    annual = _row(broker, IMPORTED[viewport], "annual")
    assert monthly.cost is not None and annual.cost is not None
    monthly_price, annual_price = monthly.cost + 1, annual.cost + 10  # above cost
    sign_in(page, broker)
    _open_list(page, "/price-lists/global", monthly.item.product_id)
    _import(page, _csv((monthly, str(monthly_price)), (annual, "a lot")))
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_contain_text("Nothing was imported: 1 problem(s)")
    expect(
        dialog.get_by_text(
            "line 3, column SalesPrice: “a lot” is not an amount here: write it with “.” as the "
            "decimal sign, e.g. 1,234.56 or 1234.56."
        )
    ).to_be_visible()
    assert _row(broker, monthly.item.product_id).price is None  # the good row was not applied
    dialog.get_by_role("textbox", name="CSV text").fill("")  # now the file instead
    good = tmp_path / "prices.csv"
    good.write_text(_csv((monthly, str(monthly_price)), (annual, str(annual_price))))
    with page.expect_file_chooser() as chooser:
        dialog.get_by_role("button", name="Choose a file").click()
    chooser.value.set_files(good)
    expect(dialog.get_by_text("prices.csv")).to_be_visible()
    dialog.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 2 prices (0 rows without a price skipped).")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("textbox", name=_label(monthly))).to_have_value(_shown(monthly_price))
    assert _row(broker, annual.item.product_id, "annual").price == annual_price


def test_a_broker_creates_a_customer_list_and_assigns_it(
    page: Page, viewport: str, broker: Account
) -> None:
    organization = new_organization(broker.principal)
    name = unique("Key accounts ")
    fallback = _row(broker, FALLBACK[viewport][0], FALLBACK[viewport][1])
    assert fallback.cost is not None
    global_price = fallback.cost.quantize(Decimal(1)) + 9  # above cost
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=fallback.item, price=global_price,
        effective=clock.today(),
    )  # fmt: skip
    sign_in(page, broker)
    page.goto("/price-lists")
    page.get_by_role("button", name="New price list").click()
    page.get_by_role("dialog").get_by_label("Name").fill(name)
    page.get_by_role("dialog").get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(r"/price-lists/\d+$"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("textbox", name="Search the catalog").fill(fallback.item.product_id)
    expect(_visible(page, f"Falls back to global: {_shown(global_price)}")).to_be_visible()
    page.get_by_role("textbox", name="Find an organization to assign").fill(
        organization.company_name
    )
    page.get_by_role("button", name="Assign to " + organization.company_name).click()
    expect(page.get_by_text(f"{organization.company_name} now uses {name}.")).to_be_visible()
    expect(page.get_by_role("link", name=organization.company_name)).to_be_visible()
    list_id = int(page.url.rsplit("/", 1)[-1])
    assert (
        price_lists.organization_list_id(actor=broker.principal, organization_id=organization.id)
        == list_id
    )
    page.goto("/price-lists")
    expect(page.get_by_text("Used by: " + organization.company_name)).to_be_visible()


def _record_frames(page: Page) -> list[str]:
    frames: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)
    return frames


def test_a_customer_cannot_open_price_lists_and_receives_no_cost(
    page: Page, broker: Account
) -> None:
    organization = new_organization(broker.principal)
    customer_list = price_lists.create_price_list(
        actor=broker.principal, name=unique("Secret list "), currency="USD"
    )
    price_lists.assign_price_list(
        actor=broker.principal, organization_id=organization.id, list_id=customer_list.id
    )
    frames = _record_frames(page)
    sign_in(page, new_customer(organization.id))
    for path in ("/price-lists", "/price-lists/global", f"/price-lists/{customer_list.id}"):
        page.goto(path)
        expect(page).to_have_url(re.compile(rf"/organizations/{organization.id}$"))
    expect(page.get_by_role("heading", name=organization.company_name)).to_be_visible()
    received = "\n".join(frames)
    assert organization.company_name in received  # the recording works
    for secret in (customer_list.name, '"cost"', '"margin"', "Microsoft 365 Business Basic"):
        assert secret not in received
