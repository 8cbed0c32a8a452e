"""The sandbox's service-plan data (Microsoft's published list) and the excludedPlans rules."""

from __future__ import annotations

import re

import pytest

from o365portal.sandbox.commerce.catalog_data import load_catalog
from o365portal.sandbox.core.wire import PartnerCenterError
from o365portal.sandbox.directory.service_plans import (
    ASSIGNED,
    DISABLED,
    check_excluded_plans,
    load_service_plans,
    plans_of,
    wire_plans,
)

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
BASIC = "3b555118-da6a-4418-894f-7df1e2096870"
EXCHANGE_PLAN_1 = "9aaf7827-d63c-4b61-89c3-182f06f82e5c"
TEAMS = "57ff2da0-773e-42df-b2af-ffb7a2317929"


def test_every_recorded_sku_is_a_catalog_sku_with_the_same_part_number() -> None:
    catalog = {
        sku["provisioningId"].lower(): sku["skuPartNumber"]
        for product in load_catalog().products.values()
        for sku in product["skus"]
    }
    recorded = load_service_plans()
    assert recorded and set(recorded) <= set(catalog)
    for sku_id, sku in recorded.items():
        assert sku["skuPartNumber"] == catalog[sku_id]


def test_all_catalog_skus_but_teams_enterprise_have_microsofts_plans() -> None:
    catalog = {
        sku["provisioningId"].lower(): sku["skuPartNumber"]
        for product in load_catalog().products.values()
        for sku in product["skus"]
    }
    missing = {part for sku_id, part in catalog.items() if not plans_of(sku_id)}
    assert missing == {"Microsoft_Teams_Enterprise_New"}  # not in Microsoft's list


def test_plans_carry_a_lower_case_guid_a_string_id_and_a_friendly_name_once_each() -> None:
    for sku in load_service_plans().values():
        ids = [plan["servicePlanId"] for plan in sku["servicePlans"]]
        assert ids and len(ids) == len(set(ids))
        for plan in sku["servicePlans"]:
            assert GUID.match(plan["servicePlanId"])
            assert plan["servicePlanName"].strip() and plan["displayName"].strip()


def test_business_basic_has_its_published_plans() -> None:
    names = {plan["servicePlanName"] for plan in plans_of(BASIC.upper())}
    assert {"EXCHANGE_S_STANDARD", "TEAMS1", "SHAREPOINTSTANDARD", "MCOSTANDARD"} <= names
    assert len(names) == 14


def test_wire_plans_use_partner_centers_names_and_mark_excluded_plans_disabled() -> None:
    plans = {plan["id"]: plan for plan in wire_plans(BASIC, ASSIGNED, [TEAMS.upper()])}
    assert plans[TEAMS]["capabilityStatus"] == DISABLED
    assert plans[EXCHANGE_PLAN_1] == {
        "displayName": "EXCHANGE ONLINE (PLAN 1)",
        "serviceName": "EXCHANGE_S_STANDARD",
        "id": EXCHANGE_PLAN_1,
        "capabilityStatus": ASSIGNED,
        "targetType": "User",
    }


def test_a_sku_missing_from_the_list_has_no_plans() -> None:
    assert plans_of("00000000-0000-0000-0000-000000000000") == []
    assert wire_plans("00000000-0000-0000-0000-000000000000", ASSIGNED) == []


def test_excluded_plans_are_normalised_and_must_belong_to_the_sku() -> None:
    assert check_excluded_plans(BASIC, [f" {TEAMS.upper()} ", TEAMS]) == [TEAMS]
    assert check_excluded_plans(BASIC, []) == []
    with pytest.raises(PartnerCenterError) as caught:
        check_excluded_plans(BASIC, [TEAMS, "11111111-1111-1111-1111-111111111111"])
    assert (caught.value.status, caught.value.code) == (400, 60014)
    assert "11111111-1111-1111-1111-111111111111" in caught.value.description
