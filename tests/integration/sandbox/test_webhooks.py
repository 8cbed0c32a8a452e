"""Webhooks: registration, and signed callbacks a receiver verifies with the pinned cert."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from o365portal.sandbox.core.audit import record_audit
from o365portal.sandbox.core.identity import Caller
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.sandbox.core.webhooks import notify
from tests.integration.sandbox.helpers import create_customer


@dataclass
class Receiver:
    """A local HTTP webhook endpoint that records calls and can fail the first few."""

    url: str = ""
    failures_left: int = 0
    calls: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    attempts: int = 0


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            found.attempts += 1
            if found.failures_left > 0:
                found.failures_left -= 1
                self.send_response(500)
            else:
                found.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_port}/partner-center/webhook"
    yield found
    server.shutdown()
    server.server_close()


def eventually(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def register(pc: httpx.Client, url: str, events: list[str]) -> httpx.Response:
    return pc.post("/webhooks/v1/registration", json={"WebhookUrl": url, "WebhookEvents": events})


def verify_signature(control: httpx.Client, headers: dict[str, str], body: bytes) -> None:
    """What the portal does: the pinned sandbox cert verifies the RSA-SHA256 signature."""
    assert headers["x-ms-signature-algorithm"] == "rsa-sha256"
    assert headers["x-ms-certificate-url"].endswith("/_sandbox/webhook-cert.pem")
    pem = control.get("/_sandbox/webhook-cert.pem").content
    public_key = x509.load_pem_x509_certificate(pem).public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    scheme, _, signature = headers["authorization"].partition(" ")
    assert scheme == "Signature"
    public_key.verify(base64.b64decode(signature), body, padding.PKCS1v15(), hashes.SHA256())


def test_registration_can_be_created_read_replaced_and_deleted(
    pc_app: httpx.Client, receiver: Receiver
) -> None:
    created = register(pc_app, receiver.url, ["subscription-updated"])
    again = register(pc_app, receiver.url, ["subscription-updated"])
    replaced = pc_app.put(
        "/webhooks/v1/registration",
        json={"webhookUrl": receiver.url, "webhookEvents": ["test-created"]},
    )

    assert created.status_code == 200
    assert created.json()["WebhookEvents"] == ["subscription-updated"]
    assert again.status_code == 409
    assert replaced.json()["WebhookEvents"] == ["test-created"]
    assert pc_app.get("/webhooks/v1/registration").json()["WebhookUrl"] == receiver.url
    assert pc_app.delete("/webhooks/v1/registration").status_code == 204
    assert pc_app.get("/webhooks/v1/registration").status_code == 404


def test_the_event_list_names_the_subscription_events(pc_app: httpx.Client) -> None:
    events = pc_app.get("/webhooks/v1/registration/events").json()

    assert {"subscription-updated", "test-created"} <= set(events)


def test_a_validation_event_arrives_signed_and_reports_its_result(
    pc_app: httpx.Client, control: httpx.Client, receiver: Receiver
) -> None:
    register(pc_app, receiver.url, ["test-created"])

    correlation_id = pc_app.post("/webhooks/v1/registration/validationEvents").json()[
        "correlationId"
    ]
    eventually(lambda: len(receiver.calls) == 1)

    headers, body = receiver.calls[0]
    verify_signature(control, headers, body)
    assert json.loads(body)["EventName"] == "test-created"
    status = pc_app.get(f"/webhooks/v1/registration/validationEvents/{correlation_id}").json()
    assert status["status"] == "completed"
    assert status["results"][0]["responseCode"] == "OK"


def test_a_tampered_body_fails_verification(
    pc_app: httpx.Client, control: httpx.Client, receiver: Receiver
) -> None:
    register(pc_app, receiver.url, ["test-created"])
    pc_app.post("/webhooks/v1/registration/validationEvents")
    eventually(lambda: len(receiver.calls) == 1)
    headers, body = receiver.calls[0]

    with pytest.raises(InvalidSignature):
        verify_signature(control, headers, body.replace(b"test-created", b"test-createX"))


def test_notify_sends_subscription_updates_with_a_fetchable_audit_uri(
    pc_app: httpx.Client, sandbox: SandboxInfo, receiver: Receiver
) -> None:
    register(pc_app, receiver.url, ["subscription-updated"])
    customer = create_customer(pc_app)
    resource = f"/webhooks/v1/customers/{customer['id']}/subscriptions/s1"
    record = record_audit(
        sandbox.state,
        Caller(sandbox.client_id, app_only=True),
        operation_type="update_subscription",
        resource_type="subscription",
        customer_id=customer["id"],
        customized_data={"SubscriptionId": "s1"},
    )

    notify(sandbox.state, "test-created", resource, "test", None)  # not registered: not sent
    notify(sandbox.state, "subscription-updated", resource, "subscription", record["id"])
    eventually(lambda: len(receiver.calls) == 1)

    payload = json.loads(receiver.calls[0][1])
    assert payload["EventName"] == "subscription-updated"
    assert payload["ResourceName"] == "subscription"
    assert payload["ResourceUri"] == f"{sandbox.base_url}{resource}"
    assert payload["ResourceChangeUtcDate"].endswith("+00:00")
    audit_path = payload["AuditUri"].removeprefix(sandbox.base_url)
    assert pc_app.get(audit_path).json()["id"] == record["id"]


def test_failed_deliveries_are_retried_until_the_receiver_accepts(
    pc_app: httpx.Client, receiver: Receiver
) -> None:
    register(pc_app, receiver.url, ["test-created"])
    receiver.failures_left = 2

    pc_app.post("/webhooks/v1/registration/validationEvents")

    eventually(lambda: len(receiver.calls) == 1)
    assert receiver.attempts == 3
