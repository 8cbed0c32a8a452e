"""Audit records: written for every mutation, queried with Partner Center's window rules."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from o365portal.sandbox.core.server import SandboxInfo
from tests.integration.sandbox.helpers import create_customer


def _day(sandbox: SandboxInfo, days: int = 0) -> str:
    return (sandbox.state.now() + timedelta(days=days)).date().isoformat()


def test_creating_a_customer_writes_an_add_customer_record(
    pc_app: httpx.Client, sandbox: SandboxInfo
) -> None:
    customer = create_customer(pc_app, company="Audited Inc")

    records = pc_app.get(
        "/v1/auditrecords", params={"startDate": _day(sandbox), "endDate": _day(sandbox)}
    ).json()["items"]

    [record] = records
    assert record["operationType"] == "add_customer"
    assert record["resourceType"] == "customer"
    assert record["customerId"] == customer["id"]
    assert record["customerName"] == "Audited Inc"
    assert record["applicationId"] == sandbox.client_id
    assert record["id"].startswith(f"{sandbox.partner_tenant_id}_{customer['id']}_addcustomer_")
    assert (
        json.loads(record["resourceNewValue"])["CompanyProfile"]["Domain"]
        == (customer["companyProfile"]["domain"])
    )
    assert {"key": "Relationship", "value": "Reseller"} in record["customizedData"]
    assert record["attributes"] == {"objectType": "AuditRecord"}


def test_a_single_record_is_served_at_its_audit_uri(
    pc_app: httpx.Client, sandbox: SandboxInfo
) -> None:
    create_customer(pc_app)
    [record] = pc_app.get("/v1/auditrecords").json()["items"]

    fetched = pc_app.get(f"/auditactivity/v1/auditrecords/{record['id']}")

    assert fetched.json() == record
    assert pc_app.get("/auditactivity/v1/auditrecords/nope").status_code == 404


def test_user_changes_are_recorded_with_the_signed_in_user(
    pc: httpx.Client, sandbox: SandboxInfo
) -> None:
    customer = create_customer(pc)
    users = f"/v1/customers/{customer['id']}/users"
    admin = pc.get(users).json()["items"][0]
    pc.patch(f"{users}/{admin['id']}", json={"displayName": "Boss"})
    pc.delete(f"{users}/{admin['id']}")

    records = pc.get("/v1/auditrecords").json()["items"]

    assert [r["operationType"] for r in records] == [
        "add_customer",
        "update_customer_user",
        "delete_customer_user",
    ]
    assert records[1]["userPrincipalName"].startswith("integration@")
    assert json.loads(records[1]["resourceOldValue"])["DisplayName"] != "Boss"
    assert json.loads(records[1]["resourceNewValue"])["DisplayName"] == "Boss"


@pytest.mark.parametrize(
    ("start", "end"),
    [(-91, 0), (-40, -5), (0, -3)],
    ids=["older than 90 days", "window over 30 days", "end before start"],
)
def test_queries_outside_the_lookback_or_window_are_refused(
    pc_app: httpx.Client, sandbox: SandboxInfo, start: int, end: int
) -> None:
    response = pc_app.get(
        "/v1/auditrecords",
        params={"startDate": _day(sandbox, start), "endDate": _day(sandbox, end)},
    )

    assert response.status_code == 400
    assert response.json()["code"] == 2000


def test_records_can_be_filtered_by_customer_resource_type_and_company_name(
    pc: httpx.Client,
) -> None:
    first = create_customer(pc, company="Filter One")
    create_customer(pc, company="Filter Two")
    users = f"/v1/customers/{first['id']}/users"
    pc.patch(f"{users}/{pc.get(users).json()['items'][0]['id']}", json={"displayName": "X"})

    def search(field: str, value: str, operator: str) -> list[str]:
        query = json.dumps({"Field": field, "Value": value, "Operator": operator})
        items = pc.get("/v1/auditrecords", params={"filter": query}).json()["items"]
        return [f"{r['customerName']}:{r['resourceType']}" for r in items]

    assert search("CustomerId", first["id"], "equals") == [
        "Filter One:customer",
        "Filter One:customer_user",
    ]
    assert search("ResourceType", "customer_user", "equals") == ["Filter One:customer_user"]
    assert search("CompanyName", "two", "substring") == ["Filter Two:customer"]


def test_records_page_with_continuation_tokens(pc_app: httpx.Client) -> None:
    for n in range(3):
        create_customer(pc_app, company=f"Audit page {n}")

    first = pc_app.get("/v1/auditrecords", params={"size": 2}).json()
    nxt = first["links"]["next"]
    second = pc_app.get(
        f"/v1{nxt['uri']}", headers={h["key"]: h["value"] for h in nxt["headers"]}
    ).json()

    names = [r["customerName"] for r in first["items"] + second["items"]]
    assert names == ["Audit page 0", "Audit page 1", "Audit page 2"]
    assert "next" not in second["links"]
