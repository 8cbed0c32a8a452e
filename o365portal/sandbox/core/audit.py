"""Audit records (reference §9.1): written for every sandbox mutation, read by the portal's sync.

Interface for every area module: `record_audit(state, caller, operation_type=...,
resource_type=..., customer_id=..., old=..., new=..., customized_data={...})` right after
a change is made (inside the same `with state.lock:`). It stores and returns an AuditRecord:
id `{partnerId}_{customerId}_{operationname}_{ticks}` (.NET ticks of the sandbox clock),
`resourceOldValue`/`resourceNewValue` as JSON strings of the PascalCase resource,
`applicationId` = the caller's client id, `customizedData` as `[{"key","value"}]`.

Routes: `GET /v1/auditrecords?startDate&endDate&size&filter` and
`/auditactivity/v1/auditrecords[/{id}]`. Dates may be `yyyy-mm-dd`, ISO-8601 or US style
(`6/1/2017 12:00:00 AM`); no start date = the last 30 days; the start may be at most 90 days
back and the window at most 30 days (400 code 2000 otherwise). Filters (JSON
`{"Field","Value","Operator"}`): `CustomerId` equals, `ResourceType` equals, `CompanyName`
substring. Seek paging, oldest first.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.identity import Caller, caller, sandbox_state
from o365portal.sandbox.core.rows import AUDIT_RECORDS, CUSTOMERS, AuditRecordRow
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.wire import (
    CIDict,
    PartnerCenterError,
    not_found,
    parse_filter,
    pc_json,
    seek_page,
    seek_request,
)

LOOKBACK_DAYS = 90
WINDOW_DAYS = 30
_TICKS_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


def dotnet_ticks(instant: datetime) -> int:
    """.NET ticks (100 ns since 0001-01-01 UTC) of an instant."""
    delta = instant - _TICKS_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def wire_datetime(instant: datetime) -> str:
    """Partner Center's UTC date-time form with 7 fractional digits (`...T17:20:43.3466529Z`)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def pascal_case(value: Any) -> Any:
    """A copy of a camelCase JSON value with PascalCase keys (as audit resource values are)."""
    if isinstance(value, dict):
        return {key[:1].upper() + key[1:]: pascal_case(item) for key, item in value.items()}
    if isinstance(value, list):
        return [pascal_case(item) for item in value]
    return value


def _resource_text(resource: Mapping[str, Any] | None) -> str | None:
    return None if resource is None else json.dumps(pascal_case(resource), separators=(",", ":"))


def _customer_name(state: SandboxState, customer_id: str) -> str:
    customer = state.table(CUSTOMERS).get(customer_id)
    profile = customer.get("companyProfile") if customer else None
    return str(profile.get("companyName", "")) if profile else ""


def record_audit(
    state: SandboxState,
    who: Caller,
    *,
    operation_type: str,
    resource_type: str,
    customer_id: str,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    customized_data: dict[str, str],
    status: str = "succeeded",
) -> AuditRecordRow:
    """Store and return the audit record of one change (see the module docstring)."""
    with state.lock:
        table = state.table(AUDIT_RECORDS)
        now = state.now()
        ticks = dotnet_ticks(now)
        prefix = f"{state.partner_tenant_id}_{customer_id}_{operation_type.replace('_', '')}"
        while f"{prefix}_{ticks}" in table:
            ticks += 1
        record: AuditRecordRow = {
            "id": f"{prefix}_{ticks}",
            "partnerId": state.partner_tenant_id,
            "customerId": customer_id,
            "customerName": _customer_name(state, customer_id),
            "userPrincipalName": who.user_principal_name or "",
            "applicationId": who.client_id,
            "sessionId": str(uuid.uuid4()),
            "resourceType": resource_type,
            "resourceOldValue": _resource_text(old),
            "resourceNewValue": _resource_text(new),
            "operationType": operation_type,
            "originalCorrelationId": str(uuid.uuid4()),
            "operationDate": wire_datetime(now),
            "operationStatus": status,
            "customizedData": [{"key": k, "value": v} for k, v in customized_data.items()],
            "attributes": {"objectType": "AuditRecord"},
        }
        table[record["id"]] = record
        return record


def parse_query_date(text: str) -> datetime:
    """Parse an audit query date: `yyyy-mm-dd`, ISO-8601, or US `6/1/2017 12:00:00 AM`."""
    text = text.strip()
    for pattern in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise PartnerCenterError(400, 2000, f"The date '{text}' is not valid.") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _window(state: SandboxState, params: dict[str, str]) -> tuple[datetime, datetime]:
    now = state.now()
    today = datetime.combine(now.date(), time(), tzinfo=UTC)
    start_text, end_text = params.get("startDate", ""), params.get("endDate", "")
    end = parse_query_date(end_text) if end_text else now
    start = parse_query_date(start_text) if start_text else end - timedelta(days=WINDOW_DAYS)
    if start < today - timedelta(days=LOOKBACK_DAYS):
        raise PartnerCenterError(
            400, 2000, f"Audit records are only kept for the last {LOOKBACK_DAYS} days."
        )
    if end < start or end - start > timedelta(days=WINDOW_DAYS):
        raise PartnerCenterError(
            400, 2000, f"The date range must be positive and at most {WINDOW_DAYS} days."
        )
    if end_text and len(end_text) <= 10:
        end += timedelta(days=1)  # a date-only end includes that whole day
    return start, end


def _matches(record: AuditRecordRow, wanted: CIDict | None) -> bool:
    if wanted is None:
        return True
    field, value, operator = (
        wanted.text("Field").lower(),
        wanted.text("Value"),
        wanted.text("Operator").lower(),
    )
    if field == "customerid" and operator == "equals":
        return str(record["customerId"]).lower() == value.lower()
    if field == "resourcetype" and operator == "equals":
        return str(record["resourceType"]).lower() == value.lower()
    if field == "companyname" and operator == "substring":
        return value.lower() in str(record["customerName"]).lower()
    unsupported = f"{wanted.text('Field')} {wanted.text('Operator')}"
    raise PartnerCenterError(400, 2000, f"The audit filter '{unsupported}' is not supported.")


async def list_audit_records(request: Request) -> Response:
    """`GET /v1/auditrecords` (also under `/auditactivity/v1`)."""
    state = sandbox_state(request)
    caller(request)
    seek = seek_request(request, carried=("startDate", "endDate", "filter"), default_size=500)
    start, end = _window(state, seek.params)
    wanted = parse_filter(seek.params.get("filter"))
    with state.lock:
        records = [
            r
            for r in state.table(AUDIT_RECORDS).values()
            if start <= parse_query_date(r["operationDate"]) < end and _matches(r, wanted)
        ]
    records.sort(key=lambda r: r["operationDate"])
    query = "&".join(f"{k}={v}" for k, v in seek.params.items() if k != "filter")
    return pc_json(seek_page(records, seek, f"/auditrecords?{query}" if query else "/auditrecords"))


async def get_audit_record(request: Request) -> Response:
    """`GET /auditactivity/v1/auditrecords/{id}` (also under `/v1`)."""
    state = sandbox_state(request)
    caller(request)
    record = state.table(AUDIT_RECORDS).get(request.path_params["record_id"])
    if record is None:
        raise not_found("Audit record", request.path_params["record_id"])
    return pc_json(record)


routes: list[BaseRoute] = [
    Route("/v1/auditrecords", list_audit_records),
    Route("/auditactivity/v1/auditrecords", list_audit_records),
    Route("/v1/auditrecords/{record_id}", get_audit_record),
    Route("/auditactivity/v1/auditrecords/{record_id}", get_audit_record),
]
