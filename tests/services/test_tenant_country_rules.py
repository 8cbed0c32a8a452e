"""A new tenant under Partner Center's country rules: the registration number is sent only where
Microsoft needs it (and then checked first), a phone number where it is mandatory, and what the
new-tenant form tells the person who cannot fix the organization record."""

from __future__ import annotations

import pytest

from o365portal.services.errors import InvalidInput
from o365portal.services.tenants import _tenants as tenants
from tests.builders import new_broker, new_customer, new_organization
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.helpers import customers_with_domain, new_prefix

pytestmark = pytest.mark.usefixtures("portal_env")
CUSTOMER_CREATE = "POST /v1/customers"
GB = {
    "country": "GB",
    "postal_code": "WC2B 6AA",
    "city": "London",
    "registration_number": "12345678",
}
IN = {
    "country": "IN",
    "state": "KA",
    "postal_code": "560001",
    "city": "Bengaluru",
    "phone": "+91 80 4010 1234",
}


@pytest.mark.parametrize(
    "fields",
    [GB, GB | {"country": "DE", "postal_code": "10117", "registration_number": "HRB 123456"}],
    ids=["GB", "DE"],
)
async def test_a_registration_number_microsoft_does_not_need_is_not_sent(
    sandbox: PartnerCenterFake, fields: dict[str, str]
) -> None:
    broker = new_broker()
    org = new_organization(broker.principal, **fields)

    form = await tenants.new_tenant_form(actor=broker.principal, organization_id=org.id)
    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=new_prefix()
    )

    assert form.missing == [] and form.registration_number == ""
    [customer] = customers_with_domain(sandbox, tenant.domain)
    assert "organizationRegistrationNumber" not in customer["companyProfile"]


async def test_a_registration_number_the_country_needs_is_required_checked_and_sent(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    without = new_organization(broker.principal, **IN)
    malformed = new_organization(broker.principal, **IN, registration_number="12345")
    good = new_organization(broker.principal, **IN, registration_number="AAAPL1234C")

    missing = await tenants.new_tenant_form(actor=broker.principal, organization_id=without.id)
    wrong = await tenants.new_tenant_form(actor=broker.principal, organization_id=malformed.id)
    ready = await tenants.new_tenant_form(actor=broker.principal, organization_id=good.id)
    with pytest.raises(tenants.AddressIncomplete):
        await tenants.create_tenant(
            actor=broker.principal, organization_id=without.id, prefix=new_prefix()
        )
    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=good.id, prefix=new_prefix()
    )

    assert [(m.field, m.message) for m in missing.missing] == [
        ("registration_number", "Microsoft requires a registration number in this country.")
    ]
    assert [(m.field, m.message) for m in wrong.missing] == [
        (
            "registration_number",
            "The registration number does not have this country's format (e.g. AAAPL1234C).",
        )
    ]
    assert ready.missing == [] and ready.registration_number == "AAAPL1234C"
    [customer] = customers_with_domain(sandbox, tenant.domain)
    assert customer["companyProfile"]["organizationRegistrationNumber"] == "AAAPL1234C"


async def test_a_phone_number_the_country_requires_is_named_before_anything_is_created(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = new_organization(
        broker.principal, **(IN | {"phone": ""}), registration_number="AAAPL1234C"
    )

    form = await tenants.new_tenant_form(actor=broker.principal, organization_id=org.id)
    with pytest.raises(tenants.AddressIncomplete):
        await tenants.create_tenant(
            actor=broker.principal, organization_id=org.id, prefix=new_prefix()
        )

    assert [(m.field, m.message) for m in form.missing] == [
        ("phone", "Microsoft requires a phone number in this country.")
    ]
    assert sandbox.state.table("customers") == {}


async def test_only_a_broker_is_told_it_may_fix_the_organization_record() -> None:
    broker = new_broker()
    org = new_organization(broker.principal, country="US", postal_code="")
    customer = new_customer(org.id)

    theirs = await tenants.new_tenant_form(actor=customer.principal, organization_id=org.id)
    ours = await tenants.new_tenant_form(actor=broker.principal, organization_id=org.id)

    assert (theirs.may_edit_organization, ours.may_edit_organization) == (False, True)
    assert {m.field for m in theirs.missing} == {"state", "postal_code"}


async def test_a_refusal_naming_a_field_of_the_record_is_a_field_message(
    control: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = new_organization(broker.principal, **GB)
    control.chaos(nextFailures=[{"route": CUSTOMER_CREATE, "fault": "reject", "code": 600050}])

    with pytest.raises(InvalidInput) as invalid:
        await tenants.create_tenant(
            actor=broker.principal, organization_id=org.id, prefix=new_prefix()
        )

    assert invalid.value.field_errors == {
        "registration_number": "The registration number has the wrong format."
    }
    assert tenants.get_tenant(actor=broker.principal, organization_id=org.id) is None
