"""Audit records (reference §9.1): what changed in a date window, newest last."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.models.audit import AuditRecord
from o365portal.partner_center.paging import iterate_seek


class AuditArea(Area):
    """`client.audit`: the partner's activity log (last 90 days, at most 30 per query)."""

    def iterate(
        self,
        start: date,
        end: date,
        *,
        customer_id: str | None = None,
        resource_type: str | None = None,
        size: int = 500,
    ) -> AsyncIterator[AuditRecord]:
        """Records from `start` to `end` (dates, inclusive), optionally of one customer or
        resource type (e.g. `subscription`)."""
        params: dict[str, str | int] = {
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "size": size,
        }
        search = _filter(customer_id, resource_type)
        if search:
            params["filter"] = json.dumps(search)
        return iterate_seek(self._pipeline, "/v1/auditrecords", AuditRecord, params=params)


def _filter(customer_id: str | None, resource_type: str | None) -> dict[str, str] | None:
    if customer_id:
        return {"Field": "CustomerId", "Value": customer_id, "Operator": "equals"}
    if resource_type:
        return {"Field": "ResourceType", "Value": resource_type, "Operator": "equals"}
    return None
