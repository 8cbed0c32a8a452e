"""The control API: chaos and throttling, clock, reset, health; idempotent replay; persistence."""

from __future__ import annotations

import json
import stat
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from o365portal.sandbox.core.app import create_app
from o365portal.sandbox.core.server import SandboxInfo, running_sandbox
from o365portal.sandbox.core.state import SandboxState
from tests.integration.sandbox.helpers import (
    client_with,
    create_customer,
    customer_body,
    user_token,
)

CREATE = "POST /v1/customers"


def test_health_answers_without_a_token(control: httpx.Client, sandbox: SandboxInfo) -> None:
    body = control.get("/_sandbox/health").json()

    assert body["status"] == "ok"
    assert body["partnerTenantId"] == sandbox.partner_tenant_id


def test_a_rate_limit_answers_429_with_retry_after(
    pc_app: httpx.Client, control: httpx.Client
) -> None:
    control.post("/_sandbox/chaos", json={"rateLimitPerMinute": 2})

    statuses = [pc_app.get("/v1/customers").status_code for _ in range(3)]
    throttled = pc_app.get("/v1/customers")

    assert statuses == [200, 200, 429]
    assert int(throttled.headers["Retry-After"]) > 0
    wait = throttled.headers["Retry-After"]
    assert throttled.json() == {
        "statusCode": 429,
        "message": f"Rate limit is exceeded. Try again in {wait} seconds.",
    }


def test_next_failures_are_injected_in_order_then_requests_succeed(
    pc_app: httpx.Client, control: httpx.Client
) -> None:
    control.post(
        "/_sandbox/chaos",
        json={
            "nextFailures": [
                {"route": "GET /v1/customers/*", "fault": "error500"},
                {"route": "GET /v1/customers/*", "fault": "throttle429"},
            ]
        },
    )
    customer = create_customer(pc_app)
    path = f"/v1/customers/{customer['id']}"

    statuses = [pc_app.get(path).status_code for _ in range(3)]

    assert statuses == [500, 429, 200]


def test_an_injected_rejection_answers_its_code_and_does_nothing(
    pc_app: httpx.Client, control: httpx.Client, sandbox: SandboxInfo
) -> None:
    failure = {"route": CREATE, "fault": "reject", "code": 600050}
    shown = control.post("/_sandbox/chaos", json={"nextFailures": [failure]}).json()
    refused = control.post("/_sandbox/chaos", json={"nextFailures": [failure | {"code": "x"}]})
    control.post("/_sandbox/chaos", json={"nextFailures": [failure]})

    rejected = pc_app.post("/v1/customers", json=customer_body())
    created = pc_app.post("/v1/customers", json=customer_body())

    assert shown["nextFailures"] == [failure | {"count": 1}]
    assert refused.status_code == 400
    assert (rejected.status_code, rejected.json()["code"]) == (400, 600050)
    assert created.status_code == 201
    assert list(sandbox.state.table("customers")) == [created.json()["id"]]


def test_route_probabilities_are_repeatable_with_a_seed(
    pc_app: httpx.Client, control: httpx.Client
) -> None:
    config = {"routes": {"GET /v1/customers": {"error500": 0.5}}, "seed": 7}

    def run() -> list[int]:
        control.post("/_sandbox/chaos", json=config)
        return [pc_app.get("/v1/customers").status_code for _ in range(12)]

    first, second = run(), run()

    assert first == second
    assert {200, 500} == set(first)


def test_replaying_a_request_id_returns_the_first_response(
    pc_app: httpx.Client, sandbox: SandboxInfo
) -> None:
    headers = {"MS-RequestId": str(uuid.uuid4()), "MS-CorrelationId": str(uuid.uuid4())}
    body = customer_body()

    first = pc_app.post("/v1/customers", json=body, headers=headers)
    replay = pc_app.post("/v1/customers", json=body, headers=headers)
    fresh = pc_app.post("/v1/customers", json=body, headers={"MS-RequestId": str(uuid.uuid4())})

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["MS-RequestId"] == headers["MS-RequestId"]
    assert replay.headers["MS-CorrelationId"] == headers["MS-CorrelationId"]
    assert fresh.status_code == 409
    assert len(sandbox.state.table("customers")) == 1


