"""Partner Center webhooks (reference §9.2): registration, validation events, signed callbacks.

Interface for area modules: `notify(state, event_name, resource_uri, resource_name,
audit_id)` after a change (e.g. commerce: `notify(state, "subscription-updated",
f"/webhooks/v1/customers/{c}/subscriptions/{s}", "subscription", record["id"])`). When
the partner's registration lists the event, the sandbox POSTs, asynchronously (a background
task; it never blocks the request), the JSON body
`{"EventName","ResourceUri","ResourceName","AuditUri","ResourceChangeUtcDate"}` with headers
`Authorization: Signature <base64 RSA-SHA256 PKCS#1 v1.5 signature of the body>`,
`X-MS-Signature-Algorithm: rsa-sha256` and `X-MS-Certificate-Url:
{sandbox}/_sandbox/webhook-cert.pem`. It tries up to 10 times until the receiver answers 2xx.
Relative resource URIs are made absolute with the sandbox's base URL.

The signing certificate is self-signed (it does not chain to Microsoft): a receiver trusts it
through configuration (download it once from `/_sandbox/webhook-cert.pem` and pin it), never
by following the URL in the request. Every attempt is logged in table `webhookDeliveries`.

Routes: `GET /webhooks/v1/registration/events`; `POST|GET|PUT|DELETE
/webhooks/v1/registration` (POST when one exists -> 409; DELETE is [UNVERIFIED]);
`POST /webhooks/v1/registration/validationEvents` (sends `test-created`) and
`GET .../validationEvents/{correlationId}`; `GET /_sandbox/webhook-cert.pem`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import uuid
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.audit import wire_datetime
from o365portal.sandbox.core.identity import caller, sandbox_state
from o365portal.sandbox.core.rows import (
    WEBHOOK_DELIVERIES,
    WEBHOOK_REGISTRATIONS,
    WEBHOOK_VALIDATIONS,
    DeliveryAttempt,
    WebhookRegistrationRow,
)
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.tls import new_private_key, self_signed_certificate
from o365portal.sandbox.core.wire import CIDict, PartnerCenterError, not_found, pc_json, read_body

MAX_ATTEMPTS = 10
RETRY_DELAYS = (0.2, 0.5, 1, 2, 5, 10, 30, 60, 120)
CERT_PATH = "/_sandbox/webhook-cert.pem"
EVENTS = (
    "test-created",
    "subscription-updated",
    "usagerecords-thresholdExceeded",
    "referral-created",
    "referral-updated",
    "related-referral-created",
    "related-referral-updated",
    "reseller-relationship-accepted-by-customer",
    "dap-admin-relationship-approved",
    "dap-admin-relationship-terminated",
    "dap-admin-relationship-terminated-by-microsoft",
    "granular-admin-relationship-approved",
    "granular-admin-relationship-activated",
    "granular-admin-relationship-terminated",
    "granular-admin-relationship-expired",
    "granular-admin-access-assignment-created",
    "granular-admin-access-assignment-activated",
    "granular-admin-access-assignment-updated",
    "granular-admin-access-assignment-deleted",
    "azure-fraud-event-detected",
    "invoice-ready",
    "new-commerce-migration-created",
    "new-commerce-migration-completed",
    "new-commerce-migration-failed",
    "new-commerce-migration-schedule-failed",
)
_tasks: set[asyncio.Task[None]] = set()


def _signing_material(state: SandboxState) -> tuple[rsa.RSAPrivateKey, str]:
    with state.lock:
        stored = state.identity.get("webhookSigning")
        if stored is None:
            key = new_private_key()
            cert = self_signed_certificate(key, "pcnotifications-dispatch.sandbox.local", 3650)
            stored = {
                "keyPem": key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode(),
                "certPem": cert.public_bytes(serialization.Encoding.PEM).decode(),
            }
            state.identity["webhookSigning"] = stored
    loaded = serialization.load_pem_private_key(stored["keyPem"].encode(), password=None)
    assert isinstance(loaded, rsa.RSAPrivateKey)
    return loaded, stored["certPem"]


def sign(state: SandboxState, body: bytes) -> str:
    """Base64 RSA-SHA256 (PKCS#1 v1.5) signature of a callback body."""
    key, _ = _signing_material(state)
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def _absolute(state: SandboxState, uri: str) -> str:
    return uri if "://" in uri else f"{state.base_url}{uri}"


def notify(
    state: SandboxState,
    event_name: str,
    resource_uri: str,
    resource_name: str,
    audit_id: str | None,
) -> str | None:
    """Send `event_name` to the registered webhook (if it subscribes); returns the delivery id."""
    registration = state.table(WEBHOOK_REGISTRATIONS).get(state.partner_tenant_id)
    if registration is None or event_name not in registration["webhookEvents"]:
        return None
    payload = {
        "EventName": event_name,
        "ResourceUri": _absolute(state, resource_uri),
        "ResourceName": resource_name,
        "AuditUri": _absolute(state, f"/auditactivity/v1/auditrecords/{audit_id}")
        if audit_id
        else None,
        "ResourceChangeUtcDate": wire_datetime(state.now()).replace("Z", "+00:00"),
    }
    delivery_id = str(uuid.uuid4())
    with state.lock:
        state.table(WEBHOOK_DELIVERIES)[delivery_id] = {
            "id": delivery_id,
            "webhookUrl": registration["webhookUrl"],
            "payload": payload,
            "attempts": [],
            "status": "pending",
        }
    _start(_deliver(state, delivery_id, registration))
    return delivery_id


def _start(coroutine: Any) -> None:
    try:
        task = asyncio.get_running_loop().create_task(coroutine)
    except RuntimeError:
        threading.Thread(target=asyncio.run, args=(coroutine,), daemon=True).start()
        return
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def _headers(
    state: SandboxState, body: bytes, registration: WebhookRegistrationRow
) -> dict[str, str]:
    signature = sign(state, body)
    headers = {
        "Content-Type": "application/json",
        "X-MS-Certificate-Url": f"{state.base_url}{CERT_PATH}",
        "X-MS-Signature-Algorithm": "rsa-sha256",
    }
    if registration.get("signatureTokenToMsSignatureHeader"):
        headers["x-ms-signature"] = signature
    else:
        headers["Authorization"] = f"Signature {signature}"
    return headers


async def _deliver(
    state: SandboxState, delivery_id: str, registration: WebhookRegistrationRow
) -> None:
    delivery = state.table(WEBHOOK_DELIVERIES)[delivery_id]
    body = json.dumps(delivery["payload"]).encode()
    headers = _headers(state, body, registration)
    async with httpx.AsyncClient(timeout=10) as client:
        for attempt in range(MAX_ATTEMPTS):
            outcome = await _attempt(client, delivery["webhookUrl"], body, headers)
            with state.lock:
                delivery["attempts"].append({**outcome, "dateTimeUtc": wire_datetime(state.now())})
                if outcome["ok"]:
                    delivery["status"] = "delivered"
                    return
            if attempt < MAX_ATTEMPTS - 1:
                await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
    with state.lock:
        delivery["status"] = "failed"


async def _attempt(
    client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]
) -> DeliveryAttempt:
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return {"ok": False, "responseCode": None, "responseMessage": "", "systemError": str(exc)}
    return {
        "ok": response.is_success,
        "responseCode": response.reason_phrase or str(response.status_code),
        "responseMessage": response.text[:1000],
        "systemError": None,
    }


