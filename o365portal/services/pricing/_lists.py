"""Price lists (brokers only): the overview, customer lists, assignment, and new prices.

`set_price()` adds an entry effective from a day (today or later), so what was billed under an
earlier entry stays as it was; a price for a day that already has an entry corrects it under
the rules of `price_entries` (future days, and today until charged; audited). A price below
Microsoft's cost on its day needs `confirm_below_cost`. Typed prices are read in the broker's
number format (`number_format`). The catalog rows with their cost, price and margin on a day
come from `price_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import PriceListKind
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import PriceList, PriceListEntry
from o365portal.domain.errors import UnreadableAmount
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._entries import (
    below_cost,
    check_effective,
    earliest_day,
    store_entry,
)
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal
from o365portal.services.reference_data import CURRENCIES

MAX_PRICE = Decimal("99999999999999")  # NUMERIC(18, 4)


@dataclass(frozen=True)
class PriceListUser:
    """An organization whose customer price list this is."""

    id: int
    company_name: str


@dataclass(frozen=True)
class PriceListSummary:
    """One line of the price-list overview, with the words it shows."""

    id: int
    key: str  # the list in URLs: "global", or the customer list's id
    name: str
    kind: str  # global | customer
    kind_label: str  # "Global", "Customer"
    currency: str
    entry_count: int  # price entries on the list
    organizations: list[PriceListUser]  # by company name
    used_by: str  # who uses it, in words


@dataclass(frozen=True)
class SavedPrice:
    """What `set_price()` stored, written in the broker's number format for the echo."""

    amount: str
    currency: str
    effective: date
    replaced: str  # the corrected entry's former amount, "" for a new entry

    @property
    def message(self) -> str:
        """The confirmation the broker sees: the stored value, never the raw input."""
        if self.replaced:
            return (
                f"Corrected the price from {self.effective.isoformat()} to {self.amount} "
                f"{self.currency} (was {self.replaced})."
            )
        return f"Saved {self.amount} {self.currency} from {self.effective.isoformat()}."


class BelowCost(InvalidInput):
    """A price under Microsoft's cost on its day, not confirmed with `confirm_below_cost`."""

    def __init__(self, message: str) -> None:
        super().__init__({"price": message})


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
    using = [PriceListUser(org_id or 0, name) for org_id, name in users]
    is_global = row.kind == PriceListKind.GLOBAL
    if is_global:
        used_by = "Everyone without a customer list"
    else:
        used_by = ", ".join(user.company_name for user in using) or "Not assigned yet"
    return PriceListSummary(
        id=row.id or 0,
        key="global" if is_global else str(row.id or 0),
        name=row.name,
        kind=row.kind.value,
        kind_label="Global" if is_global else "Customer",
        currency=row.currency,
        entry_count=count,
        organizations=using,
        used_by=used_by,
    )


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
    price_store.announce_prices(organization_id)


def parse_price(price: str | Decimal, number_format: NumberFormat) -> Decimal:
    """A sales price: text a person typed in the broker's number format, or an exact Decimal;
    a positive amount with at most 4 decimals."""
    try:
        amount = price if isinstance(price, Decimal) else number_format.parse(price)
    except UnreadableAmount as error:
        raise ValueError(str(error)) from None
    if amount.is_finite() and amount > MAX_PRICE:
        raise ValueError(
            f"This price is too large: at most {number_format.format(MAX_PRICE, places=0)}."
        )
    if not amount.is_finite() or amount <= 0:
        raise ValueError("Enter a price above zero (a missing price means not for sale).")
    if amount.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError("Use at most 4 decimals.")
    return amount


def catalog_item(session: Session, ref: CatalogItemRef) -> CatalogItem | None:
    """The cached catalog row of `ref`, if the catalog has it (never one whose ids hold a control
    character: PostgreSQL cannot even compare text with a NUL in it)."""
    if not all(part.isprintable() for part in ref.__dict__.values()):
        return None
    return session.exec(
        select(CatalogItem)
        .where(CatalogItem.product_id == ref.product_id)
        .where(CatalogItem.sku_id == ref.sku_id)
        .where(CatalogItem.availability_id == ref.availability_id)
        .where(CatalogItem.term == ref.term)
        .where(CatalogItem.billing_cycle == ref.billing_cycle)
    ).first()


def _entry(
    session: Session,
    actor: Principal,
    list_id: int | None,
    item: CatalogItemRef,
    price: str | Decimal,
) -> tuple[PriceListEntry, NumberFormat]:
    number_format = price_store.number_format(session)
    price_list = resolve_list(session, list_id)
    if catalog_item(session, item) is None:
        raise NotFound("catalog item")
    try:
        amount = parse_price(price, number_format)
    except ValueError as error:
        raise InvalidInput({"price": str(error)}) from None
    entry = PriceListEntry(
        **item.__dict__,
        price_list_id=price_list.id or 0,
        sales_price=amount,
        currency=price_list.currency,
        effective_from=price_store.start_of(clock.today()),
        entered_by_account_id=actor.account_id,
    )
    return entry, number_format


def set_price(
    *,
    actor: Principal,
    list_id: int | None,
    item: CatalogItemRef,
    price: str | Decimal,
    effective: date | None,
    confirm_below_cost: bool = False,
) -> SavedPrice:
    """Add (or correct) a sales price for `item` in a list (None: global) from `effective`.

    `price` is text in the broker's number format or an exact Decimal. `effective` None means
    the earliest day allowed: today, or tomorrow once today's price has been charged. A price
    below Microsoft's cost raises BelowCost unless `confirm_below_cost`.
    """
    require_broker(actor)
    with session_scope() as session:
        entry, number_format = _entry(session, actor, list_id, item, price)
        today = clock.today()
        day = effective or earliest_day(session, entry.price_list_id, item, today)
        entry.effective_from = price_store.start_of(day)
        problem = check_effective(session, entry, today)
        if problem:
            raise InvalidInput({"effective_from": problem})
        loss = below_cost(session, entry, number_format)
        if loss and not confirm_below_cost:
            raise BelowCost(loss)
        replaced = store_entry(session, entry)
        saved = SavedPrice(
            number_format.format(entry.sales_price), entry.currency, day,
            number_format.format(replaced) if replaced is not None else "",
        )  # fmt: skip
    price_store.announce_prices()
    return saved


def organization_list_id(*, actor: Principal, organization_id: int) -> int | None:
    """The organization's customer price list id (None: global only)."""
    require_broker(actor)
    with session_scope() as session:
        organization = session.get(Organization, organization_id)
        if organization is None:
            raise NotFound("organization")
        return organization.price_list_id
