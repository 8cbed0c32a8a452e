"""The rate limiter: requests paced to `requests_per_minute` over every client of one app, and
a 429's `Retry-After` holding back every call, on fake time."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from o365portal.partner_center import PartnerCenterClient, RetryPolicy, ThrottledError
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.rate_limit import RateLimiter, shared_rate_limiter
from tests.unit.partner_center.fakes import (
    FakeTokens,
    RecordingSleep,
    Reply,
    ScriptedPartnerCenter,
    VirtualTime,
    config,
    harness,
    reply,
)

CUSTOMER = {"id": "c1", "companyProfile": {"domain": "contoso.onmicrosoft.com"}}
THROTTLED = reply(
    429,
    {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 5 seconds."},
    {"Retry-After": "5"},
)


def most_in_a_minute(starts: list[float]) -> int:
    """The most starts within any 60 s window `(t - 60, t]`, as Partner Center counts."""
    return max(sum(t - 60 < other <= t for other in starts) for t in starts)


def client_on(
    time: VirtualTime, server: ScriptedPartnerCenter, limiter: RateLimiter, **overrides: Any
) -> PartnerCenterClient:
    """A client of the scripted service living on `time`, paced by `limiter`."""
    return PartnerCenterClient(
        config(**overrides),
        transport=httpx.MockTransport(server),
        token_sources={kind: FakeTokens(kind.name.lower()) for kind in TokenKind},
        sleep=time.sleep,
        rate_limiter=limiter,
    )


def answered_at(clock: Callable[[], float], starts: list[float]) -> Reply:
    """A scripted reply that records when (on `clock`) each request arrived."""

    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(clock())
        return reply(200, {**CUSTOMER, "id": request.url.path.rsplit("/", 1)[-1]})

    return answer


async def test_without_a_bound_requests_never_wait(server: ScriptedPartnerCenter) -> None:
    server.on("GET", "/v1/customers/c1", reply(200, CUSTOMER))
    h = harness(server)
    for _ in range(200):
        await h.client.customers.get("c1")
    stats = h.client.stats
    assert h.sleep.waits == []
    assert (stats.calls, stats.requests, stats.throttled) == (200, 200, 0)
    assert stats.rate_limit_wait == stats.retry_after_wait == 0
    assert stats.bound is None and stats.fraction_of_bound is None


async def test_a_burst_up_to_the_bound_goes_at_once_and_the_rest_waits_in_turn() -> None:
    time = VirtualTime()
    limiter = RateLimiter(10, clock=time.clock)
    starts: list[tuple[int, float]] = []

    async def call(n: int) -> None:
        await limiter.wait_turn(time.sleep)
        starts.append((n, time.now))

    await time.run(*(call(n) for n in range(25)))
    t0 = 1000.0
    assert [when - t0 for _, when in starts] == [0.0] * 10 + [60.0] * 10 + [120.0] * 5
    assert [n for n, _ in starts] == list(range(25))  # served in the order they asked


async def test_a_long_pass_runs_at_the_bound_and_never_above_it(
    server: ScriptedPartnerCenter,
) -> None:
    h = harness(server, requests_per_minute=30)
    starts: list[float] = []
    server.on("GET", "/v1/customers/c1", answered_at(h.sleep.clock, starts))
    for _ in range(100):
        await h.client.customers.get("c1")
    stats = h.client.stats
    assert most_in_a_minute(starts) == 30
    assert starts[-1] - starts[0] == 180.0  # 30 a minute: the 91st..100th start at +3 min
    assert (stats.requests, stats.throttled, stats.busiest_minute) == (100, 0, 30)
    assert stats.fraction_of_bound == 1.0
    assert stats.rate_limit_wait == pytest.approx(180.0)
    assert stats.requests_per_minute == pytest.approx(100 * 60 / 180)


async def test_requests_spread_out_under_the_bound_do_not_wait() -> None:
    time = VirtualTime()
    limiter = RateLimiter(10, clock=time.clock)
    waited = []
    for _ in range(30):
        waited.append(await limiter.wait_turn(time.sleep))
        time.now += 6.0
    assert all(w.rate_limit == w.retry_after == 0 for w in waited)


async def test_clients_of_one_app_share_the_bound_across_instances(
    server: ScriptedPartnerCenter,
) -> None:
    time = VirtualTime()
    limiter = RateLimiter(4, clock=time.clock)
    first = client_on(time, server, limiter, requests_per_minute=4)
    second = client_on(time, server, limiter, requests_per_minute=4)
    starts: list[float] = []
    server.on("GET", "/v1/customers/c1", answered_at(time.clock, starts))

    async def reads(client: PartnerCenterClient) -> None:
        for _ in range(6):
            await client.customers.get("c1")

    await time.run(reads(first), reads(second))
    assert most_in_a_minute(starts) == 4
    assert [s - 1000.0 for s in starts] == [0.0] * 4 + [60.0] * 4 + [120.0] * 4
    assert first.stats.requests + second.stats.requests == 12


def test_the_portal_s_clients_of_one_app_get_one_limiter() -> None:
    app = f"client-{uuid.uuid4()}"
    limiter = shared_rate_limiter(config(client_id=app, requests_per_minute=100))
    assert shared_rate_limiter(config(client_id=app, client_secret="rotated")) is limiter
    assert limiter.per_minute is None  # the client opened last sets the bound
    assert shared_rate_limiter(config(client_id=f"{app}-other")) is not limiter
    assert shared_rate_limiter(config(client_id=app, base_url="https://other.test")) is not limiter


async def test_a_new_client_of_the_same_app_waits_for_the_window_the_last_one_used(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", reply(200, CUSTOMER))
    settings = config(client_id=f"client-{uuid.uuid4()}", requests_per_minute=3)

    def new_client(sleep: RecordingSleep) -> PartnerCenterClient:
        tokens = {kind: FakeTokens(kind.name.lower()) for kind in TokenKind}
        transport = httpx.MockTransport(server)
        return PartnerCenterClient(settings, transport=transport, token_sources=tokens, sleep=sleep)

    earlier, later = RecordingSleep(), RecordingSleep()
    for _ in range(3):
        async with new_client(earlier) as pc:  # as the services do: a client per use case
            await pc.customers.get("c1")
    async with new_client(later) as pc:
        await pc.customers.get("c1")
        assert pc.stats.rate_limit_wait == pytest.approx(60, abs=5)
    assert earlier.waits == [] and later.waits == [pytest.approx(60, abs=5)]


async def test_a_429_holds_back_every_call_of_the_client_until_retry_after(
    server: ScriptedPartnerCenter,
) -> None:
    time = VirtualTime()
    starts: list[float] = []
    record = answered_at(time.clock, starts)

    def first_throttled(request: httpx.Request) -> httpx.Response:
        starts.append(time.now)
        return THROTTLED

    server.on("GET", "/v1/customers/c1", first_throttled, record)
    server.on("GET", "/v1/customers/c2", record)
    pc = client_on(time, server, RateLimiter(clock=time.clock))

    async def later_reads() -> None:
        await time.sleep(1)  # asks while the client is throttled
        for _ in range(3):
            await pc.customers.get("c2")

    await time.run(pc.customers.get("c1"), later_reads())
    assert [s - 1000.0 for s in starts] == [0.0, 5.0, 5.0, 5.0, 5.0]
    stats = pc.stats
    assert (stats.requests, stats.throttled) == (5, 1)
    assert stats.retry_after_wait == pytest.approx(5.0 + 4.0)  # the retry's 5 s, the other's 4 s
    assert stats.rate_limit_wait == 0


async def test_throttling_that_outlasts_the_retries_still_pauses_the_next_call(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", THROTTLED)
    server.on("GET", "/v1/customers/c2", reply(200, CUSTOMER))
    h = harness(server, retry=RetryPolicy(max_throttled_retries=0, jitter=0))
    with pytest.raises(ThrottledError):
        await h.client.customers.get("c1")
    await h.client.customers.get("c2")
    assert h.sleep.waits == [5.0]
    assert h.client.stats.throttled == 1


async def test_a_pause_moves_waiting_requests_back_and_they_keep_the_bound() -> None:
    time = VirtualTime()
    limiter = RateLimiter(2, clock=time.clock)
    starts: list[float] = []

    async def call() -> None:
        await limiter.wait_turn(time.sleep)
        starts.append(time.now - 1000.0)

    async def throttled_at_10s() -> None:
        await time.sleep(10)
        limiter.pause_until(time.now + 80)

    await time.run(*(call() for _ in range(6)), throttled_at_10s())
    assert starts == [0.0, 0.0, 90.0, 90.0, 150.0, 150.0]
    assert most_in_a_minute(starts) == 2


async def test_requests_asking_during_a_pause_start_after_it_and_keep_the_bound() -> None:
    time = VirtualTime()
    limiter = RateLimiter(2, clock=time.clock)
    starts: list[float] = []

    async def call(asks_at: float) -> None:
        await time.sleep(asks_at)
        await limiter.wait_turn(time.sleep)
        starts.append(time.now - 1000.0)

    async def throttled_at_10s() -> None:
        await time.sleep(10)
        limiter.pause_until(time.now + 80)

    await time.run(call(0), call(0), throttled_at_10s(), *(call(20) for _ in range(4)))
    assert starts == [0.0, 0.0, 90.0, 90.0, 150.0, 150.0]


def test_a_bound_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RateLimiter(0)
    with pytest.raises(ValidationError, match="requests_per_minute"):
        config(requests_per_minute=0)
