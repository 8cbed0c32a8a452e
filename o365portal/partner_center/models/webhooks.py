"""Webhook registration, validation results and incoming events (reference §9.2). Events arrive
with PascalCase keys; the models read either case."""

from __future__ import annotations

from pydantic import Field

from o365portal.partner_center.models.base import ListOf, UtcDateTime, WireModel


class WebhookRegistration(WireModel):
    """Where Partner Center posts events, and which events."""

    subscriber_id: str | None = None
    webhook_url: str
    webhook_events: ListOf[str] = Field(default_factory=list)
    last_modified_timestamp: UtcDateTime = None


class ValidationEventResult(WireModel):
    """One delivery attempt of a validation (`test-created`) event."""

    response_code: str | None = None
    response_message: str | None = None
    system_error: str | None = None
    date_time_utc: UtcDateTime = None


class ValidationEvent(WireModel):
    """The status of a validation event sent to the registered URL."""

    correlation_id: str
    partner_id: str | None = None
    status: str | None = None
    callback_url: str | None = None
    results: ListOf[ValidationEventResult] = Field(default_factory=list)


class WebhookEvent(WireModel):
    """An event Partner Center posted to the portal (e.g. `subscription-updated`)."""

    event_name: str
    resource_uri: str | None = None
    resource_name: str | None = None
    audit_uri: str | None = None
    resource_change_utc_date: UtcDateTime = None
