"""Price lists (brokers only): the overview, customer lists, assignment, and new prices.

A price is never edited in place: `set_price()` adds an entry effective from a day (today or
later), so what was billed under an earlier entry stays as it was. An entry already in force
(its day is today or earlier) is immutable; one still in the future may be replaced by a new
price for the same day. The catalog rows with their cost, price and margin on a day come from
`price_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func
from sqlmodel import Session, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import PriceListKind
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import PriceList, PriceListEntry
from o365portal.services import clock, price_store
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound
from o365portal.services.price_store import CatalogItemRef
from o365portal.services.principal import Principal
from o365portal.services.reference_data import CURRENCIES

MAX_PRICE = Decimal("99999999999999")  # NUMERIC(18, 4)


@dataclass(frozen=True)
class PriceListSummary:
    """One line of the price-list overview."""

    id: int
    name: str
    kind: str
    currency: str
    entries: int
    organizations: list[tuple[int, str]]  # (id, company name) of the organizations using it


def require_broker(actor: Principal) -> None:
    """Price lists, costs and margins are for broker staff only."""
    if not actor.is_broker:
        raise NotAllowed()


def resolve_list(session: Session, list_id: int | None) -> PriceList:
    """A price list by id, or the global list for None."""
    if list_id is None:
        return price_store.global_list(session)
    found = session.get(PriceList, list_id)
    if found is None:
        raise NotFound("price list")
    return found


def _summary(session: Session, row: PriceList) -> PriceListSummary:
    count = session.exec(select(func.count()).where(PriceListEntry.price_list_id == row.id)).one()
    users = session.exec(
        select(Organization.id, Organization.company_name)
        .where(Organization.price_list_id == row.id)
        .order_by(Organization.company_name)
    ).all()
    pairs = [(org_id or 0, name) for org_id, name in users]
    return PriceListSummary(row.id or 0, row.name, row.kind.value, row.currency, count, pairs)


def list_price_lists(*, actor: Principal) -> list[PriceListSummary]:
    """The global list first, then the customer lists by name, with their organizations."""
    require_broker(actor)
    with session_scope() as session:
        price_store.global_list(session)
        rows = session.exec(select(PriceList).order_by(PriceList.kind, PriceList.name)).all()
        return [
            _summary(session, row) for row in sorted(rows, key=lambda r: r.kind.value != "global")
        ]


def get_price_list(*, actor: Principal, list_id: int | None) -> PriceListSummary:
    """One list (None: the global one)."""
    require_broker(actor)
    with session_scope() as session:
        return _summary(session, resolve_list(session, list_id))


def create_price_list(*, actor: Principal, name: str, currency: str) -> PriceListSummary:
    """A new, empty customer price list; items without an entry fall back to the global list."""
    require_broker(actor)
    name, currency = name.strip(), currency.strip().upper()
    errors: dict[str, str] = {}
    if not name or len(name) > 100:
        errors["name"] = "Enter a name of at most 100 characters."
    if currency not in CURRENCIES:
        errors["currency"] = "Choose a currency from the list."
    with session_scope() as session:
        if name and session.exec(select(PriceList).where(PriceList.name == name)).first():
            errors["name"] = "A price list with this name exists already."
        if errors:
            raise InvalidInput(errors)
        row = PriceList(name=name, kind=PriceListKind.CUSTOMER, currency=currency)
        session.add(row)
        session.flush()
        return _summary(session, row)


def assign_price_list(*, actor: Principal, organization_id: int, list_id: int | None) -> None:
    """Give an organization a customer price list, or (None) let it use the global list only."""
    require_broker(actor)
    with session_scope() as session:
        organization = session.get(Organization, organization_id)
        if organization is None:
            raise NotFound("organization")
        if list_id is not None and resolve_list(session, list_id).kind != PriceListKind.CUSTOMER:
            raise InvalidInput({"price_list_id": "Choose a customer price list."})
        organization.price_list_id = list_id
        session.add(organization)


def customer_list_options(*, actor: Principal) -> list[tuple[str, str]]:
    """(id, name) of every customer price list, for a select."""
    require_broker(actor)
    with session_scope() as session:
        rows = session.exec(
            select(PriceList)
            .where(PriceList.kind == PriceListKind.CUSTOMER)
            .order_by(PriceList.name)
        ).all()
        return [(str(row.id), row.name) for row in rows]


def parse_price(text: str) -> Decimal:
    """A sales price typed by a person: a positive amount with at most 4 decimals."""
    try:
        amount = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError("Enter a price such as 12.50.") from None
    if amount.is_finite() and amount > MAX_PRICE:
        raise ValueError(f"This price is too large: at most {MAX_PRICE:,}.")
    if not amount.is_finite() or amount <= 0:
        raise ValueError("Enter a price above zero (a missing price means not for sale).")
    if amount.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError("Use at most 4 decimals.")
    return amount


def check_effective(session: Session, entry: PriceListEntry, today: date) -> str | None:
    """Why `entry` cannot be stored, or None: never in the past, never over one in force."""
    day = entry.effective_from.date()
    if day < today:
        return "Choose today or a later day: a price cannot start in the past."
    clash = existing_entry(session, entry)
    if clash is not None and day <= today:
        return "A price starting today is already in force; choose tomorrow or later."
    return None


def existing_entry(session: Session, entry: PriceListEntry) -> PriceListEntry | None:
    """The stored entry of the same list, item and day, if any."""
    ref = CatalogItemRef.of(entry)
    return session.exec(
        select(PriceListEntry)
        .where(PriceListEntry.price_list_id == entry.price_list_id)
        .where(PriceListEntry.effective_from == entry.effective_from)
        .where(PriceListEntry.product_id == ref.product_id)
        .where(PriceListEntry.sku_id == ref.sku_id)
        .where(PriceListEntry.availability_id == ref.availability_id)
        .where(PriceListEntry.term == ref.term)
        .where(PriceListEntry.billing_cycle == ref.billing_cycle)
    ).first()


def catalog_item(session: Session, ref: CatalogItemRef) -> CatalogItem | None:
    """The cached catalog row of `ref`, if the catalog has it."""
    return session.exec(
        select(CatalogItem)
        .where(CatalogItem.product_id == ref.product_id)
        .where(CatalogItem.sku_id == ref.sku_id)
        .where(CatalogItem.availability_id == ref.availability_id)
        .where(CatalogItem.term == ref.term)
        .where(CatalogItem.billing_cycle == ref.billing_cycle)
    ).first()


def store_entry(session: Session, entry: PriceListEntry) -> None:
    """Add `entry`, replacing a not-yet-effective entry of the same day (checked before)."""
    clash = existing_entry(session, entry)
    if clash is not None:
        session.delete(clash)
        session.flush()
    session.add(entry)


def set_price(
    *, actor: Principal, list_id: int | None, item: CatalogItemRef, price: str, effective: date
) -> None:
    """Add a sales price for `item` to a list (None: global), in force from `effective`."""
    require_broker(actor)
    errors: dict[str, str] = {}
    try:
        amount = parse_price(price)
    except ValueError as error:
        errors["price"] = str(error)
    with session_scope() as session:
        price_list = resolve_list(session, list_id)
        if catalog_item(session, item) is None:
            raise NotFound("catalog item")
        if errors:
            raise InvalidInput(errors)
        entry = PriceListEntry(
            **item.__dict__,
            price_list_id=price_list.id or 0,
            sales_price=amount,
            currency=price_list.currency,
            effective_from=price_store.start_of(effective),
            entered_by_account_id=actor.account_id,
        )
        problem = check_effective(session, entry, clock.today())
        if problem:
            raise InvalidInput({"effective_from": problem})
        store_entry(session, entry)


def organization_list_id(*, actor: Principal, organization_id: int) -> int | None:
    """The organization's customer price list id (None: global only)."""
    require_broker(actor)
    with session_scope() as session:
        organization = session.get(Organization, organization_id)
        if organization is None:
            raise NotFound("organization")
        return organization.price_list_id
