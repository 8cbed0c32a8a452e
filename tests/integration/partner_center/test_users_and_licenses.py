"""Customer users and licences (App+User routes) against the sandbox."""

from __future__ import annotations

import uuid

import pytest
from pydantic import SecretStr

from o365portal.partner_center import (
    InvalidRequest,
    NotFoundError,
    OutOfLicenses,
    PartnerCenterClient,
)
from o365portal.partner_center.models import CustomerUser, LicenseAssignment, UserState
from tests.integration.partner_center.builders import buy, create_customer, new_user
from tests.integration.partner_center.conftest import SandboxControl


async def test_a_user_is_created_updated_deleted_restored_and_given_a_new_password(
    pc: PartnerCenterClient,
) -> None:
    customer = await create_customer(pc)
    assert customer.id and customer.company_profile and customer.company_profile.domain
    created = await pc.users.create(customer.id, new_user(customer.company_profile.domain, "ada"))
    assert created.id and created.state == UserState.ACTIVE
    assert (await pc.users.get(customer.id, created.id)).display_name == "Ada Tester"

    updated = await pc.users.update(customer.id, created.id, CustomerUser(display_name="Ada L."))
    assert updated.display_name == "Ada L." and updated.usage_location == "US"

    await pc.users.delete(customer.id, created.id)
    deleted = [u.id async for u in pc.users.iterate(customer.id, deleted=True)]
    assert deleted == [created.id]
    active = [u.id async for u in pc.users.iterate(customer.id)]
    assert created.id not in active

    restored = await pc.users.restore(customer.id, created.id)
    assert restored.state == UserState.ACTIVE
    reset = await pc.users.reset_password(customer.id, created.id, SecretStr("Nw4$tR8!qZ1x"))
    assert reset.id == created.id


async def test_users_are_listed_across_several_pages(pc: PartnerCenterClient) -> None:
    customer = await create_customer(pc)
    assert customer.id and customer.company_profile and customer.company_profile.domain
    made = {
        (await pc.users.create(customer.id, new_user(customer.company_profile.domain, f"u{n}"))).id
        for n in range(5)
    }
    listed = [u.id async for u in pc.users.iterate(customer.id, size=2)]
    assert made <= set(listed)
    assert len(listed) == len(set(listed)) == 6  # the five and the tenant's admin


async def test_an_unknown_user_is_not_found(pc: PartnerCenterClient) -> None:
    customer = await create_customer(pc)
    assert customer.id
    with pytest.raises(NotFoundError) as caught:
        await pc.users.get(customer.id, str(uuid.uuid4()))
    assert caught.value.code == 60002


async def test_licences_are_assigned_from_bought_seats_until_none_is_left(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id and customer.company_profile and customer.company_profile.domain
    await buy(pc, control, customer.id, quantity=1)
    (sku,) = await pc.licenses.subscribed_skus(customer.id)
    assert (sku.active_units, sku.consumed_units, sku.available_units) == (1, 0, 1)
    sku_id = sku.product_sku.id
    first = await pc.users.create(customer.id, new_user(customer.company_profile.domain, "one"))
    second = await pc.users.create(customer.id, new_user(customer.company_profile.domain, "two"))
    assert first.id and second.id

    update = await pc.licenses.update(customer.id, first.id, assign=[sku_id])
    assert [a.sku_id for a in update.licenses_to_assign] == [sku_id]
    assert [lic.product_sku.id for lic in await pc.licenses.of_user(customer.id, first.id)] == [
        sku_id
    ]
    (after,) = await pc.licenses.subscribed_skus(customer.id)
    assert (after.consumed_units, after.available_units) == (1, 0)

    with pytest.raises(OutOfLicenses) as caught:
        await pc.licenses.update(customer.id, second.id, assign=[sku_id])
    assert caught.value.code == 60012

    await pc.licenses.update(customer.id, first.id, remove=[sku_id])
    assert await pc.licenses.of_user(customer.id, first.id) == []
    await pc.licenses.update(customer.id, second.id, assign=[sku_id])


TEAMS_PLAN = "57ff2da0-773e-42df-b2af-ffb7a2317929"


async def test_service_plans_are_typed_and_excluded_plans_show_disabled(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id and customer.company_profile and customer.company_profile.domain
    await buy(pc, control, customer.id, quantity=1)
    (sku,) = await pc.licenses.subscribed_skus(customer.id)
    user = await pc.users.create(customer.id, new_user(customer.company_profile.domain, "plans"))
    assert user.id
    teams = next(p for p in sku.service_plans if p.service_name == "TEAMS1")
    assert (teams.id, teams.display_name, teams.capability_status, teams.target_type) == (
        TEAMS_PLAN,
        "TEAMS1",
        "Enabled",
        "User",
    )

    assignment = LicenseAssignment(sku_id=sku.product_sku.id, excluded_plans=[TEAMS_PLAN])
    update = await pc.licenses.update(customer.id, user.id, assign=[assignment])
    (licence,) = await pc.licenses.of_user(customer.id, user.id)

    assert update.licenses_to_assign[0].excluded_plans == [TEAMS_PLAN]
    states = {p.service_name: p.capability_status for p in licence.service_plans}
    assert states.pop("TEAMS1") == "Disabled"
    assert len(states) == 13 and set(states.values()) == {"Assigned"}

    wrong = LicenseAssignment(sku_id=sku.product_sku.id, excluded_plans=[str(uuid.uuid4())])
    with pytest.raises(InvalidRequest) as caught:
        await pc.licenses.update(customer.id, user.id, assign=[wrong])
    assert caught.value.code == 60014
