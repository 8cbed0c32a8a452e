"""Subscribed SKUs and user licences (reference §8.2; App+User only).

`GET /v1/customers/{id}/subscribedskus` derives each SKU from the customer's rows in table
`subscriptions` (written by commerce) joined on `provisioningSkuId` (the Entra skuId):
activeUnits = Σ quantity of `active` subscriptions, suspendedUnits = Σ of `suspended` ones,
totalUnits = active + warning (warning is always 0 here), consumedUnits = users holding the
SKU, availableUnits = total − consumed. SKU names come from the subscriptions' `skuName` /
`skuPartNumber`, service plans from data/service_plans.json (service_plans.py; capabilityStatus
`Enabled` on a SubscribedSku, `Assigned` on a user's licence). Only license group `group1` exists.

`GET .../users/{uid}/licenses` lists the user's licences; `POST .../users/{uid}/licenseupdates`
assigns (`licensesToAssign[].skuId`, optional `excludedPlans` = plan ids to switch off; assigning a
SKU the user holds replaces its excluded plans without using a unit) and removes
(`licensesToRemove[]`) in one step -> 201 LicenseUpdate. An excluded plan shows on the user's
licence with capabilityStatus `Disabled` ([UNVERIFIED] value); a plan id not in the SKU -> 400
code 60014 ([UNVERIFIED] code). Errors: no free unit -> 400 code 60012 (Microsoft's body); user
not found -> 404 code 60002; SKU the customer has no subscription for -> 400 code 60011 and user
without `usageLocation` -> 400 code 60013 (both [UNVERIFIED]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.audit import record_audit
from o365portal.sandbox.core.identity import caller, sandbox_state
from o365portal.sandbox.core.rows import SUBSCRIPTIONS, USERS, UserRow
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.wire import (
    CIDict,
    PartnerCenterError,
    collection,
    pc_json,
    read_body,
)
from o365portal.sandbox.directory.customers import customer_or_404
from o365portal.sandbox.directory.service_plans import (
    ASSIGNED,
    ENABLED,
    UNKNOWN_PLAN_CODE,
    check_excluded_plans,
    wire_plans,
)
from o365portal.sandbox.directory.users import render_user, user_or_404

GROUP = "group1"


def _sku(source: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": source["provisioningSkuId"],
        "name": source.get("skuName", ""),
        "skuPartNumber": source.get("skuPartNumber", ""),
        "targetType": "User",
        "licenseGroupId": GROUP,
    }


def subscribed_skus(state: SandboxState, customer_id: str) -> dict[str, dict[str, Any]]:
    """The customer's SubscribedSku resources keyed by (lower-case) skuId."""
    skus: dict[str, dict[str, Any]] = {}
    for sub in state.table(SUBSCRIPTIONS).values():
        if sub.get("customerId") != customer_id or not sub.get("provisioningSkuId"):
            continue
        sku = skus.setdefault(sub["provisioningSkuId"].lower(), _empty_sku(sub))
        if sub.get("status") == "active":
            sku["activeUnits"] += int(sub.get("quantity", 0))
        elif sub.get("status") == "suspended":
            sku["suspendedUnits"] += int(sub.get("quantity", 0))
    for user in state.table(USERS).values():
        if user["customerId"] != customer_id:
            continue
        for held in user["licenses"]:
            skus.setdefault(
                held["id"].lower(), _empty_sku({**held, "provisioningSkuId": held["id"]})
            )
            skus[held["id"].lower()]["consumedUnits"] += 1
    for sku in skus.values():
        sku["totalUnits"] = sku["activeUnits"] + sku["warningUnits"]
        sku["availableUnits"] = sku["totalUnits"] - sku["consumedUnits"]
        sku["capabilityStatus"] = "Enabled" if sku["activeUnits"] else "Suspended"
    return skus


def _empty_sku(source: Mapping[str, Any]) -> dict[str, Any]:
    plans = wire_plans(source["provisioningSkuId"], ENABLED)
    return {
        "availableUnits": 0,
        "activeUnits": 0,
        "consumedUnits": 0,
        "suspendedUnits": 0,
        "totalUnits": 0,
        "warningUnits": 0,
        "productSku": _sku(source),
        "servicePlans": plans,
        "capabilityStatus": "Enabled",
        "attributes": {"objectType": "SubscribedSku"},
    }


def _groups(request: Request) -> list[str]:
    return [g.lower() for g in request.query_params.getlist("licenseGroupIds")] or [GROUP]


async def list_subscribed_skus(request: Request) -> Response:
    """`GET /v1/customers/{id}/subscribedskus`."""
    state = sandbox_state(request)
    caller(request, app_user=True)
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        skus = (
            list(subscribed_skus(state, customer["id"]).values())
            if GROUP in _groups(request)
            else []
        )
    return pc_json(collection(skus, f"/customers/{customer['id']}/subscribedskus"))


