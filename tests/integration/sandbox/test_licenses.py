"""Subscribed SKUs derived from subscriptions, and licence assignment to users."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.integration.sandbox.helpers import buy, confirm_mca, create_customer

BASIC = "3b555118-da6a-4418-894f-7df1e2096870"


def set_status(pc: httpx.Client, subscription: dict[str, Any], status: str) -> None:
    path = subscription["links"]["self"]["uri"]
    changed = pc.patch(f"/v1{path}", json={**subscription, "status": status})
    assert changed.status_code == 200, changed.text


@pytest.fixture
def tenant(pc: httpx.Client) -> dict[str, Any]:
    customer = create_customer(pc)
    confirm_mca(pc, customer["id"])
    return customer


def _admin_id(pc: httpx.Client, tenant: dict[str, Any]) -> str:
    return str(pc.get(f"/v1/customers/{tenant['id']}/users").json()["items"][0]["id"])


def _basic(pc: httpx.Client, tenant: dict[str, Any]) -> dict[str, Any]:
    skus = pc.get(f"/v1/customers/{tenant['id']}/subscribedskus").json()["items"]
    found: dict[str, Any] = next(s for s in skus if s["productSku"]["id"] == BASIC)
    return found


def _assign(pc: httpx.Client, tenant: dict[str, Any], user_id: str, sku: str) -> httpx.Response:
    return pc.post(
        f"/v1/customers/{tenant['id']}/users/{user_id}/licenseupdates",
        json={"LicensesToAssign": [{"SkuId": sku}], "Attributes": {"ObjectType": "LicenseUpdate"}},
    )


def test_subscribed_skus_sum_active_and_suspended_subscriptions(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    buy(pc, tenant["id"], 3)
    buy(pc, tenant["id"], 2)
    set_status(pc, buy(pc, tenant["id"], 4), "suspended")
    set_status(pc, buy(pc, tenant["id"], 7), "deleted")

    sku = _basic(pc, tenant)

    assert (sku["activeUnits"], sku["suspendedUnits"], sku["totalUnits"]) == (5, 4, 5)
    assert (sku["consumedUnits"], sku["availableUnits"]) == (0, 5)
    assert sku["productSku"]["skuPartNumber"] == "O365_BUSINESS_ESSENTIALS"
    assert sku["attributes"]["objectType"] == "SubscribedSku"


def test_assigning_a_licence_consumes_a_unit_and_lists_it_on_the_user(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    buy(pc, tenant["id"], 2)
    admin = _admin_id(pc, tenant)

    response = _assign(pc, tenant, admin, BASIC)

    assert response.status_code == 201
    assert response.json()["licensesToAssign"] == [{"skuId": BASIC}]
    sku = _basic(pc, tenant)
    assert (sku["consumedUnits"], sku["availableUnits"]) == (1, 1)
    licences = pc.get(f"/v1/customers/{tenant['id']}/users/{admin}/licenses").json()["items"]
    assert [lic["productSku"]["id"] for lic in licences] == [BASIC]


def test_without_a_free_unit_assignment_fails_with_60012(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    buy(pc, tenant["id"], 1)
    admin = _admin_id(pc, tenant)
    second = pc.post(
        f"/v1/customers/{tenant['id']}/users",
        json={
            "userPrincipalName": f"second@{tenant['companyProfile']['domain']}",
            "displayName": "Second",
            "usageLocation": "US",
            "passwordProfile": {"password": "abCD123*"},
        },
    ).json()
    assert _assign(pc, tenant, admin, BASIC).status_code == 201

    refused = _assign(pc, tenant, second["id"], BASIC)

    assert refused.status_code == 400
    assert refused.json()["code"] == 60012
    assert "LicenseQuotaExceededException" in refused.json()["data"][0]


def test_removing_or_deleting_the_user_frees_the_unit(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    buy(pc, tenant["id"], 1)
    admin = _admin_id(pc, tenant)
    _assign(pc, tenant, admin, BASIC)
    removal = {"licensesToAssign": [], "licensesToRemove": [BASIC]}

    pc.post(f"/v1/customers/{tenant['id']}/users/{admin}/licenseupdates", json=removal)
    after_removal = _basic(pc, tenant)["availableUnits"]
    _assign(pc, tenant, admin, BASIC)
    pc.delete(f"/v1/customers/{tenant['id']}/users/{admin}")

    assert after_removal == 1
    assert _basic(pc, tenant)["availableUnits"] == 1


def test_unknown_skus_and_users_are_refused(pc: httpx.Client, tenant: dict[str, Any]) -> None:
    buy(pc, tenant["id"], 1)

    unknown_sku = _assign(pc, tenant, _admin_id(pc, tenant), str(uuid.uuid4()))
    unknown_user = _assign(pc, tenant, str(uuid.uuid4()), BASIC)

    assert (unknown_sku.status_code, unknown_sku.json()["code"]) == (400, 60011)
    assert (unknown_user.status_code, unknown_user.json()["code"]) == (404, 60002)


TEAMS_PLAN = "57ff2da0-773e-42df-b2af-ffb7a2317929"
EXCHANGE_PLAN = "9aaf7827-d63c-4b61-89c3-182f06f82e5c"


def _update(
    pc: httpx.Client, tenant: dict[str, Any], user_id: str, excluded: Any
) -> httpx.Response:
    body = {"licensesToAssign": [{"skuId": BASIC, "excludedPlans": excluded}]}
    return pc.post(f"/v1/customers/{tenant['id']}/users/{user_id}/licenseupdates", json=body)


def _plan_states(pc: httpx.Client, tenant: dict[str, Any], user_id: str) -> dict[str, str]:
    (licence,) = pc.get(f"/v1/customers/{tenant['id']}/users/{user_id}/licenses").json()["items"]
    return {plan["serviceName"]: plan["capabilityStatus"] for plan in licence["servicePlans"]}


def test_subscribed_skus_list_the_skus_service_plans(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    buy(pc, tenant["id"], 1)

    plans = {plan["id"]: plan for plan in _basic(pc, tenant)["servicePlans"]}

    assert len(plans) == 14
    assert plans[EXCHANGE_PLAN] == {
        "displayName": "EXCHANGE ONLINE (PLAN 1)",
        "serviceName": "EXCHANGE_S_STANDARD",
        "id": EXCHANGE_PLAN,
        "capabilityStatus": "Enabled",
        "targetType": "User",
    }
    assert {plan["capabilityStatus"] for plan in plans.values()} == {"Enabled"}


def test_excluded_plans_show_disabled_on_the_licence_and_can_be_changed(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    buy(pc, tenant["id"], 1)
    admin = _admin_id(pc, tenant)

    assigned = _update(pc, tenant, admin, [TEAMS_PLAN])
    states = _plan_states(pc, tenant, admin)

    assert assigned.status_code == 201, assigned.text
    assert assigned.json()["licensesToAssign"] == [{"skuId": BASIC, "excludedPlans": [TEAMS_PLAN]}]
    assert states["TEAMS1"] == "Disabled"
    assert {s for name, s in states.items() if name != "TEAMS1"} == {"Assigned"}

    changed = _update(pc, tenant, admin, None)  # the same SKU again: no second unit is used

    assert changed.status_code == 201, changed.text
    assert set(_plan_states(pc, tenant, admin).values()) == {"Assigned"}
    assert _basic(pc, tenant)["consumedUnits"] == 1


def test_plan_ids_outside_the_sku_are_refused_and_nothing_is_assigned(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    buy(pc, tenant["id"], 1)
    admin = _admin_id(pc, tenant)

    unknown = _update(pc, tenant, admin, [TEAMS_PLAN, str(uuid.uuid4())])
    malformed = _update(pc, tenant, admin, "not-a-list")

    assert (unknown.status_code, unknown.json()["code"]) == (400, 60014)
    assert (malformed.status_code, malformed.json()["code"]) == (400, 60014)
    assert pc.get(f"/v1/customers/{tenant['id']}/users/{admin}/licenses").json()["items"] == []
