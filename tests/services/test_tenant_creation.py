"""Adding a new Microsoft 365 tenant, end to end through the services and the sandbox: a
customer's own, a taken domain, a missing address, and Partner Center failing mid-way.
(The broker's happy path with its e-mail runs over HTTPS: tests/integration/services.)"""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.tenants import Tenant
from o365portal.services.errors import InvalidInput, NotFound, PartnerCenterUnavailable
from o365portal.services.tenants import _tenants as tenants
from o365portal.services.tenants._errors import TenantExists
from tests.builders import new_broker, new_customer, new_organization
from tests.fakes.partner_center import PartnerCenterFake, WorkerKilled
from tests.services.helpers import (
    admin_password_resets,
    customers_with_domain,
    deliver_mail_to,
    new_prefix,
    organization_ready_for_microsoft,
)
from tests.smtp_server import SmtpServerInfo

pytestmark = pytest.mark.usefixtures("portal_env")
CUSTOMER_CREATE = "POST /v1/customers"
MCA_ACCEPT = "POST /v1/customers/*/agreements"


def _rows_of(organization_id: int) -> list[Tenant]:
    with session_scope() as session:
        return list(session.exec(select(Tenant).where(Tenant.organization_id == organization_id)))


async def test_a_customer_adds_its_own_tenant(sandbox: PartnerCenterFake) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer = new_customer(org.id)

    tenant = await tenants.create_tenant(
        actor=customer.principal, organization_id=org.id, prefix=new_prefix()
    )

    assert len(customers_with_domain(sandbox, tenant.domain)) == 1
    assert tenant.created_by == "Cory Customer"


async def test_a_customer_cannot_add_a_tenant_for_another_organization() -> None:
    broker = new_broker()
    other = organization_ready_for_microsoft(broker.principal)
    customer = new_customer(organization_ready_for_microsoft(broker.principal).id)

    with pytest.raises(NotFound):
        await tenants.create_tenant(
            actor=customer.principal, organization_id=other.id, prefix=new_prefix()
        )


async def test_a_taken_domain_is_explained_and_nothing_is_recorded(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)

    check = await tenants.check_domain(actor=broker.principal, prefix="contoso")
    with pytest.raises(tenants.DomainTaken) as taken:
        await tenants.create_tenant(
            actor=broker.principal, organization_id=org.id, prefix="contoso"
        )

    assert not check.available and "link the existing tenant" in check.message
    assert "contoso.onmicrosoft.com" in str(taken.value)
    assert _rows_of(org.id) == []


async def test_a_bad_prefix_gets_a_field_message_without_asking_partner_center() -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)

    check = await tenants.check_domain(actor=broker.principal, prefix="my-company")
    with pytest.raises(InvalidInput) as invalid:
        await tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix="a b")

    assert not check.available and "lowercase letters or digits" in check.message
    assert "prefix" in invalid.value.field_errors


async def test_a_missing_state_and_postal_code_are_named_before_anything_is_created(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = new_organization(broker.principal, country="US", postal_code="")

    form = await tenants.new_tenant_form(actor=broker.principal, organization_id=org.id)
    with pytest.raises(tenants.AddressIncomplete) as incomplete:
        await tenants.create_tenant(
            actor=broker.principal, organization_id=org.id, prefix=new_prefix()
        )

    assert {item.field for item in form.missing} == {"state", "postal_code"}
    assert "State / province is required" in str(incomplete.value)
    assert _rows_of(org.id) == []
    assert sandbox.state.table("customers") == {}


async def test_partner_center_failing_on_create_leaves_nothing_and_a_retry_creates_one(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    prefix = new_prefix()
    control.chaos(nextFailures=[{"route": CUSTOMER_CREATE, "fault": "error500", "count": 4}])

    with pytest.raises(PartnerCenterUnavailable) as failure:
        await tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=prefix)
    assert "try again" in str(failure.value)
    assert tenants.get_tenant(actor=broker.principal, organization_id=org.id) is None

    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=prefix
    )
    assert len(customers_with_domain(sandbox, tenant.domain)) == 1


async def test_a_create_whose_answers_are_all_lost_is_adopted_on_retry_with_a_new_password(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, smtp_server: SmtpServerInfo
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    prefix = new_prefix()
    lost = {"route": CUSTOMER_CREATE, "fault": "timeout", "count": 4}
    control.chaos(hangSeconds=0.1, nextFailures=[lost])

    with pytest.raises(PartnerCenterUnavailable):
        await tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=prefix)
    domain = f"{prefix}.onmicrosoft.com"
    assert len(customers_with_domain(sandbox, domain)) == 1  # made, but the answer was lost
    assert tenants.get_tenant(actor=broker.principal, organization_id=org.id) is None

    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=prefix
    )
    await deliver_mail_to(org.email)

    assert len(customers_with_domain(sandbox, domain)) == 1
    [customer] = customers_with_domain(sandbox, domain)
    assert tenant.customer_id == customer["id"] and customer["mcaAccepted"] is True
    assert admin_password_resets(sandbox, customer["id"]) == 1  # the lost password replaced
    body = smtp_server.received.wait_for(org.email).get_content()
    assert re.search(r"One-time password: \S{16}\s", body)


async def test_one_lost_answer_is_replayed_within_the_same_attempt(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    control.chaos(hangSeconds=0.1, nextFailures=[{"route": CUSTOMER_CREATE, "fault": "timeout"}])

    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=new_prefix()
    )

    assert len(customers_with_domain(sandbox, tenant.domain)) == 1
    assert admin_password_resets(sandbox, tenant.customer_id) == 0  # the first one was kept


async def test_mca_failing_after_create_is_finished_by_the_retry_without_a_second_customer(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    prefix = new_prefix()
    control.chaos(nextFailures=[{"route": MCA_ACCEPT, "fault": "error500", "count": 4}])

    with pytest.raises(PartnerCenterUnavailable):
        await tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=prefix)
    domain = f"{prefix}.onmicrosoft.com"
    [half] = customers_with_domain(sandbox, domain)
    assert half["mcaAccepted"] is False
    assert tenants.get_tenant(actor=broker.principal, organization_id=org.id) is None

    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=new_prefix()
    )

    assert tenant.domain == domain  # the unfinished tenant is finished, not a second one made
    assert [c["mcaAccepted"] for c in customers_with_domain(sandbox, domain)] == [True]
    assert len(sandbox.state.table("customers")) == 1


async def test_a_process_that_died_after_partner_center_answered_is_adopted_on_retry(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    prefix = new_prefix()

    control.kill_worker_after(CUSTOMER_CREATE)  # before the portal records the customer
    with pytest.raises(WorkerKilled):
        await tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=prefix)

    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=prefix
    )

    assert len(customers_with_domain(sandbox, tenant.domain)) == 1
    assert tenant.status == "active"


async def test_an_organization_with_a_tenant_cannot_add_another() -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    await tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=new_prefix())

    with pytest.raises(TenantExists):
        await tenants.create_tenant(
            actor=broker.principal, organization_id=org.id, prefix=new_prefix()
        )
