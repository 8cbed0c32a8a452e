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
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from o365portal.db.enums import PriceListKind
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, DEFAULT_NUMBER_LOCALE, BrokerSettings
from o365portal.db.tables.catalog import CatalogItemColumns
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import MicrosoftCost, PriceList, PriceListEntry
from o365portal.db.tables.subscriptions import SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.domain import pricing as rules
from o365portal.domain.catalog import BillingCycle, CatalogItemKey, Term
from o365portal.domain.money import Money
from o365portal.services import changes
from o365portal.services.number_format import NumberFormat
from o365portal.services.number_format import number_format as locale_format

GLOBAL_LIST_NAME = "Global price list"
DEFAULT_CURRENCY = "USD"


@dataclass(frozen=True)
class CatalogItemRef:
    """Names one purchasable catalog item: product, SKU, availability, term and billing cycle.

    Its one string form is `key`, `product:sku:availability:TERM:cycle` (form values, stored
    approval requests, screen row keys, messages); `parse` reads it back.
    """

    product_id: str
    sku_id: str
    availability_id: str
    term: str
    billing_cycle: str

    @classmethod
    def of(cls, row: CatalogItemColumns) -> CatalogItemRef:
        """The item a catalog, price, cost, subscription or scheduled-order row names."""
        return cls(row.product_id, row.sku_id, row.availability_id, row.term, row.billing_cycle)

    @classmethod
    def parse(cls, key: str) -> CatalogItemRef | None:
        """The item a `key` names, or None when the text is not a catalog item key (five
        printable parts)."""
        parts = key.strip().split(":")
        if len(parts) != 5 or not all(p and p.isprintable() for p in parts):
            return None
        product, sku, availability, term, cycle = parts
        return cls(product, sku, availability, term.upper(), cycle.lower())

    @property
    def key(self) -> str:
        """The one string form: `product:sku:availability:TERM:cycle`."""
        return f"{self.catalog_item_id}:{self.term.upper()}:{self.billing_cycle.lower()}"

    @property
    def catalog_item_id(self) -> str:
        """Partner Center's `catalogItemId`: `product:sku:availability`."""
        return f"{self.product_id}:{self.sku_id}:{self.availability_id}"

    @property
    def rules_item(self) -> CatalogItemKey:
        """The item as the domain's rules take it (term and cycle parsed; DomainError if not
        sold by the portal)."""
        return CatalogItemKey(
            self.product_id,
            self.sku_id,
            self.availability_id,
            Term.parse(self.term),
            BillingCycle.parse(self.billing_cycle),
        )


def announce_prices(organization_id: int | None = None) -> None:
    """After a commit that changes prices or costs (of one organization, or None: any): pending
    approval requests show today's price, cost and margin, so their open lists reload."""
    changes.announce(organization_id, changes.APPROVALS)


def start_of(day: date) -> datetime:
    """00:00 UTC of `day`: the instant an entry effective from `day` starts."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def broker_currency(session: Session) -> str:
    """The broker's currency (Settings), USD until the broker saves settings."""
    row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
    return row.currency if row is not None else DEFAULT_CURRENCY


def number_format(session: Session) -> NumberFormat:
    """The broker's number format (Settings), en_US until the broker saves settings."""
    row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
    return locale_format(row.number_locale if row is not None else DEFAULT_NUMBER_LOCALE)


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
    return rules.PriceEntry(ref.rules_item, amount, start.date())


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


def charged_orders(session: Session, entry_id: int) -> int:
    """How many subscription changes were charged at the price list entry `entry_id`."""
    return session.exec(
        select(func.count()).where(SubscriptionHistory.price_list_entry_id == entry_id)
    ).one()


def charged_entry(
    session: Session, tenant_id: int, ref: CatalogItemRef, on: date, price: Money
) -> int | None:
    """The id of the list entry a purchase for the tenant on `on` at `price` was charged at: the
    organization's list entry in force, else the global one, if it still holds that price.

    The entry is read FOR SHARE, so a concurrent correction of it waits for this transaction
    (or this one reads the corrected price and names no entry).
    """
    organization_id = session.exec(
        select(Tenant.organization_id).where(Tenant.id == tenant_id)
    ).first()
    organization = session.get(Organization, organization_id) if organization_id else None
    lists = [organization.price_list_id] if organization and organization.price_list_id else []
    for list_id in [*lists, global_list(session).id]:
        entry = session.exec(
            select(PriceListEntry)
            .where(PriceListEntry.price_list_id == list_id)
            .where(PriceListEntry.product_id == ref.product_id)
            .where(PriceListEntry.sku_id == ref.sku_id)
            .where(PriceListEntry.availability_id == ref.availability_id)
            .where(PriceListEntry.term == ref.term)
            .where(PriceListEntry.billing_cycle == ref.billing_cycle)
            .where(PriceListEntry.effective_from <= start_of(on))
            .order_by(col(PriceListEntry.effective_from).desc())
            .limit(1)
            .with_for_update(read=True)
        ).first()
        if entry is not None:
            same = entry.sales_price == price.amount and entry.currency == price.currency
            return entry.id if same else None
    return None


def charged_on(
    session: Session, price_list_id: int, refs: Iterable[CatalogItemRef], day: date
) -> set[CatalogItemRef]:
    """The items of `refs` whose entry starting on `day` has been charged (not correctable)."""
    wanted = set(refs)
    rows = session.exec(
        select(PriceListEntry)
        .where(PriceListEntry.price_list_id == price_list_id)
        .where(PriceListEntry.effective_from == start_of(day))
        .where(
            col(PriceListEntry.id).in_(
                select(SubscriptionHistory.price_list_entry_id).where(
                    col(SubscriptionHistory.price_list_entry_id).is_not(None)
                )
            )
        )
    ).all()
    return {CatalogItemRef.of(row) for row in rows} & wanted


@dataclass(frozen=True)
class Correction:
    """The last correction of an entry: the amount it replaced, who corrected it and when."""

    replaced: Decimal
    by: str
    at: datetime


def corrections_on(
    session: Session, price_list_id: int, refs: Iterable[CatalogItemRef], day: date
) -> dict[CatalogItemRef, Correction]:
    """The last correction (audit log) of each entry of `refs` starting on `day`."""
    wanted = set(refs)
    entries = {
        str(row.id): CatalogItemRef.of(row)
        for row in session.exec(
            select(PriceListEntry)
            .where(PriceListEntry.price_list_id == price_list_id)
            .where(PriceListEntry.effective_from == start_of(day))
        ).all()
        if CatalogItemRef.of(row) in wanted
    }
    rows = session.exec(
        select(AuditLogEntry, PortalAccount)
        .join(PortalAccount, col(PortalAccount.id) == AuditLogEntry.actor_account_id, isouter=True)
        .where(AuditLogEntry.entity == "price_list_entry")
        .where(AuditLogEntry.action == "price_list_entry.correct")
        .where(col(AuditLogEntry.entity_id).in_(list(entries)))
        .order_by(col(AuditLogEntry.at), col(AuditLogEntry.id))
    ).all()
    return {
        entries[audit.entity_id]: Correction(
            Decimal(audit.details["before"]),
            f"{account.first_name} {account.last_name}" if account else "someone",
            audit.at,
        )
        for audit, account in rows
    }
