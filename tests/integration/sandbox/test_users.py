"""Customer users: creation rules, paging, soft delete, restore and password resets."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from o365portal.sandbox.core.server import SandboxInfo
from tests.integration.sandbox.helpers import client_with, create_customer, user_token

INACTIVE = json.dumps({"Field": "UserState", "Value": "Inactive", "Operator": "equals"})


def user_body(domain: str, name: str = "jdoe", password: str = "abCD123*") -> dict[str, Any]:
    return {
        "usageLocation": "US",
        "userPrincipalName": f"{name}@{domain}",
        "firstName": "Jane",
        "lastName": "Doe",
        "displayName": "Jane Doe",
        "passwordProfile": {"password": password, "forceChangePassword": True},
        "attributes": {"objectType": "CustomerUser"},
    }


@pytest.fixture
def tenant(pc: httpx.Client) -> dict[str, Any]:
    return create_customer(pc)


def _users(tenant: dict[str, Any]) -> str:
    return f"/v1/customers/{tenant['id']}/users"


def _create(pc: httpx.Client, tenant: dict[str, Any], **kwargs: str) -> dict[str, Any]:
    response = pc.post(_users(tenant), json=user_body(tenant["companyProfile"]["domain"], **kwargs))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_a_created_user_echoes_its_password_and_can_be_read_back(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    user = _create(pc, tenant)

    assert user["passwordProfile"]["password"] == "abCD123*"
    assert user["state"] == "active"
    assert user["links"]["self"]["uri"] == f"/customers/{tenant['id']}/users/{user['id']}"
    fetched = pc.get(f"{_users(tenant)}/{user['id']}").json()
    assert fetched["userPrincipalName"] == user["userPrincipalName"]
    assert "passwordProfile" not in fetched


@pytest.mark.parametrize(
    "password", ["Sh0rt!", "alllowercase1", "NoDigitsOrSymbols", "Jdoe1234!", "x" * 257]
)
def test_passwords_must_follow_entras_rules(
    pc: httpx.Client, tenant: dict[str, Any], password: str
) -> None:
    body = user_body(tenant["companyProfile"]["domain"], password=password)

    response = pc.post(_users(tenant), json=body)

    assert response.status_code == 400
    assert response.json()["code"] == 60009


def test_the_upn_must_use_the_customers_domain(pc: httpx.Client, tenant: dict[str, Any]) -> None:
    response = pc.post(_users(tenant), json=user_body("elsewhere.onmicrosoft.com"))

    assert response.status_code == 400
    assert response.json()["code"] == 60008


def test_a_duplicate_upn_is_a_conflict(pc: httpx.Client, tenant: dict[str, Any]) -> None:
    _create(pc, tenant)

    response = pc.post(_users(tenant), json=user_body(tenant["companyProfile"]["domain"]))

    assert response.status_code == 409
    assert response.json()["code"] == 60007


def test_users_are_listed_page_by_page(pc: httpx.Client, tenant: dict[str, Any]) -> None:
    for n in range(4):
        _create(pc, tenant, name=f"user{n}")

    page = pc.get(_users(tenant), params={"size": 2}).json()
    upns = [u["userPrincipalName"] for u in page["items"]]
    while "next" in page["links"]:
        nxt = page["links"]["next"]
        assert nxt["uri"].endswith("&seekOperation=Next")
        headers = {h["key"]: h["value"] for h in nxt["headers"]}
        page = pc.get(f"/v1{nxt['uri']}", headers=headers).json()
        upns += [u["userPrincipalName"] for u in page["items"]]

    assert len(upns) == 5  # the admin plus four


def test_a_deleted_user_is_soft_deleted_and_can_be_restored(
    pc: httpx.Client, tenant: dict[str, Any]
) -> None:
    user = _create(pc, tenant)
    path = f"{_users(tenant)}/{user['id']}"

    assert pc.delete(path).status_code == 204
    active = [u["id"] for u in pc.get(_users(tenant)).json()["items"]]
    deleted = pc.get(_users(tenant), params={"filter": INACTIVE}).json()["items"]
    assert user["id"] not in active
    assert [u["id"] for u in deleted] == [user["id"]]
    assert deleted[0]["state"] == "inactive" and deleted[0]["softDeletionTime"]
    assert pc.patch(path, json={"displayName": "X"}).json()["code"] == 60010

    restored = pc.patch(
        path, json={"State": "active", "Attributes": {"ObjectType": "CustomerUser"}}
    )

    assert restored.status_code == 200
    assert restored.json()["state"] == "active"
    assert "softDeletionTime" not in restored.json()


def test_deleted_users_are_purged_after_thirty_days(
    pc: httpx.Client, control: httpx.Client, sandbox: SandboxInfo, tenant: dict[str, Any]
) -> None:
    user = _create(pc, tenant)
    pc.delete(f"{_users(tenant)}/{user['id']}")

    control.post("/_sandbox/clock", json={"advance": "P29D"})
    with client_with(sandbox, user_token(sandbox)) as later:
        still_there = later.get(_users(tenant), params={"filter": INACTIVE}).json()["items"]
    control.post("/_sandbox/clock", json={"advance": "P2D"})
    with client_with(sandbox, user_token(sandbox)) as much_later:
        purged = much_later.get(_users(tenant), params={"filter": INACTIVE}).json()["items"]

    assert [u["id"] for u in still_there] == [user["id"]]
    assert purged == []


def test_patch_updates_only_the_given_fields(pc: httpx.Client, tenant: dict[str, Any]) -> None:
    user = _create(pc, tenant)

    updated = pc.patch(f"{_users(tenant)}/{user['id']}", json={"usageLocation": "GB"}).json()

    assert updated["usageLocation"] == "GB"
    assert updated["displayName"] == "Jane Doe"


@pytest.mark.parametrize("suffix", ["", "/resetpassword"])
def test_passwords_are_reset_on_both_documented_paths(
    pc: httpx.Client, tenant: dict[str, Any], suffix: str
) -> None:
    user = _create(pc, tenant)
    body = {"passwordProfile": {"password": "Renew456*", "forceChangePassword": True}}

    response = pc.patch(f"{_users(tenant)}/{user['id']}{suffix}", json=body)
    weak = pc.patch(
        f"{_users(tenant)}/{user['id']}{suffix}", json={"passwordProfile": {"password": "weak"}}
    )

    assert response.status_code == 200
    assert response.json()["passwordProfile"]["password"] == "Renew456*"
    assert weak.json()["code"] == 60009


def test_unknown_users_answer_404_code_60002(pc: httpx.Client, tenant: dict[str, Any]) -> None:
    response = pc.get(f"{_users(tenant)}/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404
    assert response.json()["code"] == 60002
