"""Approvals end to end: a customer's order waits for the broker, who approves or rejects it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

import pytest
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.mail import OutboxMessage
from o365portal.services import clock, subscriptions
from o365portal.services.errors import InvalidInput, NotAllowed, ServiceError
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _approve as ordering_approvals
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._approval_views import BrokerRequestView
from o365portal.services.ordering._approvals import AlreadyDecided
from o365portal.services.ordering._provisioning import complete_provisioning
from tests.builders import new_customer
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    CHECKOUT,
    Shop,
    broker_settings,
    ensure_cost,
    fast_client,
    open_shop,
    order_form,
    sandbox_subscriptions,
)

pytestmark = pytest.mark.usefixtures("portal_env")


def _mail_to(address: str) -> list[str]:
    with session_scope() as session:
        query = select(OutboxMessage.subject).where(OutboxMessage.to_address == address)
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


async def _customer_asks(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> tuple[Shop, int]:
    broker_settings(approvals=True)
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    outcome = await ordering.place_order(
        actor=shop.customer.principal,
        organization_id=shop.organization_id,
        form=order_form(quantity=5, friendly_name="Front desk"),
    )
    assert outcome.kind == "approval"
    return shop, outcome.record_id


async def test_with_approvals_on_a_customer_order_waits_and_approval_places_it(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, request_id = await _customer_asks(sandbox, control)
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []
    waiting_for_brokers = approvals.pending_count(actor=shop.broker.principal)  # all brokers'
    assert approvals.pending_count(actor=shop.customer.principal) == 0
    [waiting] = approvals.list_requests(actor=shop.customer.principal)
    assert (
        waiting.summary == "5 × Microsoft 365 Business Basic (Front desk), 1 year, billed monthly"
    )
    assert _mail_to(shop.broker.email) == ["Approval needed: new subscription"]
    async with fast_client(sandbox) as pc:
        outcome = await ordering_approvals.approve(
            actor=shop.broker.principal, request_id=request_id, comment="Welcome aboard", pc=pc
        )
        with pytest.raises(AlreadyDecided):
            await ordering_approvals.approve(
                actor=shop.broker.principal, request_id=request_id, pc=pc
            )
    # the badge counted this request: approving it takes exactly one off
    assert approvals.pending_count(actor=shop.broker.principal) == waiting_for_brokers - 1
    assert outcome.kind == "placed"
    assert "waiting for Microsoft" in outcome.message  # approving does not wait for it
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert listed.requests == []
    assert [(r.friendly_name, r.status) for r in listed.subscriptions] == [
        ("Front desk", "Provisioning")
    ]
    assert _mail_to(shop.customer.email) == ["Your order was approved"]
    control.post("clock", {"advance": "PT11S"})
    async with fast_client(sandbox) as pc:
        assert outcome.record_id in await complete_provisioning(pc=pc)
    assert [s["quantity"] for s in sandbox_subscriptions(sandbox, shop.customer_id)] == [5]
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert [(r.friendly_name, r.status) for r in listed.subscriptions] == [("Front desk", "Active")]


CART_FAILS = {"route": "POST /v1/customers/*/carts", "fault": "error500", "count": 9}
CHECKOUT_REFUSED = {"route": CHECKOUT, "fault": "reject", "code": 800018}


@pytest.mark.parametrize(
    ("failure", "error", "mail"),
    [
        (CART_FAILS, "nothing was bought", []),
        (
            CHECKOUT_REFUSED,  # after the decision was recorded: undone, and the customer told
            "refused",
            ["Your order was approved", "Your approved order could not be placed"],
        ),
    ],
    ids=["cart-fails", "checkout-refused"],
)
async def test_a_failed_approval_leaves_the_request_pending(
    sandbox: PartnerCenterFake,
    control: PartnerCenterFake,
    failure: dict[str, object],
    error: str,
    mail: list[str],
) -> None:
    shop, request_id = await _customer_asks(sandbox, control)
    control.chaos(nextFailures=[failure])
    async with fast_client(sandbox) as pc:
        with pytest.raises(ServiceError, match=error):
            await ordering_approvals.approve(
                actor=shop.broker.principal, request_id=request_id, pc=pc
            )
    [still] = approvals.list_requests(actor=shop.customer.principal)
    assert (still.id, still.status) == (request_id, "pending")
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert listed.subscriptions == []
    assert _mail_to(shop.customer.email) == mail


async def test_a_rejection_needs_a_comment_and_tells_the_customer(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, request_id = await _customer_asks(sandbox, control)
    with pytest.raises(InvalidInput) as no_reason:
        approvals.reject(actor=shop.broker.principal, request_id=request_id, comment=" ")
    assert no_reason.value.field_errors == {"comment": "Say why, so the customer knows."}
    with pytest.raises(NotAllowed):
        approvals.reject(actor=shop.customer.principal, request_id=request_id, comment="no")
    approvals.reject(actor=shop.broker.principal, request_id=request_id, comment="Over budget")
    assert approvals.list_requests(actor=shop.customer.principal) == []
    [decided] = approvals.list_requests(actor=shop.customer.principal, pending_only=False)
    assert (decided.status, decided.comment) == ("rejected", "Over budget")
    assert _mail_to(shop.customer.email) == ["Your order was not approved"]
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []


async def test_only_the_customer_who_asked_can_cancel_a_pending_request(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, request_id = await _customer_asks(sandbox, control)
    colleague = new_customer(shop.organization_id)
    with pytest.raises(NotAllowed):
        approvals.cancel(actor=colleague.principal, request_id=request_id)
    approvals.cancel(actor=shop.customer.principal, request_id=request_id)
    assert (
        approvals.list_requests(actor=shop.broker.principal, organization_id=shop.organization_id)
        == []
    )
    assert _mail_to(shop.broker.email) == [
        "Approval needed: new subscription",
        "Approval request cancelled",
    ]
    with pytest.raises(AlreadyDecided):
        approvals.cancel(actor=shop.customer.principal, request_id=request_id)


async def test_brokers_order_at_once_even_with_approvals_on(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings(approvals=True)
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
        outcome = await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(),
            pc=pc,
        )
    assert outcome.kind == "placed"


async def test_a_request_shows_what_is_asked_and_cost_and_margin_only_to_brokers(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, request_id = await _customer_asks(sandbox, control)
    ensure_cost(BASIC_MONTHLY, "6.00")
    [theirs] = approvals.list_requests(actor=shop.customer.principal)
    [ours] = approvals.list_requests(
        actor=shop.broker.principal, organization_id=shop.organization_id
    )
    asked = {
        "id": request_id,
        "product": "Microsoft 365 Business Basic",
        "friendly_name": "Front desk",
        "quantity": "5",
        "term": "1 year",
        "billing_cycle": "Monthly",
        "unit_price": "7.50",
        "total": "37.50",
        "currency": "USD",
        "status_label": "Waiting for approval",
    }
    assert asked.items() <= asdict(theirs).items()
    assert not isinstance(theirs, BrokerRequestView)
    assert not {"unit_cost", "margin"} & set(asdict(theirs))
    assert asked.items() <= asdict(ours).items()
    assert isinstance(ours, BrokerRequestView)
    assert (ours.unit_cost, ours.margin) == ("6.00 USD", "20.00 %")
    [listed] = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    ).requests
    assert listed == theirs


async def test_a_rejected_request_stays_on_the_customers_list_for_thirty_days(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, request_id = await _customer_asks(sandbox, control)
    approvals.reject(actor=shop.broker.principal, request_id=request_id, comment="Over budget")
    args = {"actor": shop.customer.principal, "organization_id": shop.organization_id}
    [rejected] = subscriptions.list_subscriptions(**args).requests
    assert (rejected.status, rejected.status_label, rejected.comment) == (
        "rejected",
        "Rejected",
        "Over budget",
    )
    assert (rejected.product, rejected.unit_price) == ("Microsoft 365 Business Basic", "")
    try:
        clock.advance(timedelta(days=approvals.REJECTED_SHOWN_DAYS, hours=1))
        assert subscriptions.list_subscriptions(**args).requests == []
    finally:
        clock.set_offset(timedelta(0))
