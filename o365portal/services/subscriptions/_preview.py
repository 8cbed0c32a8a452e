"""The cost preview: what a change will bill, rated by the same engine as the billing report.

A preview plays the subscription's current term and the asked change through
`domain.rating.rate_history`, with the sales prices (customer's view) and with Microsoft's
costs (broker's view), and keeps the lines the change itself produces: the pro-rata refund
and charge of a seat change, the refund of a cancellation, the first cycle fee of a renewal.
So what the dialog shows before the change is what the report bills after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.money import MICROSOFT_COST_ROUNDING, SALES_ROUNDING, Money, total
from o365portal.domain.proration import BillingLine, ChargeType
from o365portal.domain.rating import (
    PriceChange,
    PriceOn,
    Purchase,
    SubscriptionEvent,
    rate_history,
)
from o365portal.domain.terms import charge_cycle_on
from o365portal.services.number_format import NumberFormat
from o365portal.services.ordering._input import cycle_label, seats_label
from o365portal.services.pricing._book import (
    PriceBook,
    catalog_variants,
    load_price_book,
    variant_of,
)
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.subscriptions._subject import Subject

PREVIEW = "preview"  # the reference of the asked change's lines

_WHAT = {
    ChargeType.ADD_QUANTITY: ("Refund of {q} at the old count", "Charge for {q} from today"),
    ChargeType.REMOVE_QUANTITY: ("Refund of {q} at the old count", "Charge for {q} from today"),
    ChargeType.CANCEL_IMMEDIATE: ("Refund of {q} for the unused days", ""),
    ChargeType.RENEW: ("", "First cycle of the new term, {q}"),
}


@dataclass(frozen=True)
class ChargeLine:
    """One line the change bills, in words (sales prices; a broker's adds the cost)."""

    what: str  # "Charge for 7 seats from today"
    period: str  # "2026-12-03 – 2026-12-29"
    quantity: int
    unit_price: str  # the effective (prorated) price per seat: "6.05 USD"
    amount: str  # "-12.10 USD" for a refund


@dataclass(frozen=True)
class BrokerChargeLine(ChargeLine):
    """A line as broker staff see it: Microsoft's amount for it and the margin."""

    cost: str  # "-10.08 USD", or "not recorded"
    margin: str  # "2.02 USD"


@dataclass(frozen=True)
class Rated:
    """The change's lines and their sum, for one side of the ledger."""

    lines: tuple[BillingLine, ...]
    amount: Money


def money_words(money: Money, number_format: NumberFormat) -> str:
    """`1,234.50 USD`, `-3.20 USD` (in the broker's number format)."""
    return f"{number_format.format(money.amount)} {money.currency}"


def item_for(
    session: Session, item: CatalogItemRef, term: Term, cycle: BillingCycle
) -> CatalogItemRef:
    """The catalog item of the same product and SKU sold with `term` and `cycle`."""
    return variant_of(catalog_variants(session, [item.product_id]), item, term, cycle)


def _book(session: Session, subject: Subject) -> PriceBook:
    return load_price_book(
        session, product_ids=[subject.item.product_id], organization_id=subject.organization_id
    )


def sales_price_on(session: Session, subject: Subject) -> PriceOn:
    """The subscription's sales price per seat per cycle on a day (its own, its customer's
    list, the global list); NotForSale when none is in force."""
    return _book(session, subject).sales_on(subject.organization_id, subject.id, subject.item)


def cost_price_on(session: Session, subject: Subject, currency: str) -> PriceOn:
    """Microsoft's price per seat per cycle to the broker on a day; NotForSale if unknown."""
    return _book(session, subject).cost_on(subject.item, currency)


def term_purchase(subject: Subject) -> Purchase:
    """The current term as the engine's starting event, at today's seat count."""
    return Purchase(
        subject.term_start, subject.quantity, subject.term, subject.billing_cycle, "term"
    )


def rate_change(
    subject: Subject,
    change: SubscriptionEvent,
    price_on: PriceOn,
    *,
    sales: bool,
) -> Rated:
    """The lines `change` (reference PREVIEW) bills on top of the current term, whose cycles
    read the subscription's own sales prices from the days they start (Edit sales price)."""
    rounding = SALES_ROUNDING if sales else MICROSOFT_COST_ROUNDING
    prices = [
        PriceChange(day, "price")
        for day in subject.price_days
        if subject.term_start < day <= change.on
    ]
    events: Sequence[SubscriptionEvent] = (term_purchase(subject), *prices, change)
    lines = rate_history(events, until=change.on, price_on=price_on, rounding=rounding)
    own = tuple(line for line in lines if line.reference == PREVIEW)
    currency = (
        own[0].amount.currency
        if own
        else price_on(change.on, subject.term, subject.billing_cycle).currency
    )
    return Rated(own, total((line.amount for line in own), currency))


def cycle_price(subject: Subject, price_on: PriceOn, day: date, quantity: int) -> Money:
    """What `quantity` seats cost for one whole charge cycle at the price read on the term's
    start (NCE keeps the price for the term)."""
    price = price_on(subject.term_start, subject.term, subject.billing_cycle)
    return SALES_ROUNDING.line_amount(price, quantity)


def per_cycle_words(
    money: Money, cycle: BillingCycle, quantity: int, number_format: NumberFormat
) -> str:
    """`75.00 USD per month for 10 seats`."""
    per = {"monthly": "month", "annual": "year", "triennial": "three years"}.get(
        cycle.value, cycle_label(cycle.value).lower()
    )
    return f"{money_words(money, number_format)} per {per} for {seats_label(quantity)}"


def _what(line: BillingLine) -> str:
    refund, charge = _WHAT.get(line.charge_type, ("Refund of {q}", "Charge for {q}"))
    words = refund if line.amount.amount < 0 else charge
    return words.format(q=seats_label(line.quantity))


def line_words(
    sales: Sequence[BillingLine],
    costs: Sequence[BillingLine] | None,
    number_format: NumberFormat,
) -> list[ChargeLine]:
    """The change's sales lines in words; with `costs` (a broker), each with cost and margin."""
    words: list[ChargeLine] = []
    for index, line in enumerate(sales):
        sales_line = ChargeLine(
            what=_what(line),
            period=f"{line.start} – {line.end}",
            quantity=line.quantity,
            unit_price=f"{number_format.format(line.effective_unit_price)} {line.amount.currency}",
            amount=money_words(line.amount, number_format),
        )
        if costs is None:
            words.append(sales_line)
            continue
        cost = costs[index].amount if index < len(costs) else None
        words.append(
            BrokerChargeLine(
                **vars(sales_line),
                cost=money_words(cost, number_format) if cost else "not recorded",
                margin=money_words(line.amount - cost, number_format) if cost else "—",
            )
        )
    return words


def charge_cycle_end(subject: Subject, day: date) -> date:
    """The last day of the charge cycle that contains `day`."""
    return charge_cycle_on(subject.term_start, subject.term, subject.billing_cycle, day).end


def signed(amount: Decimal) -> str:
    """`charged` or `refunded` for an amount's sign."""
    return "refunded" if amount < 0 else "charged"
