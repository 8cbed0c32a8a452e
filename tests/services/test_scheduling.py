"""Future-dated orders: stored without a price, placed once on their day, cancellable before.

Also the portal clock they depend on, which tests move through the service (the database
carries the offset to every worker).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest

from o365portal.config import get_settings
from o365portal.jobs.scheduled_orders import SCHEDULED_ORDERS_JOB
from o365portal.services import clock, subscriptions
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering import _scheduled as ordering_scheduled
from o365portal.services.ordering import _scheduling as scheduling
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.ordering._scheduling import AlreadyPlacing
from tests.fakes.partner_center import PartnerCenterFake, WorkerKilled
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    CHECKOUT,
    Shop,
    answer_slowly,
    broker_settings,
    fast_client,
    of_shop,
    open_shop,
    order_form,
    race_job_runners,
    sandbox_subscriptions,
    set_price,
)

pytestmark = pytest.mark.usefixtures("portal_env")


@pytest.fixture(autouse=True)
def real_time(portal_env: None) -> Iterator[None]:
    """Every test starts and ends with the portal clock at real time (the DB is shared)."""
    clock.set_offset(timedelta(0))
    yield
    clock.set_offset(timedelta(0))


async def _schedule(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, days: int = 3
) -> tuple[Shop, int]:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, price="7.50")
    go_live = clock.today() + timedelta(days=days)
    outcome = await ordering.place_order(
        actor=shop.broker.principal,
        organization_id=shop.organization_id,
        form=order_form(quantity=2, go_live_date=go_live.isoformat(), friendly_name="Later"),
    )
    assert outcome.kind == "scheduled"
    return shop, outcome.record_id


def test_the_portal_clock_moves_in_tests_and_never_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = clock.now()
    moved = clock.advance(timedelta(days=2))
    assert timedelta(days=2) <= moved - before < timedelta(days=2, minutes=1)
    assert clock.today() == moved.date()
    monkeypatch.setenv("O365PORTAL_ENV", "production")
    get_settings.cache_clear()
    assert clock.now() - before < timedelta(minutes=1)
    with pytest.raises(RuntimeError, match="only be moved in development or test"):
        clock.set_offset(timedelta(days=1))
    monkeypatch.setenv("O365PORTAL_ENV", "test")
    get_settings.cache_clear()


async def test_a_scheduled_order_goes_live_on_its_day_at_that_days_price(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, _ = await _schedule(sandbox, control, days=3)
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert listed.subscriptions == []
    [line] = listed.scheduled
    assert (line.friendly_name, line.price, line.status) == ("Later", "", "Scheduled")
    set_price(shop, BASIC_MONTHLY, "9.25", clock.today() + timedelta(days=3))
    async with fast_client(sandbox) as pc:
        assert of_shop(shop, await ordering_scheduled.place_due_orders(pc=pc)) == []
        clock.advance(timedelta(days=3))
        [placed] = of_shop(shop, await ordering_scheduled.place_due_orders(pc=pc))
        assert of_shop(shop, await ordering_scheduled.place_due_orders(pc=pc)) == []
        listed = subscriptions.list_subscriptions(
            actor=shop.customer.principal, organization_id=shop.organization_id
        )
        assert listed.scheduled == []  # recorded at once, while Microsoft provisions it
        assert [(r.friendly_name, r.price, r.status) for r in listed.subscriptions] == [
            ("Later", "9.25 USD", "Provisioning")
        ]
        control.post("clock", {"advance": "PT11S"})
        assert placed in await complete_provisioning(pc=pc)
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert [(r.friendly_name, r.status) for r in listed.subscriptions] == [("Later", "Active")]
    [change] = subscriptions.subscription_history(
        actor=shop.broker.principal, subscription_id=placed
    )
    assert change.by == "Scheduled order (Bea Broker)"
    assert [s["quantity"] for s in sandbox_subscriptions(sandbox, shop.customer_id)] == [2]


def _orders(sandbox: PartnerCenterFake, shop: Shop) -> list[dict]:
    return [
        o for o in sandbox.state.table("orders").values() if o["customerId"] == shop.customer_id
    ]


@pytest.mark.parametrize("use_lease", [True, False], ids=["with-lease", "claims-only"])
async def test_two_job_runners_racing_place_the_order_exactly_once(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, use_lease: bool
) -> None:
    shop, _ = await _schedule(sandbox, control, days=1)
    clock.advance(timedelta(days=1))
    answer_slowly(control)
    results = await asyncio.to_thread(
        race_job_runners,
        sandbox,
        SCHEDULED_ORDERS_JOB,
        lambda pc: ordering_scheduled.place_due_orders(pc=pc),
        2,
        use_lease,
    )
    if use_lease:
        assert sorted(results, key=bool) == [False, True]  # only one runner got the lease
    else:
        assert sorted(len(of_shop(shop, r)) for r in results if isinstance(r, list)) == [0, 1]
    assert len(_orders(sandbox, shop)) == 1
    listed = subscriptions.list_subscriptions(
        actor=shop.broker.principal, organization_id=shop.organization_id
    )
    assert [row.quantity for row in listed.subscriptions] == ["2"]


async def test_a_runner_that_dies_after_checkout_is_followed_by_one_that_reuses_the_cart(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, _ = await _schedule(sandbox, control, days=1)
    clock.advance(timedelta(days=1))

    control.kill_worker_after(CHECKOUT)
    async with fast_client(sandbox) as pc:
        with pytest.raises(WorkerKilled):
            await ordering_scheduled.place_due_orders(pc=pc)
        due = await ordering_scheduled.place_due_orders(pc=pc)
        assert of_shop(shop, due) == []  # claim not stale yet
        due = await ordering_scheduled.place_due_orders(pc=pc, stale_after=timedelta(0))
        [placed] = of_shop(shop, due)
        control.post("clock", {"advance": "PT11S"})
        assert placed in await complete_provisioning(pc=pc)
    assert len(_orders(sandbox, shop)) == 1
    assert len(sandbox_subscriptions(sandbox, shop.customer_id)) == 1


async def test_suspending_a_scheduled_line_cancels_it(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, scheduled_id = await _schedule(sandbox, control, days=2)
    scheduling.cancel_scheduled_order(
        actor=shop.customer.principal, scheduled_order_id=scheduled_id
    )
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert listed.scheduled == []
    clock.advance(timedelta(days=2))
    async with fast_client(sandbox) as pc:
        assert of_shop(shop, await ordering_scheduled.place_due_orders(pc=pc)) == []
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []
    with pytest.raises(AlreadyPlacing):
        scheduling.cancel_scheduled_order(
            actor=shop.broker.principal, scheduled_order_id=scheduled_id
        )
