"""The rules for storing one price list entry: which day may take a new price, correcting an
entry of the same day (audited), and whether a price is below Microsoft's cost.

An entry of an earlier day is never changed. An entry of the same list, item and day is
corrected in place: any day still in the future, and today while nothing has been charged at it
(no subscription history row names the entry; `subscription_records` names the entry an order
was charged at). The replaced value, who entered it and when go to the audit log. Shared by the
editor (`price_lists.set_price`) and the CSV import (`price_csv`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from o365portal.db.base import utc_now
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.pricing import PriceListEntry
from o365portal.domain import pricing as rules
from o365portal.domain.money import Money
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._store import CatalogItemRef


def check_effective(session: Session, entry: PriceListEntry, today: date) -> str | None:
    """Why `entry` cannot be stored, or None: never in the past, never over an entry of today
    that has been charged (that entry stays locked until this transaction ends)."""
    day = entry.effective_from.date()
    if day < today:
        return "Choose today or a later day: a price cannot start in the past."
    clash = existing_entry(session, entry, lock=True)
    if clash is not None and day <= today:
        charged = price_store.charged_orders(session, clash.id or 0)
        if charged:
            return (
                f"Today's price has been charged already ({charged} order(s)); a new price can "
                "start tomorrow at the earliest."
            )
    return None


def earliest_day(session: Session, price_list_id: int, ref: CatalogItemRef, today: date) -> date:
    """The first day a new price for `ref` may start: today, or tomorrow once today's is charged."""
    probe = PriceListEntry(
        **ref.__dict__, price_list_id=price_list_id, sales_price=Decimal(1), currency="",
        effective_from=price_store.start_of(today),
    )  # fmt: skip
    return today if check_effective(session, probe, today) is None else today + timedelta(days=1)


def below_cost(session: Session, entry: PriceListEntry, number_format: NumberFormat) -> str | None:
    """Why `entry`'s price needs a confirmation (it is below Microsoft's cost on its day)."""
    ref = CatalogItemRef.of(entry)
    costs = price_store.cost_list(session, [ref], entry.currency)
    found = rules.cost(ref.rules_item, entry.effective_from.date(), cost_list=costs)
    if isinstance(found, rules.NotForSale) or entry.sales_price >= found.price.amount:
        return None
    margin = rules.margin_percent(Money(entry.sales_price, entry.currency), found.price)
    return (
        f"{number_format.format(entry.sales_price)} is below Microsoft's cost "
        f"{number_format.format(found.price.amount)} {entry.currency} (margin "
        f"{number_format.format(margin or Decimal(0))}%): confirm to sell below cost."
    )


def existing_entry(
    session: Session, entry: PriceListEntry, *, lock: bool = False
) -> PriceListEntry | None:
    """The stored entry of the same list, item and day, if any (`lock`: FOR UPDATE)."""
    ref = CatalogItemRef.of(entry)
    query = (
        select(PriceListEntry)
        .where(PriceListEntry.price_list_id == entry.price_list_id)
        .where(PriceListEntry.effective_from == entry.effective_from)
        .where(PriceListEntry.product_id == ref.product_id)
        .where(PriceListEntry.sku_id == ref.sku_id)
        .where(PriceListEntry.availability_id == ref.availability_id)
        .where(PriceListEntry.term == ref.term)
        .where(PriceListEntry.billing_cycle == ref.billing_cycle)
    )
    return session.exec(query.with_for_update() if lock else query).first()


def store_entry(session: Session, entry: PriceListEntry) -> Decimal | None:
    """Add `entry`, or correct the entry of the same day (allowed: checked before) and keep the
    replaced value, who entered it and when in the audit log; the replaced amount, if any."""
    clash = existing_entry(session, entry)
    if clash is None:
        session.add(entry)
        return None
    replaced = clash.sales_price
    session.add(
        AuditLogEntry(
            actor_account_id=entry.entered_by_account_id,
            action="price_list_entry.correct",
            entity="price_list_entry",
            entity_id=str(clash.id),
            details={
                "item": CatalogItemRef.of(clash).key,
                "effective_from": clash.effective_from.date().isoformat(),
                "currency": clash.currency,
                "before": str(replaced),
                "after": str(entry.sales_price),
                "before_entered_by_account_id": clash.entered_by_account_id,
                "before_entered_at": clash.created_at.isoformat(),
            },
        )
    )
    clash.sales_price = entry.sales_price
    clash.entered_by_account_id = entry.entered_by_account_id
    clash.created_at = utc_now()
    session.add(clash)
    return replaced
