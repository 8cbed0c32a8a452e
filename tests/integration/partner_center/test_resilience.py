"""The client rides out throttling, server errors and lost answers without doing anything
twice (the sandbox's chaos control injects the faults)."""

from __future__ import annotations

import logging

import pytest

from o365portal.partner_center import PartnerCenterClient, RetryPolicy, Timeouts
from o365portal.partner_center.models import OrderStatus
from o365portal.sandbox.core.server import SandboxInfo
from tests.integration.partner_center.builders import (
    catalog_item_id,
    create_customer,
    line,
    new_customer_request,
    unique_domain,
)
from tests.integration.partner_center.conftest import SandboxControl, sandbox_config

CHECKOUT = "POST /v1/customers/*/carts/*/checkout"


async def test_a_storm_of_429s_and_500s_is_ridden_out(
    sandbox: SandboxInfo, control: SandboxControl, caplog: pytest.LogCaptureFixture
) -> None:
    patient = RetryPolicy(
        max_attempts=6, backoff_base=0.01, jitter=0, max_throttled_retries=20, retry_after_cap=0.01
    )
    async with PartnerCenterClient(sandbox_config(sandbox, retry=patient)) as pc:
        customer = await pc.customers.create(new_customer_request(unique_domain()))
        assert customer.id
        storm = {"GET /v1/customers/*": {"throttle429": 0.6, "error500": 0.1}}
        control.chaos(routes=storm, seed=7)
        caplog.set_level(logging.INFO, logger="o365portal.partner_center")
        for _ in range(15):
            assert (await pc.customers.get(customer.id)).id == customer.id
    outcomes = [record.getMessage() for record in caplog.records]
    assert any("-> 429" in message for message in outcomes)
    assert any("-> 500" in message for message in outcomes)
    assert sum("-> 200" in message for message in outcomes) == 15


async def test_a_checkout_whose_answer_is_lost_ends_with_exactly_one_order(
    sandbox: SandboxInfo, control: SandboxControl, caplog: pytest.LogCaptureFixture
) -> None:
    config = sandbox_config(
        sandbox,
        timeouts=Timeouts(read=0.5),
        retry=RetryPolicy(max_attempts=4, backoff_base=0.01, jitter=0),
    )
    async with PartnerCenterClient(config) as pc:
        customer = await create_customer(pc)
        assert customer.id
        item = await catalog_item_id(pc)
        control.chaos(
            nextFailures=[
                {"route": "POST /v1/customers/*/carts", "fault": "timeout", "count": 1},
                {"route": CHECKOUT, "fault": "timeout", "count": 2},
            ],
            hangSeconds=5,
        )
        caplog.set_level(logging.INFO, logger="o365portal.partner_center")
        result = await pc.orders.purchase(customer.id, [line(item, 3)])
        assert len(result.orders) == 1
        timed_out = [r.getMessage() for r in caplog.records if "ReadTimeout" in r.getMessage()]
        assert [message.split(" -> ")[0].rsplit("/", 1)[-1] for message in timed_out] == [
            "carts",
            "checkout",
            "checkout",
        ]
        orders = await pc.orders.list(customer.id)
        assert [order.id for order in orders] == [result.orders[0].id]
        control.advance("PT1M")
        assert result.orders[0].id
        order = await pc.orders.wait_until_completed(customer.id, result.orders[0].id, interval=0)
        assert order.status == OrderStatus.COMPLETED
        subscriptions = await pc.subscriptions.list(customer.id)
        assert [s.quantity for s in subscriptions] == [3]