def _registration_body(registration: WebhookRegistrationRow) -> dict[str, Any]:
    return {
        "SubscriberId": registration["subscriberId"],
        "WebhookUrl": registration["webhookUrl"],
        "WebhookEvents": registration["webhookEvents"],
    }


def _parse_registration(state: SandboxState, body: CIDict) -> WebhookRegistrationRow:
    url = body.text("WebhookUrl")
    events = [str(event) for event in body.get("WebhookEvents") or []]
    if not url.lower().startswith(("https://", "http://")):
        raise PartnerCenterError(400, 2000, "WebhookUrl must be an absolute http(s) URL.")
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise PartnerCenterError(400, 2000, f"Unknown or missing webhook events: {unknown}.")
    return {
        "subscriberId": state.partner_tenant_id,
        "webhookUrl": url,
        "webhookEvents": events,
        "signatureTokenToMsSignatureHeader": bool(body.get("SignatureTokenToMsSignatureHeader")),
        "lastModifiedTimestamp": wire_datetime(state.now()),
    }


async def registration(request: Request) -> Response:
    """`GET|POST|PUT|DELETE /webhooks/v1/registration`."""
    state = sandbox_state(request)
    caller(request)
    body = await read_body(request) if request.method in ("POST", "PUT") else CIDict()
    table = state.table(WEBHOOK_REGISTRATIONS)
    with state.lock:
        existing = table.get(state.partner_tenant_id)
        if request.method == "GET":
            if existing is None:
                raise not_found("Webhook registration", state.partner_tenant_id)
            return pc_json(_registration_body(existing))
        if request.method == "DELETE":
            table.pop(state.partner_tenant_id, None)
            return Response(status_code=204)
        if request.method == "POST" and existing is not None:
            raise PartnerCenterError(409, 2000, "Registration already exists, use the PUT method.")
        table[state.partner_tenant_id] = _parse_registration(state, body)
        return pc_json(_registration_body(table[state.partner_tenant_id]))


