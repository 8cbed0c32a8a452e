"""The billing report as a file: CSV (stdlib `csv`), XLSX (`openpyxl`) or JSON.

CSV and XLSX have one row per line with the report's dates, the organization, and the
subscription's friendly name and PO number on every row, so a filtered or sorted sheet still
says what each line is. A customer's file has no cost, margin or reconciliation column. XLSX
cells are real spreadsheet types: dates as dates, amounts as numbers with two decimals.
The JSON is the operations command's documented shape (docs/billing.md), amounts as strings
so no cent is lost to a binary float.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from o365portal.services.billing._views import (
    BillingReport,
    BrokerBillingReport,
    BrokerLineView,
    LineView,
    SubscriptionBilling,
)
from o365portal.services.errors import InvalidInput, NotAllowed
from o365portal.services.principal import Principal

FORMATS = ("csv", "xlsx")
_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = (
    "Billing date",
    "Period start",
    "Period end",
    "Organization",
    "Friendly name",
    "PO number",
    "Product",
    "Offer id",
    "Partner Center subscription id",
    "Line",
    "Microsoft charge type",
    "Charge start",
    "Charge end",
    "Quantity",
    "Unit price",
    "Amount",
    "Currency",
)
BROKER_COLUMNS = ("Unit cost", "Cost", "Margin", "Margin %")
_MONEY = {"Unit price", "Amount", "Unit cost", "Cost", "Margin", "Margin %"}
_DATES = {"Billing date", "Period start", "Period end", "Charge start", "Charge end"}

Cell = str | int | Decimal | date | None


@dataclass(frozen=True)
class ExportFile:
    """A file to download: its name, content type and bytes."""

    filename: str
    content_type: str
    content: bytes


def _broker(actor: Principal, reports: Sequence[BillingReport]) -> bool:
    brokers = [isinstance(report, BrokerBillingReport) for report in reports]
    if any(brokers) and not actor.is_broker:
        raise NotAllowed()
    return actor.is_broker and all(brokers)


def _line_cells(line: LineView | None, broker: bool) -> list[Cell]:
    if line is None:
        return [None] * (8 + (len(BROKER_COLUMNS) if broker else 0))
    cells: list[Cell] = [
        line.type,
        line.microsoft_charge_type,
        line.charge_start,
        line.charge_end,
        line.quantity,
        line.unit_price,
        line.amount,
    ]
    if not broker:
        return [*cells, None]
    if not isinstance(line, BrokerLineView):
        return [*cells, None, None, None, None, None]
    return [*cells, None, line.unit_cost, line.cost, line.margin, line.margin_percent]


def _rows(reports: Sequence[BillingReport], broker: bool) -> Iterator[list[Cell]]:
    for report in reports:
        head: list[Cell] = [report.billing_date, report.period_start, report.period_end]
        for sub in report.subscriptions:
            about = head + _subscription_cells(sub)
            lines: Sequence[LineView | None] = sub.lines or [None]
            for line in lines:
                cells = _line_cells(line, broker)
                cells[7] = report.currency  # the currency column follows the amount
                if line is None:
                    cells[0] = f"Not rated: {sub.problem}" if sub.problem else ""
                yield about + cells


def _subscription_cells(sub: SubscriptionBilling) -> list[Cell]:
    return [
        sub.organization_name,
        sub.friendly_name,
        sub.po_number,
        sub.product,
        sub.offer_id,
        sub.partner_center_subscription_id,
    ]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    return plain(cell) if isinstance(cell, Decimal) else str(cell)


def _columns(broker: bool) -> tuple[str, ...]:
    return COLUMNS + BROKER_COLUMNS if broker else COLUMNS


def _csv(reports: Sequence[BillingReport], broker: bool) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(_columns(broker))
    for row in _rows(reports, broker):
        writer.writerow([_text(cell) for cell in row])
    return text.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _xlsx(reports: Sequence[BillingReport], broker: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Billing report"
    columns = _columns(broker)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(reports, broker):
        sheet.append(row)
    for index, name in enumerate(columns, start=1):
        number_format = "0.00" if name in _MONEY else "yyyy-mm-dd" if name in _DATES else None
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _filename(reports: Sequence[BillingReport], file_format: str) -> str:
    months = [report.month for report in reports] or ["empty"]
    span = months[0] if months[0] == months[-1] else f"{months[0]}-to-{months[-1]}"
    return f"billing-report-{span}.{file_format}"


def export_report(
    *, actor: Principal, reports: Sequence[BillingReport], file_format: str
) -> ExportFile:
    """The reports as a CSV or XLSX file (`file_format`); a customer's holds no cost column.
    NotAllowed for a customer with a broker's reports; InvalidInput for another format."""
    if file_format not in FORMATS:
        raise InvalidInput({"format": "Choose CSV or XLSX."})
    broker = _broker(actor, reports)
    content = _csv(reports, broker) if file_format == "csv" else _xlsx(reports, broker)
    return ExportFile(_filename(reports, file_format), _CONTENT_TYPES[file_format], content)


def plain(value: Decimal) -> str:
    """`9.00`, `-84.00`, `12.125`: at least two and up to four decimals, no grouping."""
    whole, decimals = f"{value:.4f}".split(".")
    return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def _line_json(line: LineView) -> dict[str, Any]:
    found: dict[str, Any] = {
        "type": line.type,
        "microsoft_charge_type": line.microsoft_charge_type,
        "charge_start": line.charge_start.isoformat(),
        "charge_end": line.charge_end.isoformat(),
        "quantity": line.quantity,
        "unit_price": plain(line.unit_price),
        "amount": plain(line.amount),
    }
    if isinstance(line, BrokerLineView):
        found |= {
            "unit_cost": _amount(line.unit_cost),
            "cost": _amount(line.cost),
            "margin": _amount(line.margin),
        }
    return found


def report_json(reports: Sequence[BillingReport]) -> list[dict[str, Any]]:
    """The reports in the operations command's JSON shape (cost fields on brokers' lines only)."""
    return [
        {
            "billing_date": report.billing_date.isoformat(),
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
            "currency": report.currency,
            "total": plain(report.total),
            "subscriptions": [
                {
                    "partner_center_subscription_id": sub.partner_center_subscription_id,
                    "friendly_name": sub.friendly_name,
                    "product": sub.product,
                    "offer_id": sub.offer_id,
                    "po_number": sub.po_number,
                    "total": plain(sub.total),
                    "lines": [_line_json(line) for line in sub.lines],
                }
                for sub in report.subscriptions
            ],
        }
        for report in reports
    ]
