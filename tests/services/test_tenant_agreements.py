"""The Microsoft Customer Agreement of a tenant: its status read from Partner Center and cached,
recording an acceptance (broker, or the organization's customer), and orders asking for it
before anything is bought."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.partner_center.models.customers import AgreementContact
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NotFound
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.tenants import _agreements as tenant_agreements
from o365portal.services.tenants import _links as tenant_links
from o365portal.services.tenants import _tenants as tenants
from tests.builders import new_broker, new_customer, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.helpers import (
    new_prefix,
    organization_ready_for_microsoft,
    tenant_made_in_microsofts_portal,
)
from tests.services.ordering_support import (
    broker_settings,
    fast_client,
    open_shop,
    order_form,
    sandbox_subscriptions,
)

pytestmark = pytest.mark.usefixtures("portal_env")
AGREEMENTS = "GET /v1/customers/*/agreements"


async def _linked(sandbox: PartnerCenterFake, broker: Principal, organization_id: int) -> str:
    """A tenant made in Microsoft's portal (no agreement yet), linked to the organization."""
    made = await tenant_made_in_microsofts_portal(sandbox, unique("Existing "))
    await tenant_links.link_customer(
        actor=broker, organization_id=organization_id, customer_id=made.id or ""
    )
    return made.id or ""


async def _accepted_elsewhere(customer_id: str) -> None:
    contact = AgreementContact(first_name="Erin", last_name="Existing", email="erin@ex.example")
    async with partner_center() as pc:
        await pc.agreements.accept_mca(customer_id, contact)


def _acceptance(**fields: Any) -> dict[str, Any]:
    return {
        "mca_first_name": "Sam",
        "mca_last_name": "Signer",
        "mca_email": "Sam.Signer@customer.example",
        "mca_date": clock.today().isoformat(),
        "mca_confirmed": True,
    } | fields


def _agreement_in(sandbox: PartnerCenterFake, customer_id: str) -> dict[str, Any] | None:
    return sandbox.state.table("agreements").get(customer_id)


