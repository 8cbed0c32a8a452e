"""The billing report's files and its operations command: CSV and XLSX with the friendly name
and PO number on every line and no cost column for a customer (the XLSX opened with openpyxl,
cells checked with their types), and `python -m o365portal report billing` in JSON, CSV and
XLSX, as the broker or as the customer, with clear refusals and exit code 2 on bad input."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from o365portal.__main__ import main
from o365portal.services import billing, subscriptions
from o365portal.services.errors import InvalidInput, NotAllowed
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.billing_support import (
    NO_TEAMS_MONTHLY,
    at,
    buy,
    clocks_put_back,
    set_clocks,
)
from tests.services.ordering_support import Shop, fast_client, open_shop, set_price

pytestmark = pytest.mark.usefixtures("portal_env")
JUNE = ["report", "billing", "--from", "2021-06", "--to", "2021-06"]


@pytest.fixture(autouse=True)
def clocks_back(portal_env: None, control: PartnerCenterFake) -> Iterator[None]:
    """The tests move both clocks; both go back afterwards."""
    with clocks_put_back(control):
        yield


@pytest.fixture
async def shop(sandbox: PartnerCenterFake, control: PartnerCenterFake) -> Shop:
    """Bought 2021-06-18: 10 seats at 9.00 (Microsoft: 7.20), 12 from 06-20 (28/30 days)."""
    set_clocks(control, at("2021-06-18"))
    async with fast_client(sandbox) as pc:
        opened = await open_shop(pc)
    set_price(opened, NO_TEAMS_MONTHLY, "9.00", date(2020, 1, 1))
    subscription_id = await buy(
        sandbox, control, opened, NO_TEAMS_MONTHLY, 10, friendly_name="Café staff", po_number="PO-7"
    )
    set_clocks(control, at("2021-06-20"))
    async with fast_client(sandbox) as pc:
        await subscriptions.change_quantity(
            actor=opened.broker.principal, subscription_id=subscription_id, quantity=12, pc=pc
        )
    return opened


def _reports(shop: Shop, *, customer: bool = False) -> list[billing.BillingReport]:
    who = shop.customer if customer else shop.broker
    return billing.billing_report(
        actor=who.principal,
        first_month="2021-06",
        last_month="2021-06",
        organization_id=shop.organization_id,
    )


def test_the_broker_csv_has_a_row_per_line_with_name_po_number_cost_and_margin(shop: Shop) -> None:
    exported = billing.export_report(
        actor=shop.broker.principal, reports=_reports(shop), file_format="csv"
    )

    assert exported.filename == "billing-report-2021-06.csv"
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r["Line"], r["Quantity"], r["Amount"], r["Cost"], r["Margin"]) for r in rows] == [
        ("New purchase", "10", "90.00", "72.00", "18.00"),
        ("Pro-rata for added seats", "10", "-84.00", "-67.20", "-16.80"),
        ("Pro-rata for added seats", "12", "100.80", "80.64", "20.16"),
    ]
    assert {(r["Friendly name"], r["PO number"], r["Billing date"]) for r in rows} == {
        ("Café staff", "PO-7", "2021-07-01")
    }


def test_the_customer_xlsx_holds_real_dates_and_numbers_and_no_cost(shop: Shop) -> None:
    reports = _reports(shop, customer=True)
    exported = billing.export_report(
        actor=shop.customer.principal, reports=reports, file_format="xlsx"
    )

    sheet = load_workbook(io.BytesIO(exported.content)).active
    header = [cell.value for cell in sheet[1]]
    assert not [name for name in header if "cost" in name.lower() or "margin" in name.lower()]
    rows = [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    assert [(r["Line"], r["Quantity"], r["Amount"]) for r in rows] == [
        ("New purchase", 10, 90),
        ("Pro-rata for added seats", 10, -84),
        ("Pro-rata for added seats", 12, 100.8),  # a spreadsheet number
    ]
    assert rows[0]["Charge start"] == datetime(2021, 6, 18)
    assert {(r["Friendly name"], r["PO number"], r["Currency"]) for r in rows} == {
        ("Café staff", "PO-7", "USD")
    }
    assert sheet.cell(row=2, column=header.index("Amount") + 1).number_format == "0.00"
    with pytest.raises(NotAllowed):  # a customer never exports a broker's report
        billing.export_report(
            actor=shop.customer.principal, reports=_reports(shop), file_format="csv"
        )
    with pytest.raises(InvalidInput):
        billing.export_report(actor=shop.customer.principal, reports=reports, file_format="pdf")


def test_the_command_prints_the_documented_json_for_the_broker(
    shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*JUNE, "--organization", str(shop.organization_id)])

    assert code == 0
    [report] = json.loads(capsys.readouterr().out)
    keys = ("billing_date", "period_start", "period_end", "currency", "total")
    assert {k: report[k] for k in keys} == {
        "billing_date": "2021-07-01",
        "period_start": "2021-06-01",
        "period_end": "2021-06-30",
        "currency": "USD",
        "total": "106.80",
    }
    [sub] = report["subscriptions"]
    assert {k: sub[k] for k in ("friendly_name", "po_number", "offer_id", "total")} == {
        "friendly_name": "Café staff",
        "po_number": "PO-7",
        "offer_id": NO_TEAMS_MONTHLY.catalog_item_id,
        "total": "106.80",
    }
    assert sub["lines"][2] == {
        "type": "Pro-rata for added seats",
        "microsoft_charge_type": "addQuantity",
        "charge_start": "2021-06-20",
        "charge_end": "2021-07-17",
        "quantity": 12,
        "unit_price": "9.00",
        "amount": "100.80",
        "unit_cost": "7.20",
        "cost": "80.64",
        "margin": "20.16",
    }


def test_the_command_in_the_customer_view_by_tenant_writes_files_without_cost(
    shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = [*JUNE, "--tenant", shop.customer_id]
    assert main([*base, "--view", "customer"]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert all(
        set(line)
        == {
            "type",
            "microsoft_charge_type",
            "charge_start",
            "charge_end",
            "quantity",
            "unit_price",
            "amount",
        }
        for line in report["subscriptions"][0]["lines"]
    )

    target = tmp_path / "june.xlsx"
    assert main([*base, "--view", "customer", "--format", "xlsx", "--output", str(target)]) == 0
    header = [cell.value for cell in load_workbook(target).active[1]]
    assert "Friendly name" in header and "Cost" not in header
    assert main([*base, "--format", "csv", "--output", str(tmp_path / "june.csv")]) == 0
    assert "Margin %" in (tmp_path / "june.csv").read_text(encoding="utf-8-sig").splitlines()[0]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2021-13", "--to", "2021-12"], "Enter a month as YYYY-MM"),
        (["--from", "2021-06", "--to", "2021-05"], "must not be before the first month"),
        (
            ["--from", "2021-06", "--to", "2021-06", "--organization", "999999999"],
            "organization was not found",
        ),
        (
            ["--from", "2021-06", "--to", "2021-06", "--tenant", "no-such-tenant"],
            "tenant was not found",
        ),
        (
            ["--from", "2021-06", "--to", "2021-06", "--view", "customer"],
            "--view customer needs --organization or --tenant",
        ),
    ],
)
def test_bad_input_is_refused_in_words_with_exit_code_2(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "billing", *arguments]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_a_missing_or_unknown_option_is_refused_by_the_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", "billing", "--from", "2021-06"])
    assert exited.value.code == 2
    assert "--to" in capsys.readouterr().err
