"""The price-list editor's page (brokers only): a filtered page of catalog items in words.

`price_editor_page` reads `price_rows` for today and writes each row as the editor shows it, in
the broker's number format: Microsoft's cost, the margin (with whether the price is below cost),
the list's own price in force (the row's input), the next scheduled price, and a note — the
global price a customer list falls back to, "not for sale", today's price already charged, a
correction made today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from o365portal.services import clock
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._rows import PriceFilters, PriceRow, price_rows
from o365portal.services.principal import Principal

_CHARGED = "Today's price has been charged: a new price starts tomorrow at the earliest."


@dataclass(frozen=True)
class PriceRowView:
    """One catalog item in the editor, every amount written in the broker's number format."""

    key: str  # the catalog item key, sent back by the row's form
    title: str
    category: str
    product_group: str
    product_id: str
    sku_id: str
    term: str
    billing_cycle: str
    cost: str  # "" when Microsoft's cost is not known
    margin: str  # "20.00%", or "—"
    below_cost: bool  # the price in force is below Microsoft's cost (shown highlighted)
    own_price: str  # the list's own price in force, the input's value ("" when it has none)
    next: str  # the next scheduled price: "6.00 from 2026-12-01", or ""
    note: str
    form_key: str  # changes when a saved price changes, so the row's form is drawn anew


@dataclass(frozen=True)
class PriceEditorPage:
    """One page of the editor's rows, the total, and the values the filters offer."""

    rows: list[PriceRowView]
    total: int
    categories: list[str]
    product_groups: list[str]
    terms: list[str]
    billing_cycles: list[str]


def price_editor_page(
    *,
    actor: Principal,
    list_id: int | None,
    filters: PriceFilters,
    page: int = 1,
    page_size: int = 25,
) -> PriceEditorPage:
    """A page of the list's items today, as the editor shows them (brokers only)."""
    today = clock.today()
    found = price_rows(
        actor=actor, list_id=list_id, filters=filters, page=page, page_size=page_size, on=today
    )
    return PriceEditorPage(
        [_view(row, found.number_format, today) for row in found.rows],
        found.total,
        found.categories,
        found.product_groups,
        found.terms,
        found.billing_cycles,
    )


def _view(row: PriceRow, number_format: NumberFormat, today: date) -> PriceRowView:
    def text(amount: Decimal | None) -> str:
        return "" if amount is None else number_format.format(amount)

    price, margin = text(row.price), row.margin_percent
    own = price if row.source == "list" else ""
    upcoming = f"{text(row.next_price)} from {row.next_from}" if row.next_price else ""
    # only a customer list falls back to the global one
    note = {"global": f"Falls back to global: {price}", "": "Not for sale"}.get(row.source, "")
    if row.earliest > today:
        note = _CHARGED
    note = " ".join(part for part in (note, _corrected(row.correction, number_format)) if part)
    return PriceRowView(
        key=row.item.key,
        title=row.title,
        category=row.category,
        product_group=row.product_group,
        product_id=row.item.product_id,
        sku_id=row.item.sku_id,
        term=row.item.term,
        billing_cycle=row.item.billing_cycle,
        cost=text(row.cost),
        margin=f"{number_format.format(margin)}%" if margin is not None else "—",
        below_cost=row.below_cost,
        own_price=own,
        next=upcoming,
        note=note,
        form_key=f"{row.item.key}|{own}|{upcoming}",
    )


def _corrected(correction: price_store.Correction | None, number_format: NumberFormat) -> str:
    if correction is None:
        return ""
    return (
        f"Corrected from {number_format.format(correction.replaced)} by "
        f"{correction.by} at {correction.at:%H:%M} UTC."
    )
