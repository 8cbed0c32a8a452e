"""Service plans of the sandbox's SKUs (data/service_plans.json) and the licence plan rules.

The data file holds facts copied from Microsoft's "Product names and service plan identifiers for
licensing" list (see docs/partner-center-sandbox.md, "Service plans"): for each Entra skuId its
`skuPartNumber` and `servicePlans` as `{servicePlanId, servicePlanName, displayName}`. A SKU the
list does not cover has no entry and so no plans. `wire_plans` renders a SKU's plans the way
Partner Center's SubscribedSku and License resources carry them (`id`, `serviceName`,
`displayName`, `capabilityStatus`, `targetType`); `check_excluded_plans` applies the
`excludedPlans` rule of a licence update.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from o365portal.sandbox.core.wire import PartnerCenterError

ENABLED = "Enabled"  # SubscribedSku plans (recorded GetCustomerLicense)
ASSIGNED = "Assigned"  # a user's licence plans (recorded GetCustomerLicenseUser)
DISABLED = "Disabled"  # a plan switched off through excludedPlans ([UNVERIFIED] wire value)
UNKNOWN_PLAN_CODE = 60014  # [UNVERIFIED]: Microsoft documents no code for a bad excludedPlans id


@cache
def load_service_plans() -> dict[str, dict[str, Any]]:
    """The data file's SKUs keyed by lower-case skuId (read once per process)."""
    text = resources.files("o365portal.sandbox").joinpath("data", "service_plans.json").read_text()
    skus: dict[str, dict[str, Any]] = json.loads(text)["skus"]
    return {sku_id.lower(): sku for sku_id, sku in skus.items()}


def plans_of(sku_id: str) -> list[dict[str, str]]:
    """The SKU's service plans as recorded in the data file (empty if the list lacks the SKU)."""
    sku = load_service_plans().get(sku_id.lower())
    return list(sku["servicePlans"]) if sku else []


def wire_plans(sku_id: str, status: str, excluded: Iterable[str] = ()) -> list[dict[str, str]]:
    """The SKU's plans in Partner Center's form; plans in `excluded` carry DISABLED."""
    off = {plan_id.lower() for plan_id in excluded}
    return [
        {
            "displayName": plan["displayName"],
            "serviceName": plan["servicePlanName"],
            "id": plan["servicePlanId"],
            "capabilityStatus": DISABLED if plan["servicePlanId"].lower() in off else status,
            "targetType": "User",
        }
        for plan in plans_of(sku_id)
    ]


def check_excluded_plans(sku_id: str, excluded: Iterable[str]) -> list[str]:
    """The excluded plan ids (lower-case, de-duplicated), or 400 if one is not in the SKU."""
    known = {plan["servicePlanId"].lower() for plan in plans_of(sku_id)}
    wanted = list(dict.fromkeys(plan_id.strip().lower() for plan_id in excluded))
    unknown = [plan_id for plan_id in wanted if plan_id not in known]
    if unknown:
        raise PartnerCenterError(
            400,
            UNKNOWN_PLAN_CODE,
            f"The service plan {unknown[0]} is not part of SKU {sku_id.lower()}.",
        )
    return wanted
