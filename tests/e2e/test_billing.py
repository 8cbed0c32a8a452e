"""The billing report in the browser, on a desktop and a phone: last month by default, a custom
range (a bad one is said next to its field), drill-down from billing date to subscription to
lines with why each is there, CSV and XLSX downloads opened and checked, the broker's check
with Microsoft (and Partner Center down while checking), the broker-wide report with its
per-organization totals and chart; a customer sees sales amounts only, never a cost, not even
in the websocket frames.

Arrangements go through the services (same database): a provisioned monthly Business Basic
(no Teams) subscription of 3 seats at 9.00 a seat, bought today, Microsoft's cost mirrored from
the sandbox's price list (so the check with Microsoft matches): its new purchase (27.00) is in
the current billing period's report.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from o365portal.db.engine import session_scope
from o365portal.db.tables.organizations import Organization
from o365portal.domain.terms import add_months
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import clock
from o365portal.ui import routes
from tests.e2e.conftest import Portal
from tests.e2e.journeys import open_navigation, sign_in
from tests.e2e.test_ordering import record_frames
from tests.e2e.test_subscription_changes import bought, settings_restored  # noqa: F401
from tests.sandboxes import HttpsSandbox
from tests.services.billing_support import NO_TEAMS_MONTHLY, ensure_billing_items, sandbox_prices
from tests.services.ordering_support import Shop

SHOTS = Path("var/screenshots")
pytestmark = pytest.mark.usefixtures("settings_restored")


def bought_no_teams(sandbox: SandboxInfo, name: str) -> tuple[Shop, str]:
    """A shop with 3 seats of Basic (no Teams) at 9.00, provisioned; and Microsoft's cost of
    them as text ("25.20")."""
    ensure_billing_items()
    shop = bought(sandbox, name, ref=NO_TEAMS_MONTHLY, price="9.00")
    today = clock.today()
    unit = [price for day, price in sandbox_prices(NO_TEAMS_MONTHLY) if day <= today][-1]
    return shop, f"{unit * 3:.2f}"


def _this_month() -> date:
    return clock.today().replace(day=1)


def _report(page: Page, billing_date: date) -> Locator:
    return page.get_by_role("region", name=f"Billing date {billing_date.isoformat()}")


def _show_this_month(page: Page) -> Locator:
    """Custom range: this month only; the report of the period in progress."""
    page.get_by_role("radio", name="Custom range").click()
    month = _this_month().strftime("%Y-%m")
    page.get_by_label("From month").fill(month)
    page.get_by_label("To month").fill(month)
    page.get_by_role("button", name="Show report").click()
    report = _report(page, add_months(_this_month(), 1))
    expect(report).to_be_visible()
    return report


def _open_lines(page: Page, report: Locator, name: str) -> None:
    report.get_by_role("button", name="Billing date").click()
    report.get_by_role("button", name=f"Lines of {name}").filter(visible=True).click()
    expect(report.get_by_text("New purchase").filter(visible=True).first).to_be_visible()


def _checked(report: Locator) -> None:
    """The report says it matches Microsoft and what was read."""
    status = report.get_by_role("status")
    expect(status).to_have_text("matches Microsoft")
    expect(report.get_by_text("Read: unbilled lines of", exact=False)).to_be_visible()


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_last_month_then_a_range_drills_down_to_lines_that_say_why(
    page: Page, portal: Portal, viewport: str, who: str
) -> None:
    name = f"Billing {who} {viewport}"
    shop, cost = bought_no_teams(portal.sandbox, name)
    frames = record_frames(page)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.billing_url(shop.organization_id))

    expect(_report(page, _this_month())).to_be_visible()  # last month's, dated the 1st
    page.get_by_role("radio", name="Custom range").click()
    page.get_by_label("From month").fill(_this_month().strftime("%Y-%m"))
    page.get_by_label("To month").fill(add_months(_this_month(), -1).strftime("%Y-%m"))
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_text("The last month must not be before the first month.")).to_be_visible()
    expect(page.get_by_label("To month")).to_have_attribute("aria-invalid", "true")

    report = _show_this_month(page)
    expect(report).to_contain_text("Total 27.00 USD")
    _open_lines(page, report, name)
    line = report.get_by_text("27.00 USD").filter(visible=True)
    expect(line.first).to_be_visible()
    report.get_by_text("Why is this line here?").filter(visible=True).first.click()
    expect(report.get_by_text("3 seats", exact=False).filter(visible=True).first).to_be_visible()
    page.screenshot(path=str(SHOTS / f"billing-{who}-{viewport}.png"), full_page=True)

    checks = report.get_by_role("button", name="Check with Microsoft")
    if who == "broker":
        expect(report.get_by_text(f"{cost} USD").filter(visible=True).first).to_be_visible()
        checks.click()
        _checked(report)
        return
    expect(checks).to_have_count(0)
    received = "\n".join(frames)
    assert "27.00 USD" in received
    assert cost not in received
    assert "margin" not in received.lower() and "cost_text" not in received


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_the_range_shown_downloads_as_csv_and_xlsx(
    page: Page, portal: Portal, viewport: str, who: str
) -> None:
    name = f"Export {who} {viewport}"
    shop, cost = bought_no_teams(portal.sandbox, name)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.billing_url(shop.organization_id))
    _show_this_month(page)

    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Export CSV").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["Friendly name"] == name]
    assert (row["Line"], row["Quantity"], row["Amount"]) == ("New purchase", "3", "27.00")
    assert ("Cost" in row) is (who == "broker")
    if who == "broker":
        assert row["Cost"] == cost

    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Export XLSX").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    assert sheet is not None
    header, *values = [list(r) for r in sheet.iter_rows(values_only=True)]
    [found] = [dict(zip(header, r, strict=True)) for r in values if name in r]
    assert found["Amount"] == 27
    assert ("Cost" in header) is (who == "broker")


def test_partner_center_down_while_checking_is_said_at_the_report(
    page: Page, portal: Portal, viewport: str
) -> None:
    name = f"Check down {viewport}"
    shop, _ = bought_no_teams(portal.sandbox, name)
    sign_in(page, shop.broker)
    page.goto(routes.billing_url(shop.organization_id))
    report = _show_this_month(page)
    control = HttpsSandbox(portal.sandbox)
    down = {"error500": 1.0}
    control.chaos(routes={"GET /v1/invoices/unbilled/lineitems": down, "GET /v1/invoices": down})
    try:
        report.get_by_role("button", name="Check with Microsoft").click()
        expect(report.get_by_role("alert")).to_contain_text("Partner Center", timeout=30_000)
    finally:
        control.chaos()
    report.get_by_role("button", name="Check with Microsoft").click()
    _checked(report)


def test_the_broker_wide_report_totals_each_organization_and_charts_the_months(
    page: Page, portal: Portal, viewport: str
) -> None:
    shop, _ = bought_no_teams(portal.sandbox, f"Broker-wide {viewport}")
    with session_scope() as session:
        organization = session.get(Organization, shop.organization_id)
        assert organization is not None
        company = organization.company_name
    sign_in(page, shop.broker)
    open_navigation(page, viewport)
    page.get_by_role("link", name="Billing report").click()
    expect(page.get_by_role("heading", name="Billing report: all organizations")).to_be_visible()
    report = _show_this_month(page)
    expect(page.get_by_label("Monthly totals")).to_be_visible()
    report.get_by_role("button", name="Billing date").click()
    expect(report.get_by_text("Per organization")).to_be_visible()
    expect(report.get_by_text(company).first).to_be_visible()
    page.screenshot(path=str(SHOTS / f"billing-all-{viewport}.png"), full_page=True)