async def events(request: Request) -> Response:
    """`GET /webhooks/v1/registration/events`: the event names one can register for."""
    caller(request)
    return pc_json(list(EVENTS))


async def send_validation_event(request: Request) -> Response:
    """`POST /webhooks/v1/registration/validationEvents`: send a `test-created` event."""
    state = sandbox_state(request)
    caller(request)
    correlation_id = str(uuid.uuid4())
    delivery_id = notify(
        state, "test-created", f"/webhooks/v1/validationEvents/{correlation_id}", "test", None
    )
    if delivery_id is None:
        raise PartnerCenterError(
            400, 2000, "The registration does not include the test-created event."
        )
    with state.lock:
        state.table(WEBHOOK_VALIDATIONS)[correlation_id] = {"deliveryId": delivery_id}
    return pc_json({"correlationId": correlation_id})


async def validation_event_status(request: Request) -> Response:
    """`GET /webhooks/v1/registration/validationEvents/{correlationId}`: delivery results."""
    state = sandbox_state(request)
    caller(request)
    correlation_id = request.path_params["correlation_id"]
    found = state.table(WEBHOOK_VALIDATIONS).get(correlation_id)
    if found is None:
        raise not_found("Validation event", correlation_id)
    delivery = state.table(WEBHOOK_DELIVERIES)[found["deliveryId"]]
    return pc_json(
        {
            "correlationId": correlation_id,
            "partnerId": state.partner_tenant_id,
            "status": "completed" if delivery["status"] != "pending" else "pending",
            "callbackUrl": delivery["webhookUrl"],
            "results": [{k: v for k, v in a.items() if k != "ok"} for a in delivery["attempts"]],
        }
    )


async def certificate(request: Request) -> Response:
    """`GET /_sandbox/webhook-cert.pem`: the certificate that verifies callback signatures."""
    pem = _signing_material(sandbox_state(request))[1]
    return Response(pem, media_type="application/x-pem-file")


routes: list[BaseRoute] = [
    Route("/webhooks/v1/registration", registration, methods=["GET", "POST", "PUT", "DELETE"]),
    Route("/webhooks/v1/registration/events", events),
    Route("/webhooks/v1/registration/validationEvents", send_validation_event, methods=["POST"]),
    Route("/webhooks/v1/registration/validationEvents/{correlation_id}", validation_event_status),
    Route(CERT_PATH, certificate),
]
