"""NCE reconciliation line items (`OneTimeInvoiceLineItem`, reference §10.3) for commerce events.

Each event of a subscription (`new`, `cycleCharge`, `addQuantity`/`removeQuantity` pairs sharing a
`referenceId`, `cancelImmediate`, `renew`) appends lines to the table `reconLineItems`. A line is
priced with recon_proration (unrounded effective unit price, amount truncated to cents); numeric
values are JSON strings as the real service returns them. Rows keep sandbox-only keys starting
with `_` (billing month, sequence, invoice id) that `line_wire` strips.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from o365portal.sandbox.billing.recon_proration import CENT, Charge, display_price
from o365portal.sandbox.commerce.catalog_data import TERM_DESCRIPTIONS
from o365portal.sandbox.commerce.nce_customers import (
    customer_country,
    customer_domain,
    customer_name,
)
from o365portal.sandbox.commerce.nce_terms import billing_days, charge_cycle, charge_cycle_days
from o365portal.sandbox.core.rows import (
    CUSTOMERS,
    RECON_LINES,
    ReconBlanks,
    ReconCharge,
    ReconLineRow,
    ReconParty,
    ReconProduct,
    SubscriptionBook,
    SubscriptionRow,
)
from o365portal.sandbox.core.state import SandboxState

PUBLISHER = "Microsoft Corporation"
FREQUENCY = {"monthly": "Monthly", "annual": "Annual", "triennial": "Triennial"}


@dataclass(frozen=True)
class LineEvent:
    """One billable event of a subscription on a day, for `quantity` seats."""

    charge_type: str
    day: date
    quantity: int
    reference_id: str
    refund: bool = False
    full_cycle: bool = False


def sandbox_of(subscription: SubscriptionRow) -> SubscriptionBook:
    """The subscription's sandbox-only bookkeeping (term start, anchor day, price, lots)."""
    return subscription["_sandbox"]


def _charge(subscription: SubscriptionRow, event: LineEvent) -> tuple[Charge, date, date]:
    extra = sandbox_of(subscription)
    term_start = date.fromisoformat(extra["termStart"])
    cycle = subscription["billingCycle"]
    first, last = charge_cycle(term_start, cycle, extra["anchorDay"], event.day)
    cycle_days = charge_cycle_days(first, last, cycle)
    days = cycle_days if event.full_cycle else min(billing_days(event.day, last), cycle_days)
    return Charge(Decimal(extra["unitPrice"]), cycle_days, days), first, last


def _money(value: Decimal) -> str:
    return format(value.quantize(CENT), "f")


EMPTY_FIELDS: ReconBlanks = {
    "invoiceNumber": "",
    "mpnId": "",
    "resellerMpnId": "",
    "publisherId": "",
    "priceAdjustmentDescription": "",
    "discountDetails": "",
    "meterDescription": "",
    "reservationOrderId": "",
    "creditReasonCode": "",
    "promotionId": "",
}


def _who(state: SandboxState, subscription: SubscriptionRow) -> ReconParty:
    customer = state.table(CUSTOMERS).get(subscription["customerId"])
    return {
        "partnerId": state.partner_tenant_id,
        "customerId": subscription["customerId"],
        "customerName": customer_name(customer),
        "customerDomainName": customer_domain(customer),
        "customerCountry": customer_country(customer),
    }


def _what(subscription: SubscriptionRow) -> ReconProduct:
    extra = sandbox_of(subscription)
    return {
        "orderId": subscription["orderId"],
        "alternateId": subscription["orderId"],
        "productId": extra["productId"],
        "skuId": extra["skuId"],
        "availabilityId": extra["availabilityId"],
        "productName": extra["productName"],
        "skuName": subscription["skuName"],
        "productQualifiers": ["AddOn"] if extra.get("isAddon") else [],
        "unitType": "Licenses",
        "publisherName": PUBLISHER,
        "subscriptionDescription": subscription["friendlyName"],
        "subscriptionId": subscription["id"],
        "subscriptionStartDate": f"{extra['termStart']}T00:00:00Z",
        "subscriptionEndDate": subscription["commitmentEndDate"],
        "termAndBillingCycle": TERM_DESCRIPTIONS[subscription["termDuration"]],
        "billingFrequency": FREQUENCY[subscription["billingCycle"]],
        "currency": extra["currency"],
        "pricingCurrency": extra["currency"],
        "pcToBCExchangeRate": "1",
    }


def _charged(subscription: SubscriptionRow, event: LineEvent) -> ReconCharge:
    charge, first, last = _charge(subscription, event)
    if event.charge_type == "cancelImmediate":
        charge = replace(charge, effective_price_in_cents=True)
    sign = Decimal(-1) if event.refund else Decimal(1)
    amount = _money(sign * charge.amount(event.quantity))
    start = event.day if event.charge_type not in {"new", "renew", "cycleCharge"} else first
    day = f"{event.day.isoformat()}T00:00:00Z"
    return {
        "orderDate": day,
        "chargeType": event.charge_type,
        "unitPrice": _money(Decimal(sandbox_of(subscription)["unitPrice"])),
        "effectiveUnitPrice": display_price(sign * charge.effective_unit_price),
        "quantity": str(event.quantity),
        "billableQuantity": str(event.quantity),
        "subtotal": amount,
        "taxTotal": "0",
        "totalForCustomer": amount,
        "chargeStartDate": f"{start.isoformat()}T00:00:00Z",
        "chargeEndDate": f"{last.isoformat()}T00:00:00Z",
        "referenceId": event.reference_id,
        "pcToBCExchangeRateDate": day,
    }


def line_for(
    state: SandboxState,
    subscription: SubscriptionRow,
    event: LineEvent,
    now: datetime,
    sequence: int,
) -> ReconLineRow:
    """Build (without storing) the recon line of one event, the `sequence`-th line recorded."""
    return {
        **EMPTY_FIELDS,
        **_who(state, subscription),
        **_what(subscription),
        **_charged(subscription, event),
        "invoiceLineItemType": "billing_line_items",
        "billingProvider": "one_time",
        "attributes": {"objectType": "OneTimeInvoiceLineItem"},
        "_billingMonth": event.day.strftime("%Y-%m"),
        "_recordedAt": now.isoformat(),
        "_sequence": sequence,
        "_id": str(uuid.uuid4()),
    }


def record_lines(
    state: SandboxState, subscription: SubscriptionRow, events: list[LineEvent], now: datetime
) -> list[ReconLineRow]:
    """Price and store the lines of one or more events (in order)."""
    table = state.table(RECON_LINES)
    lines = []
    for event in events:
        line = line_for(state, subscription, event, now, sequence=len(table))
        table[line["_id"]] = line
        lines.append(line)
    return lines


def seat_change_events(
    charge_type: str, day: date, old_quantity: int, new_quantity: int
) -> list[LineEvent]:
    """The refund (old seats) + charge (new seats) pair of one seat change."""
    reference = str(uuid.uuid4())
    return [
        LineEvent(charge_type, day, old_quantity, reference, refund=True),
        LineEvent(charge_type, day, new_quantity, reference),
    ]


def line_wire(line: ReconLineRow) -> dict[str, Any]:
    """The wire form of a stored line (sandbox-only keys dropped)."""
    return {key: value for key, value in line.items() if not key.startswith("_")}
