"""A sync pass's reads against the sandbox over HTTPS: they ride out a storm of 429s, and paced
by `requests_per_minute` they stay under the sandbox's rate limit without tripping it."""

from __future__ import annotations

import asyncio
from datetime import UTC

from o365portal.partner_center import PartnerCenterClient, RetryPolicy
from o365portal.sandbox.core.server import SandboxInfo
from tests.integration.partner_center.builders import buy, create_customer, new_user
from tests.integration.partner_center.conftest import SandboxControl, sandbox_config

# The routes a two-way sync reads (customers, subscriptions, users, licences, audit records).
SYNC_READS = (
    "GET /v1/customers",
    "GET /v1/customers/*",
    "GET /v1/customers/*/subscriptions",
    "GET /v1/customers/*/users",
    "GET /v1/customers/*/users/*/licenses",
    "GET /v1/customers/*/subscribedskus",
    "GET /v1/auditrecords",
)


async def test_a_storm_of_429s_on_every_route_a_sync_reads_is_ridden_out(
    sandbox: SandboxInfo, control: SandboxControl
) -> None:
    # The sandbox asks for Retry-After: 1; the cap keeps the test short, the pause still holds
    # every call of the client.
    patient = RetryPolicy(max_throttled_retries=12, retry_after_cap=0.02, jitter=0)
    async with PartnerCenterClient(sandbox_config(sandbox, retry=patient)) as pc:
        customer = await create_customer(pc)
        assert customer.id and customer.company_profile and customer.company_profile.domain
        await buy(pc, control, customer.id)
        user = await pc.users.create(customer.id, new_user(customer.company_profile.domain, "sync"))
        assert user.id
        (sku,) = await pc.licenses.subscribed_skus(customer.id)
        await pc.licenses.update(customer.id, user.id, assign=[sku.product_sku.id])
        today = sandbox.state.now().astimezone(UTC).date()
        customer_id, user_id = customer.id, user.id
        before = pc.stats
        control.chaos(routes={route: {"throttle429": 0.3} for route in SYNC_READS}, seed=11)

        async def customers() -> int:
            return sum([c.id == customer_id async for c in pc.customers.iterate(size=50)])

        async def one_customer() -> int:
            return int((await pc.customers.get(customer_id)).id == customer_id)

        async def subscriptions() -> int:
            return len(await pc.subscriptions.list(customer_id))

        async def users() -> int:
            return sum([u.id == user_id async for u in pc.users.iterate(customer_id)])

        async def licences() -> int:
            return len(await pc.licenses.of_user(customer_id, user_id))

        async def seats() -> int:
            skus = await pc.licenses.subscribed_skus(customer_id)
            return sum(sku.consumed_units or 0 for sku in skus)

        async def audit() -> int:
            records = pc.audit.iterate(today, today, customer_id=customer_id)
            return int(any([r.operation_type == "add_customer" async for r in records]))

        reads = [customers, one_customer, subscriptions, users, licences, seats, audit]
        results: list[int] = []
        for _ in range(15):  # 105 reads, those of a pass's step running concurrently
            results += await asyncio.gather(*(read() for read in reads))

    assert results == [1] * 105  # every read found what it looked for
    stats = pc.stats
    calls, requests = stats.calls - before.calls, stats.requests - before.requests
    throttled = stats.throttled - before.throttled
    assert requests == calls + throttled  # each 429 was retried, nothing else failed
    assert 0.15 < throttled / requests < 0.45
    assert stats.retry_after_wait > before.retry_after_wait


async def test_reads_paced_under_the_sandbox_rate_limit_never_see_a_429(
    sandbox: SandboxInfo, control: SandboxControl
) -> None:
    limit, bound, reads = 60, 54, 80  # more reads than the sandbox allows in a minute
    config = sandbox_config(sandbox, requests_per_minute=bound)
    async with PartnerCenterClient(config) as pc:
        customer = await create_customer(pc)
        customer_id = customer.id
        assert customer_id
    control.chaos(rateLimitPerMinute=limit)

    async def worker(pc: PartnerCenterClient, count: int) -> None:
        for _ in range(count):
            assert (await pc.customers.get(customer_id)).id == customer_id

    # Two clients of the same app, as the services open one per use case: they share the bound.
    async with PartnerCenterClient(config) as first, PartnerCenterClient(config) as second:
        await asyncio.gather(*(worker(pc, reads // 4) for pc in (first, second, first, second)))
    stats = [first.stats, second.stats]
    assert [s.throttled for s in stats] == [0, 0]
    assert sum(s.requests for s in stats) == reads
    assert all(s.busiest_minute <= bound for s in stats)
    assert max(s.rate_limit_wait for s in stats) > 50  # the window, not the sandbox, held them
