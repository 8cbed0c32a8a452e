"""The price-list editor's rows (brokers only): catalog items with cost, price and margin on a day.

Filtering and paging happen in SQL over the catalog cache; the prices of the visible page are
then resolved by the domain rule. For a customer list, an item without its own entry shows
the global price it falls back to (`source == "global"`). The amounts stay Decimals here (the
CSV export writes them); `_editor.py` writes them for the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import PriceListKind
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.pricing import PriceList, PriceListEntry
from o365portal.domain import pricing as rules
from o365portal.services import clock
from o365portal.services.number_format import NumberFormat
from o365portal.services.paging import bounded, window
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._lists import require_broker, resolve_list
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal
from o365portal.services.text_search import contains


@dataclass(frozen=True)
class PriceFilters:
    """What the broker narrowed the list to; empty strings mean "any"."""

    category: str = ""
    product_group: str = ""
    term: str = ""
    billing_cycle: str = ""
    text: str = ""


@dataclass(frozen=True)
class PriceRow:
    """One catalog item in a price list on a day."""

    item: CatalogItemRef
    title: str
    category: str
    product_group: str
    currency: str
    cost: Decimal | None
    price: Decimal | None
    source: str  # "list", "global" (a customer list falling back), "" (not for sale)
    since: date | None
    margin_percent: Decimal | None
    next_price: Decimal | None
    next_from: date | None
    earliest: date  # the first day a new price may start (tomorrow once today's was charged)
    correction: price_store.Correction | None = None  # of the entry starting on the row's day

    @property
    def below_cost(self) -> bool:
        """The price in force is below Microsoft's cost (shown highlighted)."""
        return self.price is not None and self.cost is not None and self.price < self.cost


@dataclass(frozen=True)
class PriceRowPage:
    """One page of rows, the total, and the values the filters offer."""

    rows: list[PriceRow]
    total: int
    categories: list[str]
    product_groups: list[str]
    terms: list[str]
    billing_cycles: list[str]
    number_format: NumberFormat


_Context = tuple[
    PriceList,
    date,
    dict[CatalogItemRef, PriceListEntry],
    set[CatalogItemRef],
    dict[CatalogItemRef, price_store.Correction],
]


def _query(filters: PriceFilters):  # type: ignore[no-untyped-def]
    query = select(CatalogItem)
    for name in ("category", "product_group", "term", "billing_cycle"):
        if value := getattr(filters, name):
            query = query.where(getattr(CatalogItem, name) == value)
    if text := filters.text.strip():
        query = query.where(
            or_(
                contains(CatalogItem.title, text),
                contains(CatalogItem.product_id, text),
                contains(CatalogItem.sku_id, text),
            )
        )
    return query


def _distinct(session: Session, column: Any) -> list[str]:
    return [str(v) for v in session.exec(select(column).distinct().order_by(column)).all()]


def _price(
    ref: CatalogItemRef, on: date, own: rules.PriceList, fallback: rules.PriceList | None
) -> rules.PriceQuote | None:
    answer = rules.resolve_sales_price(
        ref.rules_item, on, customer_list=own if fallback else None, global_list=fallback or own
    )
    return None if isinstance(answer, rules.NotForSale) else answer


def _row(
    item: CatalogItem,
    found: rules.PriceQuote | None,
    costs: rules.PriceList,
    context: _Context,
) -> PriceRow:
    price_list, on, upcoming, locked, corrections = context
    ref = CatalogItemRef.of(item)
    cost = rules.cost(ref.rules_item, on, cost_list=costs)
    cost_money = None if isinstance(cost, rules.NotForSale) else cost.price
    margin = None
    if found and cost_money and found.price.currency == cost_money.currency:
        margin = rules.margin_percent(found.price, cost_money)
    own = found is not None and found.source != rules.PriceSource.GLOBAL_LIST
    is_global = price_list.kind == PriceListKind.GLOBAL
    nxt = upcoming.get(ref)
    return PriceRow(
        ref, item.title, item.category, item.product_group, price_list.currency,
        cost_money.amount if cost_money else None,
        found.price.amount if found else None,
        "" if found is None else "list" if own or is_global else "global",
        found.since if found else None, margin,
        nxt.sales_price if nxt is not None else None,
        nxt.effective_from.date() if nxt is not None else None,
        on + timedelta(days=1) if ref in locked else on, corrections.get(ref),
    )  # fmt: skip


def _rows(
    session: Session, price_list: PriceList, items: list[CatalogItem], on: date
) -> list[PriceRow]:
    refs = [CatalogItemRef.of(item) for item in items]
    own = price_store.sales_list(session, price_list, refs)
    fallback = None
    if price_list.kind == PriceListKind.CUSTOMER:
        fallback = price_store.sales_list(session, price_store.global_list(session), refs)
    costs = price_store.cost_list(session, refs, price_list.currency)
    upcoming = price_store.next_entries(session, price_list.id or 0, refs, on)
    locked = price_store.charged_on(session, price_list.id or 0, refs, on)
    corrections = price_store.corrections_on(session, price_list.id or 0, refs, on)
    context = (price_list, on, upcoming, locked, corrections)
    return [
        _row(item, _price(ref, on, own, fallback), costs, context)
        for item, ref in zip(items, refs, strict=True)
    ]


def price_rows(
    *,
    actor: Principal,
    list_id: int | None,
    filters: PriceFilters,
    page: int = 1,
    page_size: int = 25,
    on: date | None = None,
) -> PriceRowPage:
    """A page of catalog items with cost, price (own or fallback) and margin on `on` (today)."""
    require_broker(actor)
    day = on or clock.today()
    with session_scope() as session:
        price_list = resolve_list(session, list_id)
        query = _query(filters)
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        items = session.exec(
            query.order_by(col(CatalogItem.category), col(CatalogItem.title), col(CatalogItem.term))
            .order_by(col(CatalogItem.billing_cycle), col(CatalogItem.id))
            .offset(window(page, page_size)[0])
            .limit(bounded(page, page_size)[1])
        ).all()
        return PriceRowPage(
            _rows(session, price_list, list(items), day),
            total,
            _distinct(session, CatalogItem.category),
            _distinct(session, CatalogItem.product_group),
            _distinct(session, CatalogItem.term),
            _distinct(session, CatalogItem.billing_cycle),
            price_store.number_format(session),
        )
