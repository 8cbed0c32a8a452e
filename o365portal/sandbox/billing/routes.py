"""Invoices and NCE reconciliation line items routes (reference §10.2, §10.3).

- `GET /v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems
  &currencycode=USD&period=current|previous&size=` — the lines of the month in progress
  (`current`) or the month before (`previous`) in that currency; seek paging (default and max
  size 2000, `links.next` + `MS-ContinuationToken`, 400 `2000` past the end).
- `GET /v1/invoices?size=&offset=` (offset paging, newest first), `GET /v1/invoices/{id}`
  (App+User), `GET /v1/invoices/{id}/lineitems?provider=onetime&invoicelineitemtype=
  billinglineitems&size=` (also `/lineitems/OneTime/BillingLineItems`; seek paging).
- Processor: month-end invoices (recon_invoices.py).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.billing.recon_invoices import issue_invoices
from o365portal.sandbox.billing.recon_lines import line_wire
from o365portal.sandbox.core.identity import caller, sandbox_state
from o365portal.sandbox.core.rows import INVOICES, RECON_LINES, InvoiceRow, ReconLineRow
from o365portal.sandbox.core.state import Processor, SandboxState
from o365portal.sandbox.core.wire import (
    CONTINUATION_HEADER,
    PartnerCenterError,
    collection,
    link,
    not_found,
    offset_page,
    pc_json,
)

RECON_PAGE_SIZE = 2000


def _check_provider(request: Request) -> None:
    params = request.query_params
    if params.get("provider", "").lower() != "onetime":
        raise PartnerCenterError(400, 2000, "Only provider=onetime (NCE) is supported.")
    if params.get("invoicelineitemtype", "").lower() != "billinglineitems":
        raise PartnerCenterError(400, 2000, "invoicelineitemtype must be billinglineitems.")


def _size(request: Request) -> int:
    try:
        size = int(request.query_params.get("size", RECON_PAGE_SIZE))
    except ValueError as exc:
        raise PartnerCenterError(400, 2000, "The size parameter must be a number.") from exc
    if not 1 <= size <= RECON_PAGE_SIZE:
        raise PartnerCenterError(400, 2000, f"The size must be between 1 and {RECON_PAGE_SIZE}.")
    return size


def _offset(request: Request) -> int:
    if request.query_params.get("seekOperation", "").lower() != "next":
        return 0
    token = request.headers.get(CONTINUATION_HEADER, "")
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return int(data["offset"])
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise PartnerCenterError(400, 2000, "The continuation token is not valid.") from exc


def _seek_page(request: Request, lines: list[ReconLineRow], base_uri: str) -> dict[str, Any]:
    size, offset = _size(request), _offset(request)
    if offset and offset >= len(lines):
        raise PartnerCenterError(400, 2000, "There are no more records to seek.")
    page = [line_wire(line) for line in lines[offset : offset + size]]
    sized = f"{base_uri}&size={size}"
    body = collection(page, sized)
    if offset + size < len(lines):
        token = base64.urlsafe_b64encode(json.dumps({"offset": offset + size}).encode()).decode()
        body["continuationToken"] = token
        body["links"]["next"] = link(
            f"{sized}&seekOperation=Next", headers=[{"key": CONTINUATION_HEADER, "value": token}]
        )
    return body


def _previous_month(now: datetime) -> str:
    return f"{now.year - 1}-12" if now.month == 1 else f"{now.year}-{now.month - 1:02d}"


def _lines(state: SandboxState, wanted: Callable[[ReconLineRow], bool]) -> list[ReconLineRow]:
    rows = [row for row in state.table(RECON_LINES).values() if wanted(row)]
    return sorted(rows, key=lambda row: row["_sequence"])


async def unbilled_line_items(request: Request) -> Response:
    """`GET /v1/invoices/unbilled/lineitems` (NCE, current or previous period)."""
    caller(request)
    _check_provider(request)
    params = request.query_params
    currency = params.get("currencycode", "").upper()
    period = params.get("period", "").lower()
    if not currency or period not in {"current", "previous"}:
        raise PartnerCenterError(400, 2000, "currencycode and period=current|previous required.")
    state = sandbox_state(request)
    with state.lock:
        now = state.now()
        month = now.strftime("%Y-%m") if period == "current" else _previous_month(now)
        lines = _lines(
            state, lambda line: line["_billingMonth"] == month and line["currency"] == currency
        )
        base = (
            "/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems"
            f"&currencycode={currency}&period={period}"
        )
        return pc_json(_seek_page(request, lines, base))


def _invoice(state: SandboxState, invoice_id: str) -> InvoiceRow:
    invoice = state.table(INVOICES).get(invoice_id.removeprefix("OneTime-"))
    if invoice is None:
        raise not_found("Invoice", invoice_id)
    return invoice


async def list_invoices(request: Request) -> Response:
    """`GET /v1/invoices?size=&offset=` (newest first)."""
    caller(request)
    state = sandbox_state(request)
    with state.lock:
        invoices = sorted(state.table(INVOICES).values(), key=lambda i: i["id"], reverse=True)
        return pc_json(offset_page(request, invoices, "/invoices"))


async def get_invoice(request: Request) -> Response:
    """`GET /v1/invoices/{id}` (App+User)."""
    caller(request, app_user=True)
    state = sandbox_state(request)
    with state.lock:
        return pc_json(_invoice(state, request.path_params["invoice_id"]))


async def billed_line_items(request: Request) -> Response:
    """`GET /v1/invoices/{id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems`."""
    caller(request)
    if "provider" in request.query_params:
        _check_provider(request)
    state = sandbox_state(request)
    with state.lock:
        invoice = _invoice(state, request.path_params["invoice_id"])
        lines = _lines(state, lambda line: line.get("_invoiceId") == invoice["id"])
        base = (
            f"/invoices/{invoice['id']}/lineitems?provider=onetime"
            "&invoicelineitemtype=billinglineitems"
        )
        return pc_json(_seek_page(request, lines, base))


routes: list[BaseRoute] = [
    Route("/v1/invoices/unbilled/lineitems", unbilled_line_items, methods=["GET"]),
    Route("/v1/invoices", list_invoices, methods=["GET"]),
    Route("/v1/invoices/{invoice_id}", get_invoice, methods=["GET"]),
    Route("/v1/invoices/{invoice_id}/lineitems", billed_line_items, methods=["GET"]),
    Route(
        "/v1/invoices/{invoice_id}/lineitems/OneTime/BillingLineItems",
        billed_line_items,
        methods=["GET"],
    ),
]
PROCESSORS: list[Processor] = [issue_invoices]
