"""Ordering returns before Microsoft provisions: the order is recorded at once as a
`provisioning` subscription, and the provisioning job turns it active exactly once, also when
two runners race, a worker dies between checkout and recording, or Microsoft gives up."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.subscriptions import SeatLot, Subscription
from o365portal.domain.nce import CANCELLATION_WINDOW
from o365portal.jobs.provisioning import PROVISIONING_JOB
from o365portal.services import subscriptions
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from tests.fakes.partner_center import PartnerCenterFake, WorkerKilled
from tests.services.ordering_support import (
    CHECKOUT,
    Shop,
    answer_slowly,
    broker_settings,
    fast_client,
    open_shop,
    order_form,
    race_job_runners,
    sandbox_subscriptions,
)

pytestmark = pytest.mark.usefixtures("portal_env")


def _provision(control: PartnerCenterFake) -> None:
    """Let the sandbox's provisioning delay (10 s on its clock) pass."""
    control.post("clock", {"advance": "PT11S"})


def _orders(sandbox: PartnerCenterFake, shop: Shop) -> list[dict]:
    return [
        o for o in sandbox.state.table("orders").values() if o["customerId"] == shop.customer_id
    ]


def _row(shop: Shop) -> subscriptions.SubscriptionRow:
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    [row] = listed.subscriptions
    return row


def _lots(subscription_id: int) -> list[SeatLot]:
    with session_scope() as session:
        query = select(SeatLot).where(SeatLot.subscription_id == subscription_id)
        return list(session.exec(query.order_by(col(SeatLot.id))).all())


async def _shop(sandbox: PartnerCenterFake, control: PartnerCenterFake) -> Shop:
    broker_settings()
    async with fast_client(sandbox) as pc:
        return await open_shop(pc, price="7.50")


async def _place(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, shop: Shop, quantity: int = 3
) -> int:
    async with fast_client(sandbox) as pc:
        outcome = await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(quantity=quantity, friendly_name="Sales team"),
            pc=pc,
        )
    assert outcome.kind == "placed"
    assert "waiting for Microsoft" in outcome.message
    return outcome.record_id


async def _order(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, quantity: int = 3
) -> tuple[Shop, int]:
    shop = await _shop(sandbox, control)
    return shop, await _place(sandbox, control, shop, quantity)


async def test_an_order_is_recorded_before_microsoft_provisions_it_and_completed_by_the_job(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, record_id = await _order(sandbox, control)
    [order] = _orders(sandbox, shop)
    assert order["status"] == "pending" and sandbox_subscriptions(sandbox, shop.customer_id) == []
    row = _row(shop)
    assert (row.friendly_name, row.quantity, row.status) == (
        "Sales team",
        "3",
        "Provisioning",
    )
    assert (row.price, row.date) == ("7.50 USD", "")
    [change] = subscriptions.subscription_history(
        actor=shop.customer.principal, subscription_id=record_id
    )
    assert (change.action, change.by, change.unit_price) == ("Order", "Bea Broker", "7.50 USD")
    assert f"Partner Center order {order['id']}" in change.details
    assert [lot.quantity for lot in _lots(record_id)] == [3]

    async with fast_client(sandbox) as pc:
        assert record_id not in await complete_provisioning(pc=pc)  # Microsoft is not done
        assert _row(shop).status == "Provisioning"
        _provision(control)
        assert record_id in await complete_provisioning(pc=pc)
        assert record_id not in await complete_provisioning(pc=pc)

    [provisioned] = sandbox_subscriptions(sandbox, shop.customer_id)
    row = _row(shop)
    assert (row.status, row.quantity) == ("Active", "3")
    assert row.date == provisioned["commitmentEndDate"][:10]
    started = datetime.fromisoformat(provisioned["effectiveStartDate"].replace("Z", "+00:00"))
    [lot] = _lots(record_id)
    assert (lot.added_at, lot.reducible_until) == (started, started + CANCELLATION_WINDOW)
    with session_scope() as session:
        stored = session.get(Subscription, record_id)
        assert stored is not None and stored.pc_subscription_id == provisioned["id"]
    assert (
        len(
            subscriptions.subscription_history(
                actor=shop.broker.principal, subscription_id=record_id
            )
        )
        == 1
    )


@pytest.mark.parametrize("use_lease", [True, False], ids=["with-lease", "claims-only"])
async def test_two_job_runners_racing_complete_the_order_exactly_once(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, use_lease: bool
) -> None:
    shop, record_id = await _order(sandbox, control, quantity=2)
    _provision(control)
    answer_slowly(control)
    results = await asyncio.to_thread(
        race_job_runners,
        sandbox,
        PROVISIONING_JOB,
        lambda pc: complete_provisioning(pc=pc),
        2,
        use_lease,
    )
    if use_lease:
        assert sorted(results, key=bool) == [False, True]  # only one runner got the lease
    else:
        completed = [r for r in results if isinstance(r, list) and record_id in r]
        assert len(completed) == 1
    assert (_row(shop).status, _row(shop).quantity) == ("Active", "2")
    assert [lot.quantity for lot in _lots(record_id)] == [2]
    assert len(sandbox_subscriptions(sandbox, shop.customer_id)) == 1


async def test_an_order_whose_worker_died_after_checkout_is_still_found_and_completed(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop = await _shop(sandbox, control)

    control.kill_worker_after(CHECKOUT)
    with pytest.raises(WorkerKilled):
        await _place(sandbox, control, shop)
    [order] = _orders(sandbox, shop)  # Microsoft took the order; the portal did not hear of it
    row = _row(shop)
    assert row.status == "Provisioning"  # recorded before checkout, with its cart
    record_id = row.id

    async with fast_client(sandbox) as pc:
        assert record_id not in await complete_provisioning(pc=pc)  # the claim is not stale yet
        assert record_id not in await complete_provisioning(pc=pc, stale_after=timedelta(0))
        [change] = subscriptions.subscription_history(
            actor=shop.broker.principal, subscription_id=record_id
        )
        assert f"Partner Center order {order['id']}" in change.details  # found again
        _provision(control)
        assert record_id in await complete_provisioning(pc=pc)
    assert len(_orders(sandbox, shop)) == 1  # checking the same cart out again bought nothing
    assert len(sandbox_subscriptions(sandbox, shop.customer_id)) == 1
    assert _row(shop).status == "Active"


async def test_an_order_microsoft_does_not_provision_is_shown_failed_with_the_reason(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, record_id = await _order(sandbox, control)
    [order] = _orders(sandbox, shop)
    order["status"] = "cancelled"  # what Microsoft reports when it gives an order up
    async with fast_client(sandbox) as pc:
        assert record_id not in await complete_provisioning(pc=pc)
    row = _row(shop)
    assert row.status == "Failed"
    assert row.last_error == f"Microsoft did not provision order {order['id']} (cancelled)."
    assert _lots(record_id) == []  # no seats were bought