def test_an_injected_timeout_does_the_work_and_a_retry_with_the_same_id_gets_its_result(
    sandbox: SandboxInfo, control: httpx.Client
) -> None:
    control.post(
        "/_sandbox/chaos",
        json={"nextFailures": [{"route": CREATE, "fault": "timeout"}], "hangSeconds": 5},
    )
    headers = {"MS-RequestId": str(uuid.uuid4())}
    body = customer_body()

    with client_with(sandbox, user_token(sandbox), timeout=0.5) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            impatient.post("/v1/customers", json=body, headers=headers)
        retried = impatient.post("/v1/customers", json=body, headers=headers)

    assert retried.status_code == 201
    assert list(sandbox.state.table("customers")) == [retried.json()["id"]]


def test_the_clock_can_be_set_advanced_and_frozen(control: httpx.Client) -> None:
    frozen = control.post(
        "/_sandbox/clock", json={"now": "2027-01-31T10:00:00Z", "frozen": True}
    ).json()
    advanced = control.post("/_sandbox/clock", json={"advance": "P1M"}).json()
    later = control.get("/_sandbox/clock").json()
    bad = control.post("/_sandbox/clock", json={"advance": "eight days"})

    assert frozen == {"now": "2027-01-31T10:00:00+00:00", "frozen": True}
    assert advanced["now"] == "2027-02-28T10:00:00+00:00"
    assert later == advanced
    assert bad.status_code == 400


def test_a_ticking_clock_keeps_its_offset(control: httpx.Client) -> None:
    body = control.post("/_sandbox/clock", json={"advance": "P8D", "frozen": False}).json()

    shifted = datetime.fromisoformat(body["now"]) - datetime.now(UTC)

    assert not body["frozen"]
    assert 7.9 < shifted.total_seconds() / 86400 < 8.1


def test_reset_forgets_customers_and_chaos_but_keeps_credentials(
    pc_app: httpx.Client, control: httpx.Client
) -> None:
    create_customer(pc_app)
    control.post("/_sandbox/chaos", json={"rateLimitPerMinute": 1000})

    assert control.post("/_sandbox/reset").status_code == 204

    assert pc_app.get("/v1/customers").json()["items"] == []
    assert control.get("/_sandbox/chaos").json()["routes"] == {}


def test_state_and_credentials_survive_a_restart(tmp_path: Path) -> None:
    with running_sandbox(tmp_path) as first:
        with client_with(first, user_token(first)) as pc:
            customer = create_customer(pc)
        written = json.loads((tmp_path / "sandbox.json").read_text())
        ca = (tmp_path / "ca.pem").read_bytes()

    with running_sandbox(tmp_path) as second, client_with(second, user_token(second)) as pc:
        fetched = pc.get(f"/v1/customers/{customer['id']}")

    assert fetched.status_code == 200
    assert (second.client_id, second.client_secret) == (first.client_id, first.client_secret)
    assert second.refresh_token == first.refresh_token
    assert (tmp_path / "ca.pem").read_bytes() == ca
    assert set(written) == {
        "base_url", "authority", "client_id", "client_secret", "partner_tenant_id",
        "ca_file", "refresh_token", "portal_client_id", "portal_client_secret",
    }  # fmt: skip
    for private in ("ca-key.pem", "server-key.pem", "state.json", "sandbox.json"):
        assert stat.S_IMODE((tmp_path / private).stat().st_mode) == 0o600


def test_an_unreadable_state_file_is_reported_not_silently_replaced(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(RuntimeError, match="move it away"):
        SandboxState(tmp_path)

    assert (tmp_path / "state.json").read_text(encoding="utf-8") == "{not json"


async def test_the_control_api_keeps_answering_when_a_processor_fails() -> None:
    app = create_app(SandboxState())

    def broken(_state: SandboxState, _now: datetime) -> None:
        raise RuntimeError("processor bug")

    app.state.processors.append(broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://sandbox") as client:
        assert (await client.get("/_sandbox/health")).status_code == 200
        assert (await client.post("/_sandbox/reset")).status_code == 204
        assert (await client.get("/v1/customers")).status_code == 500
