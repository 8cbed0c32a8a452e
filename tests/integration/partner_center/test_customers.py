"""Customers, domains, country rules, MCA and the relationship link against the sandbox."""

from __future__ import annotations

import logging

import pytest

from o365portal.partner_center import (
    AlreadyExists,
    AppUserRequired,
    McaRequired,
    NotFoundError,
    PartnerCenterClient,
)
from o365portal.partner_center.models import RelationshipToPartner
from o365portal.sandbox.core.server import SandboxInfo
from tests.integration.partner_center.builders import (
    catalog_item_id,
    create_customer,
    line,
    new_customer_request,
    unique_domain,
)
from tests.integration.partner_center.conftest import SandboxControl, sandbox_config


async def test_a_created_customer_is_found_by_id_domain_and_company_name(
    pc: PartnerCenterClient,
) -> None:
    domain = unique_domain("fab")
    assert await pc.customers.is_domain_available(domain)
    created = await pc.customers.create(new_customer_request(domain, "Fabrikam Widgets"))
    assert created.id and created.company_profile and created.company_profile.domain == domain
    assert created.user_credentials and created.user_credentials.user_name
    assert (
        created.user_credentials.password and created.user_credentials.password.get_secret_value()
    )
    assert created.relationship_to_partner == RelationshipToPartner.RESELLER
    assert not await pc.customers.is_domain_available(domain)

    fetched = await pc.customers.get(created.id)
    assert fetched.billing_profile and fetched.billing_profile.company_name == "Fabrikam Widgets"
    assert fetched.user_credentials is None
    found = [c.id async for c in pc.customers.iterate(starts_with="fabrikam w")]
    assert found == [created.id]
    by_domain = [c.id async for c in pc.customers.iterate(starts_with=domain[:10], field="Domain")]
    assert by_domain == [created.id]


async def test_a_taken_domain_is_refused_as_already_existing(pc: PartnerCenterClient) -> None:
    domain = unique_domain()
    await pc.customers.create(new_customer_request(domain))
    with pytest.raises(AlreadyExists):
        await pc.customers.create(new_customer_request(domain))


async def test_customers_are_listed_across_several_pages(pc: PartnerCenterClient) -> None:
    created = {
        (await pc.customers.create(new_customer_request(unique_domain(), f"Pager {n}"))).id
        for n in range(7)
    }
    listed = [c.id async for c in pc.customers.iterate(size=2)]
    assert set(listed) == created and len(listed) == 7


async def test_a_deleted_customer_is_gone(pc: PartnerCenterClient) -> None:
    customer = await pc.customers.create(new_customer_request(unique_domain()))
    assert customer.id
    await pc.customers.delete(customer.id)
    with pytest.raises(NotFoundError):
        await pc.customers.get(customer.id)


async def test_country_rules_come_from_the_sandbox(pc: PartnerCenterClient) -> None:
    rules = await pc.customers.country_validation_rules("us")
    assert (
        rules.iso2_code == "US" and rules.is_state_required and "WA" in rules.supported_states_list
    )


async def test_the_relationship_link_needs_and_gets_an_app_user_token(
    pc: PartnerCenterClient, sandbox: SandboxInfo
) -> None:
    link = await pc.customers.relationship_request()
    assert link.url and sandbox.partner_tenant_id in link.url
    async with PartnerCenterClient(sandbox_config(sandbox, refresh_token=None)) as app_only:
        with pytest.raises(AppUserRequired):
            await app_only.customers.relationship_request()


async def test_purchases_need_the_mca_which_the_client_accepts(pc: PartnerCenterClient) -> None:
    customer = await pc.customers.create(new_customer_request(unique_domain()))
    assert customer.id
    item = await catalog_item_id(pc)
    with pytest.raises(McaRequired) as caught:
        await pc.orders.purchase(customer.id, [line(item, 1)])
    assert caught.value.code == 13605 and caught.value.correlation_id
    template = await pc.agreements.mca_template()
    assert template.template_id
    accepted = await create_customer(pc)
    assert accepted.id
    agreements = await pc.agreements.list(accepted.id)
    assert [a.template_id for a in agreements] == [template.template_id]


async def test_creating_a_customer_logs_the_call_but_no_password_or_secret(
    pc: PartnerCenterClient, sandbox: SandboxInfo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = await pc.customers.create(new_customer_request(unique_domain()))
    assert created.user_credentials and created.user_credentials.password
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /v1/customers -> 201" in logged
    access_tokens = list(sandbox.state.identity["access"])
    assert access_tokens
    for secret in (
        created.user_credentials.password.get_secret_value(),
        sandbox.client_secret,
        sandbox.refresh_token,
        *access_tokens,
    ):
        assert secret not in logged


async def test_tokens_expired_on_the_sandbox_clock_are_renewed_after_a_401(
    pc: PartnerCenterClient, control: SandboxControl, caplog: pytest.LogCaptureFixture
) -> None:
    customer = await pc.customers.create(new_customer_request(unique_domain()))
    assert customer.id
    await pc.customers.relationship_request()
    control.advance("PT2H")
    caplog.set_level(logging.DEBUG, logger="httpx")
    assert (await pc.customers.get(customer.id)).id == customer.id
    assert (await pc.customers.relationship_request()).url
    statuses = [
        r.getMessage().rsplit('"', 2)[-2]
        for r in caplog.records
        if "HTTP Request" in r.getMessage()
    ]
    assert statuses.count("HTTP/1.1 401 Unauthorized") == 2


async def test_the_company_profile_carries_the_billing_address_and_email(
    pc: PartnerCenterClient,
) -> None:
    customer = await create_customer(pc)
    assert customer.id

    profile = await pc.customers.company_profile(customer.id)

    assert profile.tenant_id == customer.id and profile.email == "billing@contoso.example"
    assert profile.address is not None
    assert (profile.address.country, profile.address.region, profile.address.city) == (
        "US",
        "WA",
        "Redmond",
    )
    assert (profile.address.address_line1, profile.address.postal_code) == (
        "1 Microsoft Way",
        "98052",
    )
    assert profile.address.phone_number == "4255550100"
