"""Partner Center's webhooks: registering the portal's callback, and handling each event.

A callback is trusted only when its `Authorization: Signature <base64>` (or `x-ms-signature`)
header is an RSA-SHA256 (PKCS#1 v1.5) signature of the exact body by the pinned certificate
(PARTNER_CENTER_WEBHOOK_CERT_FILE), with `X-MS-Signature-Algorithm: rsa-sha256`. The
`X-MS-Certificate-Url` a request names is never followed: a forger would name their own. A
trusted event only says which resource to read: the portal reads it from Partner Center at once
and applies what Partner Center answers, never the event's body.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pydantic import ValidationError

from o365portal.config import get_settings
from o365portal.partner_center.areas.webhooks import parse_event
from o365portal.partner_center.errors import PartnerCenterError
from o365portal.partner_center.models.webhooks import WebhookEvent
from o365portal.services.errors import NotAllowed, ServiceError, translate
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.sync._records import Cause
from o365portal.services.sync._refresh import (
    CUSTOMER,
    SUBSCRIPTION,
    Target,
    is_linked,
    refresh,
)

EVENTS_PATH = "/api/partner-center/events"
EVENTS = ["subscription-updated", "reseller-relationship-accepted-by-customer", "test-created"]
_SUBSCRIPTION = re.compile(r"/customers/([^/]+)/subscriptions/([^/?#]+)", re.IGNORECASE)
_CUSTOMER = re.compile(r"/customers/([^/?#]+)/?$", re.IGNORECASE)


class WebhookRefused(ServiceError):
    """A callback that is not provably Partner Center's: refused, nothing read or changed."""


def verify_signature(body: bytes, headers: Mapping[str, str], certificate_pem: bytes) -> None:
    """Raise `WebhookRefused` unless `headers` carry a valid signature of `body`."""
    lowered = {key.lower(): value for key, value in headers.items()}
    if lowered.get("x-ms-signature-algorithm", "").lower() != "rsa-sha256":
        raise WebhookRefused("The event names no rsa-sha256 signature.")
    signature = lowered.get("x-ms-signature") or ""
    authorization = lowered.get("authorization", "")
    if not signature and authorization.lower().startswith("signature "):
        signature = authorization[len("signature ") :]
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookRefused("The event's signature is not base64.") from None
    key = x509.load_pem_x509_certificate(certificate_pem).public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise WebhookRefused("The pinned webhook certificate has no RSA key.")
    try:
        key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise WebhookRefused("The event's signature does not match its body.") from None


@lru_cache(maxsize=4)
def _pinned(path: Path) -> bytes:
    return path.read_bytes()


def pinned_certificate() -> bytes:
    """The configured certificate Partner Center signs events with."""
    path = get_settings().webhook_cert_file
    if path is None or not path.is_file():
        raise WebhookRefused("No webhook certificate is configured: events are refused.")
    return _pinned(path)


def targets_of_event(event: WebhookEvent) -> list[Target]:
    """What an event says to refresh (nothing for a test or an event the portal ignores)."""
    uri = event.resource_uri or ""
    name = event.event_name.lower()
    found = _SUBSCRIPTION.search(uri)
    if name == "subscription-updated" and found:
        return [Target(SUBSCRIPTION, found.group(1), found.group(2))]
    found = _CUSTOMER.search(uri)
    if name == "reseller-relationship-accepted-by-customer" and found:
        return [Target(CUSTOMER, found.group(1))]
    return []


async def handle_event(body: bytes, headers: Mapping[str, str]) -> int:
    """Verify a posted event, then refresh what it names from Partner Center; changes made."""
    verify_signature(body, headers, pinned_certificate())
    try:
        event = parse_event(body)
    except (ValidationError, ValueError):
        raise WebhookRefused("The event is not a Partner Center event.") from None
    targets = [t for t in targets_of_event(event) if t.kind == CUSTOMER or is_linked(t.customer_id)]
    if not targets:
        return 0
    cause = Cause(source="webhook", changed_at=event.resource_change_utc_date)
    async with partner_center() as pc:
        return await refresh(pc, targets, cause)


async def register_webhook(*, actor: Principal) -> str:
    """Register the portal's events address (PORTAL_PUBLIC_URL) with Partner Center; returns
    the address (brokers only)."""
    if not actor.is_broker:
        raise NotAllowed()
    public = get_settings().portal_public_url
    if not public:
        raise WebhookRefused("Set PORTAL_PUBLIC_URL first: Partner Center needs an address.")
    return await subscribe_to_events(public)


async def subscribe_to_events(public_url: str) -> str:
    """Have Partner Center post its events to `public_url` + EVENTS_PATH (an operation of the
    deployment, e.g. at start-up); returns the address."""
    url = public_url.rstrip("/") + EVENTS_PATH
    try:
        async with partner_center() as pc:
            await pc.webhooks.register(url, EVENTS)
    except PartnerCenterError as error:
        raise translate(error, action="the webhook registration") from error
    return url
