"""The portal's rating (domain/) and the sandbox's reconciliation lines are written apart, on
purpose: here they must agree to the cent on Microsoft's side of the same subscription histories.

Each scenario is played against the sandbox over its API (its clock moved between events) and
rated by `domain.rating` with Microsoft's cost rounding; every line — charge type, quantity,
charge start and amount — must match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.money import MICROSOFT_COST_ROUNDING, Money
from o365portal.domain.rating import (
    Cancellation,
    Purchase,
    QuantityChange,
    SubscriptionEvent,
    rate_history,
)
from tests.integration.sandbox_commerce.conftest import Sandbox, buy, line, seed_customer

Line = tuple[str, int, date, Decimal]


@dataclass(frozen=True)
class Scenario:
    """A purchase, then seat changes or a cancellation on later days, then a last day to bill."""

    name: str
    bought: date
    quantity: int
    term: str
    billing_cycle: str
    changes: tuple[tuple[date, int | None], ...]  # (day, new quantity) or (day, None) = cancel
    until: date


SCENARIOS = [
    Scenario(
        "annual term billed monthly: add, remove, two cycle charges",
        date(2026, 3, 10),
        10,
        "P1Y",
        "monthly",
        ((date(2026, 3, 12), 12), (date(2026, 3, 14), 9)),
        date(2026, 5, 20),
    ),
    Scenario(
        "bought on the last day of January: month-end charge cycles",
        date(2026, 1, 31),
        4,
        "P1Y",
        "monthly",
        ((date(2026, 2, 3), 7),),
        date(2026, 4, 15),
    ),
    Scenario(
        "bought the day before January's last day: cycles on each month's day before last",
        date(2026, 1, 30),
        3,
        "P1Y",
        "monthly",
        ((date(2026, 2, 2), 5),),
        date(2026, 5, 5),
    ),
    Scenario(
        "monthly term cancelled after two days",
        date(2026, 7, 15),
        10,
        "P1M",
        "monthly",
        ((date(2026, 7, 17), None),),
        date(2026, 7, 31),
    ),
    Scenario(
        "annual upfront, a seat added the next month",
        date(2026, 2, 27),
        5,
        "P1Y",
        "annual",
        ((date(2026, 3, 2), 6),),
        date(2026, 3, 31),
    ),
]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


async def _play(sandbox: Sandbox, scenario: Scenario) -> tuple[list[Line], Decimal]:
    await sandbox.set_clock(_at(scenario.bought))
    customer = seed_customer(sandbox.state, country="US")
    item = line(
        quantity=scenario.quantity, term=scenario.term, billing_cycle=scenario.billing_cycle
    )
    if scenario.term == "P1M":
        item["catalogItemId"] = await _p1m_item(sandbox)
    [subscription] = await buy(sandbox, customer, item)
    for day, quantity in scenario.changes:
        await sandbox.set_clock(_at(day))
        change = {"status": "deleted"} if quantity is None else {"quantity": quantity}
        body = {**subscription, **change}
        response = await sandbox.client.patch(
            f"/v1/customers/{customer}/subscriptions/{subscription['id']}", json=body
        )
        assert response.status_code == 200, response.text
        subscription = response.json()
    await sandbox.set_clock(_at(scenario.until))
    rows = list(sandbox.state.table("reconLineItems").values())
    lines = [
        (
            row["chargeType"],
            int(row["quantity"]),
            date.fromisoformat(row["chargeStartDate"][:10]),
            Decimal(row["subtotal"]),
        )
        for row in sorted(rows, key=lambda row: row["_sequence"])
    ]
    return lines, Decimal(rows[0]["unitPrice"])


async def _p1m_item(sandbox: Sandbox) -> str:
    availabilities = await sandbox.client.get(
        "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US"
    )
    for availability in availabilities.json()["items"]:
        if any(term["duration"] == "P1M" for term in availability["terms"]):
            return str(availability["catalogItemId"])
    raise AssertionError("no P1M availability for Business Basic")


def _rate(scenario: Scenario, unit_price: Decimal) -> list[Line]:
    events: list[SubscriptionEvent] = [
        Purchase(
            scenario.bought,
            scenario.quantity,
            Term.parse(scenario.term),
            BillingCycle.parse(scenario.billing_cycle),
            "buy",
        )
    ]
    for index, (day, quantity) in enumerate(scenario.changes):
        reference = f"change-{index}"
        events.append(
            Cancellation(day, reference)
            if quantity is None
            else QuantityChange(day, quantity, reference)
        )
    lines = rate_history(
        events,
        until=scenario.until,
        price_on=lambda _day, _term, _cycle: Money(unit_price, "USD"),
        rounding=MICROSOFT_COST_ROUNDING,
    )
    return [
        (line.charge_type.value, line.quantity, line.start, line.amount.amount) for line in lines
    ]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
async def test_the_portal_rates_microsofts_side_exactly_as_the_sandbox_bills_it(
    sandbox: Sandbox, scenario: Scenario
) -> None:
    billed, unit_price = await _play(sandbox, scenario)
    assert len(billed) >= 2  # the purchase and what followed it
    assert _rate(scenario, unit_price) == billed
