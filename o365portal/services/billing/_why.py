"""Why a billing line is there, in words: the event, the seat lot, the price and the formula.

"Seats changed from 10 to 12 on 2021-06-20 in the portal (history #45): a new seat lot of
2 seats. Charge for the new count: 12 seats x 7.20 USD x 28/30 days = 80.64 USD. Price:
7.20 USD per seat per month from the customer price list "Contoso" (since 2020-01-01),
read on 2021-06-18."
"""

from __future__ import annotations

from o365portal.domain import pricing as rules
from o365portal.domain.money import Money
from o365portal.domain.proration import BillingLine, ChargeType
from o365portal.domain.rating import LineBasis
from o365portal.services.billing._load import HistoryFacts
from o365portal.services.number_format import NumberFormat
from o365portal.services.ordering._input import seats_label
from o365portal.services.subscriptions._preview import money_words

_ORIGINS = {
    "portal": "in the portal",
    "partner_center": "in Partner Center",
    "system": "by the portal",
}
_PER = {"monthly": "month", "annual": "year", "triennial": "three years"}


def _history_words(change: HistoryFacts | None, reference: str) -> str:
    if change is None:
        return f"({reference})"
    origin = _ORIGINS.get(change.origin.value, change.origin.value)
    return f"{origin} (history #{change.id}, {change.action})"


def event_words(
    line: BillingLine,
    basis: LineBasis,
    change: HistoryFacts | None,
    seat_change: tuple[int, int] | None,
) -> str:
    """The event behind the line and, for a seat change, the seat lot it added or reduced."""
    where = _history_words(change, line.reference)
    match line.charge_type:
        case ChargeType.NEW:
            return f"Bought with {seats_label(line.quantity)} on {basis.term_start} {where}."
        case ChargeType.RENEW:
            return f"Renewed with {seats_label(line.quantity)} on {basis.term_start} {where}."
        case ChargeType.CYCLE_CHARGE:
            return (
                f"Charge cycle {basis.cycle.start} – {basis.cycle.end} of the term started on "
                f"{basis.term_start} {where}."
            )
        case ChargeType.CANCEL_IMMEDIATE:
            return f"Cancelled on {line.start} {where}: the unused days are refunded."
    old, new = seat_change or (line.quantity, line.quantity)
    lot = (
        f"a new seat lot of {seats_label(new - old)}"
        if new > old
        else f"{seats_label(old - new)} given back within their 7-day window"
    )
    return f"Seats changed from {old} to {new} on {line.start} {where}: {lot}."


def formula_words(
    line: BillingLine, basis: LineBasis, unit: Money, amount: Money, nf: NumberFormat
) -> str:
    """`12 seats x 7.20 USD x 28/30 days = 80.64 USD` (the whole cycle: no days)."""
    what = "Refund" if amount.amount < 0 else "Charge"
    days = (
        ""
        if basis.billing_days == basis.cycle.charge_cycle_days and line.start == basis.cycle.start
        else f" x {basis.billing_days}/{basis.cycle.charge_cycle_days} days"
    )
    return (
        f"{what}: {seats_label(line.quantity)} x {money_words(unit, nf)}{days} = "
        f"{money_words(amount, nf)}."
    )


def price_words(quote: rules.PriceQuote, basis: LineBasis, nf: NumberFormat) -> str:
    """Which price it was, from which list, in force since when, read on which day."""
    per = _PER.get(basis.billing_cycle.value, basis.billing_cycle.value)
    source = {
        rules.PriceSource.SUBSCRIPTION: "the subscription's own sales price",
        rules.PriceSource.CUSTOMER_LIST: f'the customer price list "{quote.price_list}"',
        rules.PriceSource.GLOBAL_LIST: f'the global price list "{quote.price_list}"',
    }.get(quote.source, str(quote.source))
    return (
        f"Price: {money_words(quote.price, nf)} per seat per {per} from {source} "
        f"(since {quote.since}), read on {basis.price_read_on}."
    )


def cost_words(line: BillingLine, basis: LineBasis, nf: NumberFormat) -> str:
    """Microsoft's side of the line: its formula, truncated to the cent as Microsoft bills."""
    formula = formula_words(line, basis, line.unit_price, line.amount, nf)
    rule = (
        "the effective unit price truncated to cents first, as Microsoft refunds cancellations"
        if line.charge_type is ChargeType.CANCEL_IMMEDIATE
        else "truncated to the cent as Microsoft bills"
    )
    return f"Microsoft {formula[0].lower()}{formula[1:-1]} ({rule})."
