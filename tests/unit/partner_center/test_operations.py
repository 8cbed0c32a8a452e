"""Operation details the sandbox tests don't reach: HEAD domains, PATCH with ETag and 202,
webhook conflicts and events, order polling, Retry-After as a date."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx

from o365portal.partner_center.areas.webhooks import parse_event
from o365portal.partner_center.models import OrderStatus, SubscriptionStatus
from o365portal.partner_center.pipeline import retry_after_seconds
from tests.unit.partner_center.fakes import ScriptedPartnerCenter, harness, pc_error, reply

SUBSCRIPTION = {
    "id": "s1",
    "quantity": 5,
    "status": "active",
    "autoRenewEnabled": True,
    "friendlyName": "Basic",
    "attentionNeeded": False,
    "attributes": {"etag": "abc", "objectType": "Subscription"},
}
PATH = "/v1/customers/c1/subscriptions/s1"


async def test_a_domain_is_available_when_head_answers_404(server: ScriptedPartnerCenter) -> None:
    server.on("HEAD", "/v1/domains/free.onmicrosoft.com", httpx.Response(404))
    server.on("HEAD", "/v1/domains/taken.onmicrosoft.com", httpx.Response(200))
    h = harness(server)
    assert await h.client.customers.is_domain_available("free.onmicrosoft.com")
    assert not await h.client.customers.is_domain_available("taken.onmicrosoft.com")


async def test_a_subscription_patch_sends_the_whole_resource_with_its_etag(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", PATH, reply(200, SUBSCRIPTION))
    server.on("PATCH", PATH, lambda request: reply(200, json.loads(request.content)))
    h = harness(server)
    updated = await h.client.subscriptions.suspend("c1", "s1")
    assert updated.status == SubscriptionStatus.SUSPENDED
    patch = server.requests[-1]
    body = json.loads(patch.content)
    assert patch.headers["If-Match"] == '"abc"'
    assert body["status"] == "suspended" and body["autoRenewEnabled"] is True
    assert body["friendlyName"] == "Basic" and body["attentionNeeded"] is False
    assert "scheduledNextTermInstructions" not in body


async def test_a_202_accepted_patch_is_followed_by_a_read(server: ScriptedPartnerCenter) -> None:
    later = {**SUBSCRIPTION, "quantity": 9}
    server.on("GET", PATH, reply(200, SUBSCRIPTION), reply(200, later))
    server.on("PATCH", PATH, httpx.Response(202, headers={"Location": PATH}))
    h = harness(server)
    assert (await h.client.subscriptions.set_quantity("c1", "s1", 9)).quantity == 9
    assert [r.method for r in server.requests] == ["GET", "PATCH", "GET"]


async def test_registering_an_existing_webhook_replaces_it(server: ScriptedPartnerCenter) -> None:
    registration = {"SubscriberId": "sub-1", "WebhookUrl": "https://x/h", "WebhookEvents": ["a"]}
    server.on(
        "POST",
        "/webhooks/v1/registration",
        pc_error(409, 2000, "Registration already exists, use the PUT method."),
    )
    server.on("PUT", "/webhooks/v1/registration", reply(200, registration))
    h = harness(server)
    result = await h.client.webhooks.register("https://x/h", ["a"])
    assert (result.subscriber_id, result.webhook_url) == ("sub-1", "https://x/h")
    assert json.loads(server.requests[-1].content) == {
        "webhookUrl": "https://x/h",
        "webhookEvents": ["a"],
    }


def test_an_incoming_event_is_parsed_from_bytes_with_a_byte_order_mark() -> None:
    body = b'\xef\xbb\xbf{"EventName":"test-created","ResourceUri":"https://x","AuditUri":null}'
    event = parse_event(body)
    assert (event.event_name, event.audit_uri) == ("test-created", None)


async def test_an_order_is_polled_until_completed(server: ScriptedPartnerCenter) -> None:
    pending = {"id": "o1", "status": "pending"}
    server.on(
        "GET",
        "/v1/customers/c1/orders/o1",
        reply(200, pending),
        reply(200, pending),
        reply(200, {**pending, "status": "completed"}),
    )
    h = harness(server)
    order = await h.client.orders.wait_until_completed("c1", "o1", interval=4)
    assert order.status == OrderStatus.COMPLETED
    assert h.sleep.waits == [4, 4]


def test_retry_after_may_be_an_http_date() -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    response = httpx.Response(429, headers={"Retry-After": format_datetime(when, usegmt=True)})
    assert 25 < retry_after_seconds(response, default=5) <= 30
    assert retry_after_seconds(httpx.Response(429), default=5) == 5
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "soon"}), 5) == 5
