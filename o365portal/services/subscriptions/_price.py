"""Edit historic sales price (brokers only): a subscription's own prices, and a new one from a day.

A subscription may have its own effective-dated sales prices (`subscription_price`), which win
over the price lists from their day until the next one starts (`domain.pricing`); before the
first one the lists apply. `set_sales_price()` adds one from any day since the subscription
started, the past included (the billing of those days follows), or corrects the one already
starting that day; the price is typed in the broker's number format (`_price_input.py`) in the
subscription's price currency. Each change keeps a `price` history row (who, before -> after,
from which day, why) and is announced to the open subscription pages. `sales_price()` gives the
dialog its words: the price in force today and where it comes from, each period, and what the
price lists alone would charge today. Customers get NotAllowed: they never see these prices'
sources, authors or reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory, SubscriptionPrice
from o365portal.db.tables.tenants import Tenant
from o365portal.domain import pricing as rules
from o365portal.domain.money import Money
from o365portal.services import changes, clock
from o365portal.services.errors import NotAllowed, NotFound
from o365portal.services.number_format import NumberFormat
from o365portal.services.number_format import number_format as locale_format
from o365portal.services.pricing import _quote as pricing
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal
from o365portal.services.subscriptions._price_input import NewPrice, PriceForm, read_price_form

_PER = {"monthly": "per seat per month", "annual": "per seat per year"}
_LISTS = {
    rules.PriceSource.CUSTOMER_LIST: "the customer's price list",
    rules.PriceSource.GLOBAL_LIST: "the global price list",
}


@dataclass(frozen=True)
class PricePeriod:
    """One of the subscription's own prices, as the dialog lists it."""

    effective_from: str  # "2026-03-01"
    price: str  # "7,50 EUR", in the broker's number format
    set_by: str  # "Dana Broker"; "" when nobody is recorded (moved from the old override)
    set_at: str  # "2026-11-30 08:36 UTC"
    reason: str
    in_force: bool  # the one charged today


@dataclass(frozen=True)
class SalesPriceView:
    """Everything the Edit sales price dialog shows about one subscription."""

    subscription_id: int
    friendly_name: str
    currency: str
    per: str  # "per seat per month": prices are per seat per charge cycle
    price: str  # in force today: "7,50 EUR"; "" when nothing prices it
    source: str  # "This subscription's own price since 2026-03-01", "The global price list"
    list_price: str  # what the lists alone would charge today; "" when none
    list_source: str  # "The customer's price list (Key accounts)", or why there is none
    periods: list[PricePeriod]  # newest first
    earliest_day: str  # the day the subscription started: no price before it
    example: str  # how to type a price here: "1.234,56"


@dataclass(frozen=True)
class SavedSalesPrice:
    """What `set_sales_price()` stored, and the confirmation in the broker's words."""

    effective_from: date
    amount: Decimal
    currency: str
    message: str


def _words(amount: Decimal, currency: str, number_format: NumberFormat) -> str:
    return f"{number_format.format(amount)} {currency}"


def _exact(amount: Decimal) -> str:
    """An amount as history JSON keeps it: "7.50", "6.1234" (point, no grouping)."""
    return locale_format("en_US").format(amount, grouped=False)


def _load(session: Session, actor: Principal, subscription_id: int) -> tuple[Subscription, int]:
    if not actor.is_broker:
        raise NotAllowed("Only the broker sets a subscription's sales price.")
    row = session.get(Subscription, subscription_id)
    tenant = session.get(Tenant, row.tenant_id) if row else None
    if row is None or tenant is None:
        raise NotFound("subscription")
    return row, tenant.organization_id


def _prices(session: Session, subscription_id: int) -> list[SubscriptionPrice]:
    return list(
        session.exec(
            select(SubscriptionPrice)
            .where(SubscriptionPrice.subscription_id == subscription_id)
            .order_by(col(SubscriptionPrice.effective_from).desc())
        ).all()
    )


def _list_price(
    session: Session, organization_id: int, row: Subscription, on: date
) -> rules.PriceQuote | None:
    return pricing.list_sales_price(session, organization_id, CatalogItemRef.of(row), on)


def _price_currency(session: Session, row: Subscription, organization_id: int) -> str:
    """The currency the subscription is priced in: its own prices', else that of the price it
    was last charged, else the lists', else the broker's."""
    own = _prices(session, row.id or 0)
    if own:
        return own[0].currency
    charged = session.exec(
        select(SubscriptionHistory.currency)
        .where(SubscriptionHistory.subscription_id == row.id)
        .where(col(SubscriptionHistory.currency).is_not(None))
        .order_by(col(SubscriptionHistory.at).desc(), col(SubscriptionHistory.id).desc())
    ).first()
    if charged:
        return charged
    listed = _list_price(session, organization_id, row, clock.today())
    return listed.price.currency if listed else price_store.broker_currency(session)


def _in_force(prices: list[SubscriptionPrice], on: date) -> SubscriptionPrice | None:
    return next((price for price in prices if price.effective_from <= on), None)  # newest first


def _period(
    price: SubscriptionPrice,
    names: dict[int, str],
    today: SubscriptionPrice | None,
    number_format: NumberFormat,
) -> PricePeriod:
    return PricePeriod(
        effective_from=price.effective_from.isoformat(),
        price=_words(price.unit_price, price.currency, number_format),
        set_by=names.get(price.set_by_account_id or 0, ""),
        set_at=price.set_at.strftime("%Y-%m-%d %H:%M UTC"),
        reason=price.reason,
        in_force=price is today,
    )


