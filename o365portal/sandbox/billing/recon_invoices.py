"""Month-end invoices of the sandbox partner (reference §10.1, §10.2).

NCE bills calendar months. When the sandbox clock passes a month end, a time processor issues
one invoice per currency for the reconciliation lines of that month (ids `G000000001`, ...),
stamps their `invoiceNumber`, and the lines leave the unbilled listing's `current` period.
Microsoft publishes invoices around the 6th–8th of the following month; the sandbox issues them
at 00:00 UTC on the 1st so tests need not wait (documented difference).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from o365portal.sandbox.commerce.catalog_data import load_catalog
from o365portal.sandbox.core.rows import INVOICES, RECON_LINES, InvoiceRow, ReconLineRow
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.wire import link


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a `YYYY-MM` billing month."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def _next_month_start(month: str) -> date:
    last = month_bounds(month)[1]
    return date(last.year + last.month // 12, last.month % 12 + 1, 1)


def invoice_details(invoice_id: str) -> list[dict[str, Any]]:
    """The one NCE invoice detail: billing line items of provider one_time."""
    return [
        {
            "invoiceLineItemType": "billing_line_items",
            "billingProvider": "one_time",
            "links": {
                "self": link(f"/invoices/OneTime-{invoice_id}/lineitems/OneTime/BillingLineItems")
            },
            "attributes": {"objectType": "InvoiceDetail"},
        }
    ]


def _invoice(invoice_id: str, month: str, currency: str, lines: list[ReconLineRow]) -> InvoiceRow:
    first, last = month_bounds(month)
    total = sum((Decimal(line["totalForCustomer"]) for line in lines), Decimal(0))
    return {
        "id": invoice_id,
        "invoiceDate": f"{_next_month_start(month).isoformat()}T00:00:00Z",
        "billingPeriodStartDate": f"{first.isoformat()}T00:00:00Z",
        "billingPeriodEndDate": f"{last.isoformat()}T00:00:00Z",
        "totalCharges": float(total),
        "paidAmount": 0.0,
        "currencyCode": currency,
        "currencySymbol": load_catalog().currency_symbol(currency),
        "pdfDownloadLink": f"/invoices/{invoice_id}/documents/statement",
        "taxReceipts": [],
        "invoiceDetails": invoice_details(invoice_id),
        "amendments": [],
        "documentType": "invoice",
        "invoiceType": "OneTime",
        "links": {"self": link(f"/invoices/{invoice_id}")},
        "attributes": {"objectType": "Invoice"},
    }


def _unbilled_closed_months(
    state: SandboxState, now: datetime
) -> dict[tuple[str, str], list[ReconLineRow]]:
    current = now.strftime("%Y-%m")
    due: dict[tuple[str, str], list[ReconLineRow]] = {}
    for line in state.table(RECON_LINES).values():
        if not line.get("_invoiceId") and line["_billingMonth"] < current:
            due.setdefault((line["_billingMonth"], line["currency"]), []).append(line)
    return due


def issue_invoices(state: SandboxState, now: datetime) -> None:
    """Time processor: invoice every closed month's unbilled lines, one invoice per currency."""
    invoices = state.table(INVOICES)
    for (month, currency), lines in sorted(_unbilled_closed_months(state, now).items()):
        invoice_id = f"G{len(invoices) + 1:09d}"
        invoices[invoice_id] = _invoice(invoice_id, month, currency, lines)
        for line in lines:
            line["_invoiceId"] = invoice_id
            line["invoiceNumber"] = invoice_id