def _license(held: dict[str, Any]) -> dict[str, Any]:
    plans = wire_plans(held["id"], ASSIGNED, held.get("excludedPlans", []))
    product_sku = {k: v for k, v in held.items() if k != "excludedPlans"}
    return {
        "servicePlans": plans,
        "productSku": product_sku,
        "attributes": {"objectType": "License"},
    }


async def list_user_licenses(request: Request) -> Response:
    """`GET /v1/customers/{id}/users/{uid}/licenses`."""
    state = sandbox_state(request)
    caller(request, app_user=True)
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        user = user_or_404(state, customer["id"], request.path_params["user_id"])
        items = [_license(held) for held in user["licenses"]] if GROUP in _groups(request) else []
    return pc_json(collection(items, f"/customers/{customer['id']}/users/{user['id']}/licenses"))


def _out_of_licenses(customer_id: str, sku_id: str) -> PartnerCenterError:
    return PartnerCenterError(
        400,
        60012,
        "We are sorry, it looks like you have run out of licenses. "
        "Buy more licenses, and then try again.",
        data=[
            f"LicenseQuotaExceededException : Subscription with Account {customer_id} and SKU "
            f"{sku_id} does not have any available licenses left."
        ],
    )


def apply_license_update(
    state: SandboxState,
    user: UserRow,
    assign: Mapping[str, list[str]],
    remove: list[str],
) -> None:
    """Remove then assign SKUs (skuId -> excluded plan ids) on a user.

    Refuses SKUs without a subscription (60011) or a free unit (60012) and plan ids that are not
    in the SKU (60014); a SKU the user already holds only gets its excluded plans replaced.
    """
    skus = subscribed_skus(state, user["customerId"])
    held = {h["id"].lower(): h for h in user["licenses"]}
    freed = {sku_id.lower() for sku_id in remove if held.pop(sku_id.lower(), None)}
    for sku_id, excluded in ((s.lower(), e) for s, e in assign.items()):
        sku = skus.get(sku_id)
        if sku is None or not sku["totalUnits"]:
            raise PartnerCenterError(
                400, 60011, f"The customer has no active subscription for SKU {sku_id}."
            )
        plans_off = check_excluded_plans(sku_id, excluded)
        if sku_id not in held and sku["availableUnits"] + (1 if sku_id in freed else 0) <= 0:
            raise _out_of_licenses(user["customerId"], sku_id)
        held[sku_id] = {**sku["productSku"], "excludedPlans": plans_off}
    user["licenses"] = list(held.values())


def _assignments(body: CIDict) -> dict[str, list[str]]:
    """`licensesToAssign` as skuId -> excludedPlans (null or absent = none)."""
    assign: dict[str, list[str]] = {}
    for item in body.get("licensesToAssign") or []:
        excluded = item.get("excludedPlans") or []
        if not isinstance(excluded, list) or not all(isinstance(p, str) for p in excluded):
            raise PartnerCenterError(
                400, UNKNOWN_PLAN_CODE, "excludedPlans must be a list of service plan ids."
            )
        assign[item.text("skuId")] = excluded
    return assign


async def update_licenses(request: Request) -> Response:
    """`POST /v1/customers/{id}/users/{uid}/licenseupdates` -> 201 LicenseUpdate."""
    state = sandbox_state(request)
    who = caller(request, app_user=True)
    body = await read_body(request)
    assign = _assignments(body)
    remove = [str(sku_id) for sku_id in body.get("licensesToRemove") or []]
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        user = user_or_404(state, customer["id"], request.path_params["user_id"])
        if user["state"] != "active":
            raise PartnerCenterError(404, 60002, f"User object with id {user['id']} was not found.")
        if assign and not user.get("usageLocation"):
            raise PartnerCenterError(
                400,
                60013,
                "License assignment cannot be done for user with invalid usage location.",
            )
        old = render_user(user)
        apply_license_update(state, user, assign, remove)
        record_audit(
            state,
            who,
            operation_type="update_customer_user_licenses",
            resource_type="license",
            customer_id=customer["id"],
            old=old,
            new=render_user(user),
            customized_data={
                "CustomerUserId": user["id"],
                "AddedLicenseSkuId": ",".join(assign),
                "RemovedLicenseSkuId": ",".join(remove),
            },
        )
    result = {
        "licensesToAssign": [
            {"skuId": sku_id, **({"excludedPlans": plans} if plans else {})}
            for sku_id, plans in assign.items()
        ],
        "licenseWarnings": [],
        "attributes": {"objectType": "LicenseUpdate"},
    }
    return pc_json(result, status=201)


_CUSTOMER = "/v1/customers/{customer_id}"
routes: list[BaseRoute] = [
    Route(f"{_CUSTOMER}/subscribedskus", list_subscribed_skus),
    Route(f"{_CUSTOMER}/users/{{user_id}}/licenses", list_user_licenses),
    Route(f"{_CUSTOMER}/users/{{user_id}}/licenseupdates", update_licenses, methods=["POST"]),
]
