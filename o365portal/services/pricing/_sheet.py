"""Microsoft's cost from its NCE price sheet (brokers only), all-or-nothing like the price CSV.

The broker downloads the license-based price sheet (Partner Center -> Pricing and offers, or the
`updatedlicensebased` price-sheet API, reference §5.4) and uploads it here. Columns read:
ProductId, SkuId, TermDuration, BillingPlan, Market, Currency, UnitPrice, EffectiveStartDate
(others, e.g. ProductTitle or ERP Price, are ignored). The sheet has no availability id: a row
costs every cached availability of its product, SKU, term and billing plan. Rows for another
market than BROKER_COUNTRY, or for items the catalog does not hold, are skipped and counted.
An entry already stored for the same item, currency and day is left alone (never rewritten).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.pricing import MicrosoftCost
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._csv import CsvProblem, CsvRejected, read_rows
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal

COLUMNS = (
    "ProductId", "SkuId", "TermDuration", "BillingPlan", "Market", "Currency", "UnitPrice",
    "EffectiveStartDate",
)  # fmt: skip
_PLANS = {"monthly": "monthly", "annual": "annual", "triennial": "triennial"}


@dataclass(frozen=True)
class SheetImportResult:
    """What a price-sheet import stored and why other rows were not used."""

    stored: int
    unchanged: int
    other_market: int
    not_in_catalog: int


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.strptime(text.split(" ")[0], "%m/%d/%Y").date()
    except ValueError:
        raise ValueError(
            "Enter the day as YYYY-MM-DD (or M/D/YYYY as Microsoft writes it)."
        ) from None


def _cost(row: dict[str, str]) -> tuple[Decimal | None, date | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    amount = day = None
    try:
        amount = Decimal(row["UnitPrice"].replace(",", ""))
        if not amount.is_finite() or amount < 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(("UnitPrice", "Enter a price of zero or more, such as 6.00."))
    try:
        day = _day(row["EffectiveStartDate"])
    except ValueError as error:
        problems.append(("EffectiveStartDate", str(error)))
    if row["BillingPlan"].lower() not in _PLANS:
        problems.append(("BillingPlan", "Use Monthly, Annual or Triennial."))
    if len(row["Currency"]) != 3:
        problems.append(("Currency", "Use a 3-letter currency code such as USD."))
    return amount, day, problems


def _items(session: Session, row: dict[str, str]) -> list[CatalogItem]:
    return list(
        session.exec(
            select(CatalogItem)
            .where(CatalogItem.product_id == row["ProductId"])
            .where(CatalogItem.sku_id == row["SkuId"])
            .where(CatalogItem.term == row["TermDuration"].upper())
            .where(CatalogItem.billing_cycle == _PLANS.get(row["BillingPlan"].lower(), ""))
        ).all()
    )


def _known(session: Session) -> set[tuple[CatalogItemRef, str, datetime]]:
    rows = session.exec(select(MicrosoftCost)).all()
    return {(CatalogItemRef.of(row), row.currency, row.effective_from) for row in rows}


def _plan(session: Session, text: str) -> tuple[list[MicrosoftCost], list[int], list[CsvProblem]]:
    costs: list[MicrosoftCost] = []
    counts = [0, 0, 0]  # unchanged, other market, not in catalog
    problems: list[CsvProblem] = []
    known, market = _known(session), get_settings().broker_country.upper()
    for line, row in read_rows(text, COLUMNS):
        if row["Market"].upper() != market:
            counts[1] += 1
            continue
        amount, day, found = _cost(row)
        problems += [CsvProblem(line, column, message) for column, message in found]
        items = _items(session, row)
        if found or amount is None or day is None or not items:
            counts[2] += 0 if found else 1
            continue
        for item in items:
            cost = MicrosoftCost(
                **CatalogItemRef.of(item).__dict__, unit_cost=amount,
                currency=row["Currency"].upper(), effective_from=price_store.start_of(day),
            )  # fmt: skip
            key = (CatalogItemRef.of(cost), cost.currency, cost.effective_from)
            if key in known:
                counts[0] += 1
                continue
            known.add(key)
            costs.append(cost)
    return costs, counts, problems


def import_price_sheet(*, actor: Principal, text: str) -> SheetImportResult:
    """Store Microsoft's dated costs from a price-sheet CSV, or nothing (CsvRejected)."""
    price_lists.require_broker(actor)
    with session_scope() as session:
        costs, counts, problems = _plan(session, text)
        if problems:
            raise CsvRejected(problems)
        for cost in costs:
            cost.entered_by_account_id = actor.account_id
            session.add(cost)
    price_store.announce_prices()
    return SheetImportResult(len(costs), *counts)