def _names(session: Session, prices: list[SubscriptionPrice]) -> dict[int, str]:
    ids = {price.set_by_account_id for price in prices if price.set_by_account_id}
    accounts = session.exec(select(PortalAccount).where(col(PortalAccount.id).in_(ids))).all()
    return {a.id or 0: f"{a.first_name} {a.last_name}".strip() for a in accounts}


def _list_words(quote: rules.PriceQuote | None, number_format: NumberFormat) -> tuple[str, str]:
    if quote is None:
        return "", "No price list prices it today."
    named = f" ({quote.price_list})" if quote.source is rules.PriceSource.CUSTOMER_LIST else ""
    source = _LISTS[quote.source]
    words = _words(quote.price.amount, quote.price.currency, number_format)
    return words, f"{source[0].upper()}{source[1:]}{named}"


def sales_price(*, actor: Principal, subscription_id: int) -> SalesPriceView:
    """The subscription's price today and its source, its own price periods (newest first) and
    what the price lists alone would charge today (brokers only)."""
    with session_scope() as session:
        row, organization_id = _load(session, actor, subscription_id)
        number_format, today = price_store.number_format(session), clock.today()
        prices = _prices(session, subscription_id)
        own = _in_force(prices, today)
        list_price, list_source = _list_words(
            _list_price(session, organization_id, row, today), number_format
        )
        names = _names(session, prices)
        if own is not None:
            price = _words(own.unit_price, own.currency, number_format)
            source = f"This subscription's own price since {own.effective_from.isoformat()}"
        else:
            price, source = list_price, list_source
        return SalesPriceView(
            subscription_id=subscription_id,
            friendly_name=row.friendly_name,
            currency=_price_currency(session, row, organization_id),
            per=_PER.get(row.billing_cycle.lower(), "per seat per billing cycle"),
            price=price,
            source=source,
            list_price=list_price,
            list_source=list_source,
            periods=[_period(p, names, own, number_format) for p in prices],
            earliest_day=row.started_at.date().isoformat(),
            example=number_format.symbols.example,
        )


def _price_on(
    session: Session, organization_id: int, row: Subscription, on: date
) -> tuple[Money, date] | None:
    """The price charged on `on` and the day it started: the subscription's own, else a list's."""
    own = rules.subscription_price_on(pricing.subscription_prices(session, row.id or 0), on)
    if own is not None:
        return own.price, own.since
    listed = _list_price(session, organization_id, row, on)
    return (listed.price, listed.since) if listed else None


def set_sales_price(*, actor: Principal, subscription_id: int, form: PriceForm) -> SavedSalesPrice:
    """Charge the subscription `form.price` per seat per charge cycle from `form.effective_from`
    on (brokers only), over the price lists, until its next own price starts.

    A day before the subscription started, an unreadable or negative price, a currency other
    than the subscription's, or no reason raise InvalidInput at the field. A price for a day
    that already has one corrects it; either way a `price` history row keeps before and after.
    """
    with session_scope() as session:
        row, organization_id = _load(session, actor, subscription_id)
        number_format = price_store.number_format(session)
        currency = _price_currency(session, row, organization_id)
        new = read_price_form(
            form, started=row.started_at.date(), currency=currency, number_format=number_format
        )
        before = _price_on(session, organization_id, row, new.effective_from)
        _store(session, actor, subscription_id, new, currency)
        was = (
            f" (was {_words(before[0].amount, before[0].currency, number_format)})"
            if before
            else ""
        )
        after = Money(new.amount, currency)
        session.add(_history(actor, row, new, before, after, was))
        now = _words(new.amount, currency, number_format)
        message = f"{row.friendly_name} costs {now} from {new.effective_from.isoformat()}{was}."
    changes.announce(organization_id, changes.SUBSCRIPTIONS)
    return SavedSalesPrice(new.effective_from, new.amount, currency, message)


def _store(
    session: Session, actor: Principal, subscription_id: int, new: NewPrice, currency: str
) -> None:
    """Add the price, or correct the one starting the same day (its history row keeps the old)."""
    row = session.exec(
        select(SubscriptionPrice)
        .where(SubscriptionPrice.subscription_id == subscription_id)
        .where(SubscriptionPrice.effective_from == new.effective_from)
        .with_for_update()
    ).first() or SubscriptionPrice(
        subscription_id=subscription_id,
        effective_from=new.effective_from,
        unit_price=new.amount,
        currency=currency,
        reason=new.reason,
    )
    row.unit_price, row.currency, row.reason = new.amount, currency, new.reason
    row.set_by_account_id, row.set_at = actor.account_id or None, clock.now()
    session.add(row)


def _before(price: tuple[Money, date] | None) -> dict[str, str] | None:
    if price is None:
        return None
    amount, since = price
    return {
        "price": _exact(amount.amount),
        "currency": amount.currency,
        "effective_from": since.isoformat(),
    }


def _history(
    actor: Principal,
    row: Subscription,
    new: NewPrice,
    before: tuple[Money, date] | None,
    after: Money,
    was: str,
) -> SubscriptionHistory:
    day, reason = new.effective_from, new.reason
    return SubscriptionHistory(
        subscription_id=row.id or 0,
        actor_account_id=actor.account_id or None,
        origin=ChangeOrigin.PORTAL,
        at=clock.now(),
        action="price",
        before=_before(before),
        after={
            "price": _exact(after.amount),
            "currency": after.currency,
            "effective_from": day.isoformat(),
            "reason": reason,
            "note": f"from {day.isoformat()}{was}: {reason}",
        },
        # The subscription list shows the price of the latest priced change: a price that
        # starts later is not charged yet, so its row carries none (the note says it).
        unit_price=after.amount if day <= clock.today() else None,
        currency=after.currency if day <= clock.today() else None,
    )
