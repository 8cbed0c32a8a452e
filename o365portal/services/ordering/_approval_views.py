"""What an approval request asks for, as its card and the broker's decision dialog show it.

A request stores the validated order form, which names the product by its catalog key. The view
adds the product's title, the term and billing cycle in words, the seats, and — while it is
pending — the price per seat and total that approving would charge (today's price, or the go-live
day's), in words (`_price_words.py`). Brokers get a `BrokerRequestView`, which adds Microsoft's
cost and the margin; customers get a `RequestView`, which has no such fields at all, so a
customer's page state never holds them. Both are typed frozen dataclasses with every word the
card shows, held by the pages' states as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from o365portal.db.enums import ApprovalStatus
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.services import clock
from o365portal.services.errors import ServiceError
from o365portal.services.ordering._input import cycle_label, term_label
from o365portal.services.ordering._price_words import price_words
from o365portal.services.pricing import _quote as pricing
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal

_STATUS_WORDS = {
    ApprovalStatus.PENDING: "Waiting for approval",
    ApprovalStatus.APPROVED: "Approved",
    ApprovalStatus.CARRYING_OUT: "Approved, being made",
    ApprovalStatus.REJECTED: "Rejected",
    ApprovalStatus.CANCELLED: "Cancelled",
}


def summary_of(payload: dict[str, object], title: str = "") -> str:
    """One line saying what was asked: seats × product (the customer's name), the subscription
    an add-on extends, term, cycle; a change of a subscription carries its own words
    (`summary`)."""
    if payload.get("summary"):
        return str(payload["summary"])
    ref = CatalogItemRef.parse(str(payload.get("item", "")))
    product = title or str(payload.get("product_title") or (ref.product_id if ref else "?"))
    name = str(payload.get("friendly_name") or "")
    named = f" ({name})" if name and name != product else ""
    terms = (
        f", {term_label(ref.term)}, billed {cycle_label(ref.billing_cycle).lower()}" if ref else ""
    )
    when = f", from {payload['go_live_date']}" if payload.get("go_live_date") else ""
    base = f", add-on to {payload['base_name']}" if payload.get("base_name") else ""
    return f"{payload.get('quantity')} × {product}{named}{base}{terms}{when}"


@dataclass(frozen=True)
class RequestView:
    """A request as its card shows it to anyone who may see it (no cost, no margin)."""

    id: int
    kind: str  # order | quantity | renewal | cancel (a change of a subscription)
    organization_id: int
    organization_name: str
    requested_by: str
    requested_at: str  # to the minute, UTC: "2026-11-30 08:36 UTC"
    status: str
    status_label: str
    comment: str
    summary: str
    product: str
    friendly_name: str
    quantity: str
    term: str
    billing_cycle: str
    po_number: str
    go_live_date: str
    currency: str
    unit_price: str  # "" when not pending, or when no price is in force
    total: str
    price_note: str  # why there is no price, when a pending request has none


@dataclass(frozen=True)
class BrokerRequestView(RequestView):
    """A request as broker staff see it: with Microsoft's cost per seat and the margin."""

    unit_cost: str
    margin: str


def _quote(
    actor: Principal, row: ApprovalRequest, ref: CatalogItemRef
) -> pricing.PriceQuoteView | None:
    go_live = str(row.payload.get("go_live_date") or "")
    day = max(date.fromisoformat(go_live), clock.today()) if go_live else clock.today()
    quantity = int(row.payload.get("quantity") or 0)
    try:
        return pricing.quote(
            actor=actor, organization_id=row.organization_id, item=ref, quantity=quantity, on=day
        )
    except ServiceError:
        return None


def _price(actor: Principal, row: ApprovalRequest, ref: CatalogItemRef | None) -> dict[str, str]:
    price = dict.fromkeys(("currency", "unit_price", "total", "price_note"), "")
    if actor.is_broker:
        price |= {"unit_cost": "", "margin": ""}
    if row.status != ApprovalStatus.PENDING or ref is None:
        return price
    quote = _quote(actor, row, ref)
    if quote is None:
        return price | {"price_note": "No price is in force for this product yet."}
    return price | price_words(quote)


def describe(
    actor: Principal, row: ApprovalRequest, organization_name: str, requested_by: str, title: str
) -> RequestView:
    """`row` for `actor` (a BrokerRequestView for brokers); `title` is the catalog's, or ""."""
    payload = row.payload
    ref = CatalogItemRef.parse(str(payload.get("item", "")))
    title = title or str(payload.get("product_title") or "")
    fields: dict[str, Any] = {
        "id": row.id or 0,
        "kind": row.kind.value,
        "organization_id": row.organization_id,
        "organization_name": organization_name,
        "requested_by": requested_by,
        "requested_at": row.requested_at.strftime("%Y-%m-%d %H:%M UTC"),
        "status": row.status.value,
        "status_label": _STATUS_WORDS[row.status],
        "comment": row.comment or "",
        "summary": summary_of(payload, title),
        "product": title or (f"{ref.product_id}:{ref.sku_id}" if ref else "?"),
        "friendly_name": str(payload.get("friendly_name") or ""),
        "quantity": str(payload.get("quantity", (payload.get("values") or {}).get("quantity", ""))),
        "term": term_label(ref.term) if ref else "",
        "billing_cycle": cycle_label(ref.billing_cycle) if ref else "",
        "po_number": str(payload.get("po_number") or ""),
        "go_live_date": str(payload.get("go_live_date") or ""),
    } | _price(actor, row, ref)
    return BrokerRequestView(**fields) if actor.is_broker else RequestView(**fields)
