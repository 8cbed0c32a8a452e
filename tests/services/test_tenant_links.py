"""Linking an existing tenant made in Microsoft's own portal: the relationship link, the list
of unlinked Partner Center customers, and linking by id (broker) or by domain (customer)."""

from __future__ import annotations

import pytest

from o365portal.services.errors import NotAllowed, ServiceError
from o365portal.services.tenants import _links as tenant_links
from o365portal.services.tenants import _tenants as tenants
from o365portal.services.tenants._errors import TenantExists
from tests.builders import new_broker, new_customer, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.helpers import (
    new_prefix,
    organization_ready_for_microsoft,
    tenant_made_in_microsofts_portal,
)

pytestmark = pytest.mark.usefixtures("portal_env")


async def test_the_relationship_link_comes_from_partner_center() -> None:
    broker = new_broker()

    link = await tenant_links.relationship_link(actor=broker.principal)

    assert link.startswith("https://")


async def test_a_broker_sees_a_tenant_made_elsewhere_and_links_it(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    company = unique("Existing ")
    made = await tenant_made_in_microsofts_portal(sandbox, company)

    waiting = await tenant_links.unlinked_customers(actor=broker.principal)
    count = await tenant_links.unlinked_count(actor=broker.principal)
    tenant = await tenant_links.link_customer(
        actor=broker.principal, organization_id=org.id, customer_id=made.id or ""
    )
    after = await tenant_links.unlinked_customers(actor=broker.principal)

    assert [c.company_name for c in waiting] == [company] and count == 1
    assert (tenant.customer_id, tenant.status) == (made.id, "active")
    assert tenants.get_tenant(actor=broker.principal, organization_id=org.id) == tenant
    assert after == []


async def test_tenants_the_portal_created_are_not_listed_as_unlinked() -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    await tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=new_prefix())

    assert await tenant_links.unlinked_customers(actor=broker.principal) == []


async def test_a_customer_links_its_own_tenant_by_domain(sandbox: PartnerCenterFake) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer = new_customer(org.id)
    made = await tenant_made_in_microsofts_portal(sandbox, unique("Mine "), org.email.upper())
    domain = made.company_profile.domain if made.company_profile else ""

    tenant = await tenant_links.link_by_domain(
        actor=customer.principal, organization_id=org.id, domain=f" {domain.upper()} "
    )

    assert tenant.domain == domain and tenant.created_by == "Cory Customer"


async def test_a_customer_cannot_claim_a_tenant_whose_billing_contact_is_elsewhere(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer = new_customer(org.id)
    same_mail_domain = "someone-else@" + org.email.rpartition("@")[2]  # e.g. a free-mail provider
    made = await tenant_made_in_microsofts_portal(
        sandbox, unique("Someone else "), same_mail_domain
    )
    domain = made.company_profile.domain if made.company_profile else ""

    with pytest.raises(NotAllowed, match="Your broker needs to link this tenant"):
        await tenant_links.link_by_domain(
            actor=customer.principal, organization_id=org.id, domain=domain
        )
    assert tenants.get_tenant(actor=broker.principal, organization_id=org.id) is None
    linked = await tenant_links.link_by_domain(
        actor=broker.principal, organization_id=org.id, domain=domain
    )
    assert linked.domain == domain


async def test_an_unknown_domain_asks_for_the_relationship_first() -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)

    with pytest.raises(ServiceError, match="accepted the reseller relationship"):
        await tenant_links.link_by_domain(
            actor=broker.principal, organization_id=org.id, domain="nobody.onmicrosoft.com"
        )


async def test_customers_may_not_list_or_link_other_partner_center_customers(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer = new_customer(org.id)
    made = await tenant_made_in_microsofts_portal(sandbox, unique("Other "))

    with pytest.raises(NotAllowed):
        await tenant_links.unlinked_customers(actor=customer.principal)
    with pytest.raises(NotAllowed):
        await tenant_links.link_customer(
            actor=customer.principal, organization_id=org.id, customer_id=made.id or ""
        )
    assert await tenant_links.unlinked_count(actor=customer.principal) == 0


async def test_a_tenant_cannot_be_linked_twice_nor_to_an_organization_that_has_one(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    first = organization_ready_for_microsoft(broker.principal)
    second = organization_ready_for_microsoft(broker.principal)
    made = await tenant_made_in_microsofts_portal(sandbox, unique("Twice "))
    other = await tenant_made_in_microsofts_portal(sandbox, unique("Else "))
    await tenant_links.link_customer(
        actor=broker.principal, organization_id=first.id, customer_id=made.id or ""
    )

    with pytest.raises(ServiceError, match="already linked"):
        await tenant_links.link_customer(
            actor=broker.principal, organization_id=second.id, customer_id=made.id or ""
        )
    with pytest.raises(TenantExists):
        await tenant_links.link_customer(
            actor=broker.principal, organization_id=first.id, customer_id=other.id or ""
        )