async def test_a_linked_tenant_without_the_agreement_says_so_and_suggests_its_contact(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    await _linked(sandbox, broker.principal, org.id)
    before = tenants.get_tenant(actor=broker.principal, organization_id=org.id)

    status = await tenant_agreements.agreement_status(
        actor=broker.principal, organization_id=org.id
    )
    after = tenants.get_tenant(actor=broker.principal, organization_id=org.id)

    assert before is not None and (before.mca_status, before.mca_label) == (
        "unknown",
        "Not checked yet",
    )
    assert (status.mca_status, status.mca_label) == ("not_accepted", "Not accepted yet")
    assert status.agreement_link == "https://aka.ms/customeragreement"
    assert status.suggestion == {
        "mca_first_name": "Casey",
        "mca_last_name": "Contact",
        "mca_email": org.email,
        "mca_date": clock.today().isoformat(),
    }
    assert after is not None and after.mca_status == "not_accepted"  # cached


async def test_an_acceptance_made_in_microsofts_portal_is_read_and_then_kept(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer_id = await _linked(sandbox, broker.principal, org.id)
    await _accepted_elsewhere(customer_id)

    first = await tenant_agreements.agreement_status(actor=broker.principal, organization_id=org.id)
    control.chaos(nextFailures=[{"route": AGREEMENTS, "fault": "error500", "count": 9}])
    again = await tenant_agreements.agreement_status(actor=broker.principal, organization_id=org.id)

    assert first.accepted and first.mca_label.endswith(" by Erin Existing")
    assert first.mca_label.startswith(f"Accepted on {clock.today():%Y-%m-%d}")
    assert again == first  # from the cache: Partner Center is not asked again


async def test_a_broker_records_the_acceptance_with_the_signer_and_the_day(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer_id = await _linked(sandbox, broker.principal, org.id)
    day = clock.today() - timedelta(days=3)

    status = await tenant_agreements.accept_agreement(
        actor=broker.principal,
        organization_id=org.id,
        form=_acceptance(mca_date=day.isoformat(), mca_confirmed="on"),
    )

    assert (status.mca_status, status.mca_label) == (
        "accepted",
        f"Accepted on {day:%Y-%m-%d} by Sam Signer",
    )
    agreement = _agreement_in(sandbox, customer_id)
    assert agreement is not None and agreement["dateAgreed"].startswith(day.isoformat())
    assert agreement["primaryContact"] | {"phoneNumber": ""} == {
        "firstName": "Sam",
        "lastName": "Signer",
        "email": "sam.signer@customer.example",
        "phoneNumber": "",
    }
    with session_scope() as session:
        [audit] = session.exec(
            select(AuditLogEntry).where(
                AuditLogEntry.action == "tenant.mca_accept",
                AuditLogEntry.actor_account_id == broker.principal.account_id,
            )
        ).all()
    assert audit.details["signer"] == "Sam Signer"


async def test_a_customer_records_its_own_acceptance_and_nobody_else_s(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    other = organization_ready_for_microsoft(broker.principal)
    customer_id = await _linked(sandbox, broker.principal, org.id)
    await _linked(sandbox, broker.principal, other.id)
    customer = new_customer(org.id)

    with pytest.raises(NotFound):
        await tenant_agreements.agreement_status(actor=customer.principal, organization_id=other.id)
    with pytest.raises(NotFound):
        await tenant_agreements.accept_agreement(
            actor=customer.principal, organization_id=other.id, form=_acceptance()
        )
    status = await tenant_agreements.accept_agreement(
        actor=customer.principal, organization_id=org.id, form=_acceptance()
    )

    assert status.accepted and _agreement_in(sandbox, customer_id) is not None


async def test_bad_acceptance_input_gets_field_messages_and_records_nothing(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer_id = await _linked(sandbox, broker.principal, org.id)
    blank = _acceptance(
        mca_first_name=" ", mca_last_name="", mca_email="sam@", mca_date="", mca_confirmed=False
    )
    tomorrow = _acceptance(mca_date=(clock.today() + timedelta(days=1)).isoformat())

    with pytest.raises(InvalidInput) as empty:
        await tenant_agreements.accept_agreement(
            actor=broker.principal, organization_id=org.id, form=blank
        )
    with pytest.raises(InvalidInput) as future:
        await tenant_agreements.accept_agreement(
            actor=broker.principal, organization_id=org.id, form=tomorrow
        )

    assert empty.value.field_errors == {
        "mca_first_name": "Enter the signer's name.",
        "mca_last_name": "Enter the signer's name.",
        "mca_email": "Enter the signer's e-mail address like name@example.com.",
        "mca_date": "Enter the day the signer accepted the agreement.",
        "mca_confirmed": "Confirm that the signer accepted the agreement.",
    }
    assert future.value.field_errors == {
        "mca_date": "The day of acceptance cannot be in the future."
    }
    assert _agreement_in(sandbox, customer_id) is None


async def test_an_acceptance_recorded_meanwhile_elsewhere_counts_as_done(
    sandbox: PartnerCenterFake,
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    customer_id = await _linked(sandbox, broker.principal, org.id)
    await tenant_agreements.agreement_status(actor=broker.principal, organization_id=org.id)
    await _accepted_elsewhere(customer_id)

    status = await tenant_agreements.accept_agreement(
        actor=broker.principal, organization_id=org.id, form=_acceptance()
    )

    assert status.accepted and status.mca_label.endswith(" by Erin Existing")  # Microsoft's


async def test_a_tenant_the_portal_creates_is_known_to_have_accepted() -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)

    tenant = await tenants.create_tenant(
        actor=broker.principal, organization_id=org.id, prefix=new_prefix()
    )

    assert tenant.mca_status == "accepted"
    assert tenant.mca_label == f"Accepted on {clock.today():%Y-%m-%d} by Casey Contact"


async def test_an_order_asks_for_the_agreement_before_anything_is_bought_then_records_it_first(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, accept_mca=False)
        with pytest.raises(InvalidInput) as asked:
            await ordering.place_order(
                actor=shop.customer.principal,
                organization_id=shop.organization_id,
                form=order_form(),
                pc=pc,
            )
        with pytest.raises(InvalidInput) as incomplete:
            await ordering.place_order(
                actor=shop.customer.principal,
                organization_id=shop.organization_id,
                form=order_form() | _acceptance(mca_email=""),
                pc=pc,
            )
        assert sandbox_subscriptions(sandbox, shop.customer_id) == []
        outcome = await ordering.place_order(
            actor=shop.customer.principal,
            organization_id=shop.organization_id,
            form=order_form(quantity=2) | _acceptance(),
            pc=pc,
        )
        control.post("clock", {"advance": "PT11S"})  # Microsoft provisions it
        assert outcome.record_id in await complete_provisioning(pc=pc)

    assert set(asked.value.field_errors) == {"mca"}
    assert "Microsoft Customer Agreement" in asked.value.field_errors["mca"]
    assert set(incomplete.value.field_errors) == {"mca_email"}
    assert outcome.kind == "placed"
    assert [s["quantity"] for s in sandbox_subscriptions(sandbox, shop.customer_id)] == [2]
    records = sandbox.state.table("auditRecords").values()  # in the order they happened
    operations = [r["operationType"] for r in records if r["customerId"] == shop.customer_id]
    assert operations.index("create_agreement") < operations.index("create_order")


async def test_a_customer_request_for_approval_records_the_agreement_first(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings(approvals=True)
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, accept_mca=False)
    outcome = await ordering.place_order(
        actor=shop.customer.principal,
        organization_id=shop.organization_id,
        form=order_form() | _acceptance(),
    )

    assert outcome.kind == "approval"
    assert _agreement_in(sandbox, shop.customer_id) is not None
    broker_settings()
