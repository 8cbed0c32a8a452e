"""Reading prices and costs from the database as the domain's value objects.

The pricing services share these loaders: the catalog item reference callers pass around, the
global price list (created on first use in the broker's currency), and the conversion of
effective-dated `price_list_entry` / `microsoft_cost` rows into `domain.pricing.PriceList`s so
the domain decides which entry is in force. Entries start at 00:00 UTC of their day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from o365portal.db.enums import PriceListKind
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, BrokerSettings
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.pricing import MicrosoftCost, PriceList, PriceListEntry
from o365portal.domain import pricing as rules
from o365portal.domain.catalog import BillingCycle, CatalogItemKey, Term
from o365portal.domain.money import Money

GLOBAL_LIST_NAME = "Global price list"
DEFAULT_CURRENCY = "USD"


@dataclass(frozen=True)
class CatalogItemRef:
    """Names one purchasable catalog item: product : SKU : availability, term, billing cycle."""

    product_id: str
    sku_id: str
    availability_id: str
    term: str
    billing_cycle: str

    @classmethod
    def of(cls, row: CatalogItem | PriceListEntry | MicrosoftCost) -> CatalogItemRef:
        """The reference of a catalog, price or cost row."""
        return cls(row.product_id, row.sku_id, row.availability_id, row.term, row.billing_cycle)

    @property
    def key(self) -> CatalogItemKey:
        """The domain's identity of the item (term and cycle parsed case-insensitively)."""
        return CatalogItemKey(
            self.product_id,
            self.sku_id,
            self.availability_id,
            Term.parse(self.term),
            BillingCycle.parse(self.billing_cycle),
        )

    @property
    def text(self) -> str:
        """`product:sku:availability term cycle`, as messages and CSV files name it."""
        return (
            f"{self.product_id}:{self.sku_id}:{self.availability_id} "
            f"{self.term} {self.billing_cycle}"
        )


def start_of(day: date) -> datetime:
    """00:00 UTC of `day`: the instant an entry effective from `day` starts."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def broker_currency(session: Session) -> str:
    """The broker's currency (Settings), USD until the broker saves settings."""
    row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
    return row.currency if row is not None else DEFAULT_CURRENCY


def global_list(session: Session) -> PriceList:
    """The global price list, created in the broker's currency the first time it is needed."""
    found = session.exec(select(PriceList).where(PriceList.kind == PriceListKind.GLOBAL)).first()
    if found is None:
        found = PriceList(
            name=GLOBAL_LIST_NAME, kind=PriceListKind.GLOBAL, currency=broker_currency(session)
        )
        session.add(found)
        session.flush()
    return found


def _entry(ref: CatalogItemRef, amount: Money, start: datetime) -> rules.PriceEntry:
    return rules.PriceEntry(ref.key, amount, start.date())


def sales_list(
    session: Session, price_list: PriceList, refs: Sequence[CatalogItemRef]
) -> rules.PriceList:
    """The list's entries for `refs` (all dates) as a domain price list."""
    wanted = set(refs)
    rows = session.exec(
        select(PriceListEntry)
        .where(PriceListEntry.price_list_id == price_list.id)
        .where(col(PriceListEntry.product_id).in_({ref.product_id for ref in refs}))
    ).all()
    entries = (
        _entry(CatalogItemRef.of(row), Money(row.sales_price, row.currency), row.effective_from)
        for row in rows
        if CatalogItemRef.of(row) in wanted
    )
    return rules.PriceList.of(price_list.name, entries)


def cost_list(session: Session, refs: Sequence[CatalogItemRef], currency: str) -> rules.PriceList:
    """Microsoft's costs for `refs` in `currency` (all dates) as a domain price list."""
    wanted = set(refs)
    rows = session.exec(
        select(MicrosoftCost)
        .where(MicrosoftCost.currency == currency)
        .where(col(MicrosoftCost.product_id).in_({ref.product_id for ref in refs}))
    ).all()
    entries = (
        _entry(CatalogItemRef.of(row), Money(row.unit_cost, row.currency), row.effective_from)
        for row in rows
        if CatalogItemRef.of(row) in wanted
    )
    return rules.PriceList.of("Microsoft cost", entries)


def next_entries(
    session: Session, price_list_id: int, refs: Iterable[CatalogItemRef], after: date
) -> dict[CatalogItemRef, PriceListEntry]:
    """The first entry starting after `after` for each item that has one (upcoming changes)."""
    wanted = set(refs)
    rows = session.exec(
        select(PriceListEntry)
        .where(PriceListEntry.price_list_id == price_list_id)
        .where(PriceListEntry.effective_from > start_of(after))
        .order_by(col(PriceListEntry.effective_from).desc())
    ).all()
    return {CatalogItemRef.of(row): row for row in rows if CatalogItemRef.of(row) in wanted}
