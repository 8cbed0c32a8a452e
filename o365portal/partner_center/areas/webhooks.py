"""Webhooks (reference §9.2): registration, validation events, and parsing incoming events."""

from __future__ import annotations

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.errors import ConflictError
from o365portal.partner_center.models.base import parse_json
from o365portal.partner_center.models.webhooks import (
    ValidationEvent,
    WebhookEvent,
    WebhookRegistration,
)

_REGISTRATION = "/webhooks/v1/registration"


class WebhooksArea(Area):
    """`client.webhooks`: where Partner Center posts change events."""

    async def event_names(self) -> list[str]:
        """The events one can register for."""
        response = await self._pipeline.request("GET", f"{_REGISTRATION}/events")
        return [str(name) for name in parse_json(response.content)]

    async def register(self, url: str, events: list[str]) -> WebhookRegistration:
        """Register (or, when a registration exists, replace) the webhook."""
        body = WebhookRegistration(webhook_url=url, webhook_events=events).to_wire()
        try:
            return await self._send("POST", _REGISTRATION, WebhookRegistration, body=body)
        except ConflictError:
            return await self.update(url, events)

    async def get(self) -> WebhookRegistration:
        """The current registration."""
        return await self._get(_REGISTRATION, WebhookRegistration)

    async def update(self, url: str, events: list[str]) -> WebhookRegistration:
        """Replace the registration."""
        body = WebhookRegistration(webhook_url=url, webhook_events=events).to_wire()
        return await self._send("PUT", _REGISTRATION, WebhookRegistration, body=body)

    async def send_validation_event(self) -> str:
        """Ask Partner Center to post a `test-created` event; returns its correlation id."""
        response = await self._pipeline.request("POST", f"{_REGISTRATION}/validationEvents")
        body = parse_json(response.content)
        return str(body.get("correlationId") or body.get("CorrelationId"))

    async def validation_event(self, correlation_id: str) -> ValidationEvent:
        """How the delivery of a validation event went."""
        path = f"{_REGISTRATION}/validationEvents/{correlation_id}"
        return await self._get(path, ValidationEvent)


def parse_event(body: bytes) -> WebhookEvent:
    """Decode an event Partner Center posted (PascalCase or camelCase keys)."""
    return WebhookEvent.model_validate(parse_json(body))
