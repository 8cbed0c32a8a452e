"""Audit records (reference §9.1): who changed what, with the resource before and after as the
PascalCase JSON strings Partner Center stores."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from o365portal.partner_center.models.base import (
    ListOf,
    Resource,
    UtcDateTime,
    WireModel,
    parse_json,
)


class KeyValue(WireModel):
    """One `customizedData` entry."""

    key: str
    value: str | None = None


class AuditRecord(Resource):
    """One audited operation (e.g. `create_order`, `update_subscription`)."""

    id: str
    partner_id: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    user_principal_name: str | None = None
    application_id: str | None = None
    session_id: str | None = None
    resource_type: str | None = None
    resource_old_value: str | None = None
    resource_new_value: str | None = None
    operation_type: str | None = None
    original_correlation_id: str | None = None
    operation_date: UtcDateTime = None
    operation_status: str | None = None
    customized_data: ListOf[KeyValue] = Field(default_factory=list)

    @property
    def data(self) -> dict[str, str | None]:
        """`customizedData` as a dict (e.g. `{"SubscriptionId": ..., "Quantity": "2"}`)."""
        return {item.key: item.value for item in self.customized_data}

    def old_value(self) -> Any:
        """The resource before the operation, decoded from its JSON string (or None)."""
        return parse_json(self.resource_old_value) if self.resource_old_value else None

    def new_value(self) -> Any:
        """The resource after the operation, decoded from its JSON string (or None)."""
        return parse_json(self.resource_new_value) if self.resource_new_value else None
