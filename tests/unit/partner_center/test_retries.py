"""Retries: what is retried, how long the client waits, and which ids it sends."""

from __future__ import annotations

import httpx
import pytest

from o365portal.partner_center import (
    InvalidRequest,
    RetryPolicy,
    ThrottledError,
    TransientError,
)
from tests.unit.partner_center.fakes import ScriptedPartnerCenter, harness, pc_error, reply

CUSTOMER = {"id": "c1", "companyProfile": {"domain": "contoso.onmicrosoft.com"}}


async def test_a_server_error_is_retried_until_success_with_the_same_request_id(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", pc_error(500, 800003), reply(503), reply(200, CUSTOMER))
    h = harness(server)
    customer = await h.client.customers.get("c1")
    assert customer.id == "c1"
    request_ids = server.headers("MS-RequestId")
    assert len(request_ids) == 3
    assert len(set(request_ids)) == 1
    assert h.sleep.waits == [0.5, 1.0]


async def test_every_new_call_gets_a_new_request_id(server: ScriptedPartnerCenter) -> None:
    server.on("GET", "/v1/customers/c1", reply(200, CUSTOMER))
    h = harness(server)
    await h.client.customers.get("c1")
    await h.client.customers.get("c1")
    first, second = server.headers("MS-RequestId")
    assert first and second and first != second


async def test_network_errors_and_timeouts_are_retried_with_the_same_request_id(
    server: ScriptedPartnerCenter,
) -> None:
    server.on(
        "POST",
        "/v1/customers/c1/carts/cart1/checkout",
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        reply(201, {"orders": [{"id": "a68736758d9c", "status": "pending"}]}),
    )
    h = harness(server)
    result = await h.client.orders.checkout("c1", "cart1")
    assert [order.id for order in result.orders] == ["a68736758d9c"]
    assert len(set(server.headers("MS-RequestId"))) == 1
    assert len(server.requests) == 3


async def test_persistent_failure_ends_in_a_transient_error_after_the_configured_attempts(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", httpx.ReadTimeout("slow"))
    policy = RetryPolicy(max_attempts=3, backoff_base=1, backoff_max=1.5, jitter=0)
    h = harness(server, retry=policy)
    with pytest.raises(TransientError) as caught:
        await h.client.customers.get("c1")
    assert len(server.requests) == 3
    assert h.sleep.waits == [1.0, 1.5]
    assert caught.value.request_id == server.headers("MS-RequestId")[0]


async def test_a_server_error_that_persists_keeps_partner_center_code(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", pc_error(500, 800003, "unexpected"))
    h = harness(server, retry=RetryPolicy(max_attempts=2, jitter=0))
    with pytest.raises(TransientError) as caught:
        await h.client.customers.get("c1")
    assert (caught.value.code, caught.value.status_code) == (800003, 500)


async def test_a_429_waits_for_retry_after_then_retries_with_the_same_request_id(
    server: ScriptedPartnerCenter,
) -> None:
    throttled = reply(
        429,
        {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 7 seconds."},
        {"Retry-After": "7"},
    )
    server.on("GET", "/v1/customers/c1", throttled, reply(200, CUSTOMER))
    h = harness(server)
    await h.client.customers.get("c1")
    assert h.sleep.waits == [7.0]
    assert len(set(server.headers("MS-RequestId"))) == 1


async def test_a_long_retry_after_is_capped(server: ScriptedPartnerCenter) -> None:
    throttled = reply(429, {"statusCode": 429}, {"Retry-After": "600"})
    server.on("GET", "/v1/customers/c1", throttled, reply(200, CUSTOMER))
    h = harness(server, retry=RetryPolicy(retry_after_cap=30, jitter=0))
    await h.client.customers.get("c1")
    assert h.sleep.waits == [30.0]


async def test_throttling_that_outlasts_the_retries_raises_throttled_error_with_retry_after(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", reply(429, {"statusCode": 429}, {"Retry-After": "12"}))
    h = harness(server, retry=RetryPolicy(max_throttled_retries=2, jitter=0))
    with pytest.raises(ThrottledError) as caught:
        await h.client.customers.get("c1")
    assert caught.value.retry_after == 12
    assert len(server.requests) == 3


async def test_a_business_error_is_not_retried(server: ScriptedPartnerCenter) -> None:
    server.on("GET", "/v1/customers/c1", pc_error(400, 2000, "Tenant Id must be a GUID"))
    h = harness(server)
    with pytest.raises(InvalidRequest) as caught:
        await h.client.customers.get("c1")
    assert len(server.requests) == 1
    assert caught.value.description == "Tenant Id must be a GUID"
    assert h.sleep.waits == []
