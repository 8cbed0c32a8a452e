"""Add subscription against the sandbox: buying now, the broker's rules, faults, no cost leaks."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.enums import AllowedBillingCycles
from o365portal.db.tables.subscriptions import SeatLot
from o365portal.services import subscriptions
from o365portal.services.errors import InvalidInput, PartnerCenterRefused
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._price_words import BrokerQuoteView
from o365portal.services.ordering._provisioning import complete_provisioning
from tests.builders import new_broker, new_organization
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import (
    BASIC_ANNUAL,
    CHECKOUT,
    broker_settings,
    fast_client,
    open_shop,
    order_form,
    sandbox_subscriptions,
    timing_out_client,
)
from tests.services.pricing_support import new_catalog_item

pytestmark = pytest.mark.usefixtures("portal_env")

TOO_MANY = "At most 300 seats of this product can be ordered at once."
WHOLE_SEATS = "Whole seats only: enter a number without decimals, such as 2."


async def test_a_broker_orders_now_and_sees_the_subscription_with_price_lot_and_history(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, price="7.50")
        outcome = await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(quantity=3, friendly_name="Sales team", po_number="PO-17"),
            pc=pc,
        )
        assert outcome.kind == "placed"
        control.post("clock", {"advance": "PT11S"})  # Microsoft provisions it
        assert outcome.record_id in await complete_provisioning(pc=pc)
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    [row] = listed.subscriptions
    assert (row.friendly_name, row.po_number, row.quantity) == ("Sales team", "PO-17", "3")
    assert (row.price, row.status) == ("7.50 USD", "Active")
    [change] = subscriptions.subscription_history(
        actor=shop.customer.principal, subscription_id=outcome.record_id
    )
    assert (change.action, change.by, change.unit_price) == ("Order", "Bea Broker", "7.50 USD")
    with session_scope() as session:
        lots = session.exec(select(SeatLot).where(SeatLot.subscription_id == outcome.record_id))
        assert [lot.quantity for lot in lots] == [3]
    assert [s["quantity"] for s in sandbox_subscriptions(sandbox, shop.customer_id)] == [3]


async def test_only_the_cycles_the_broker_allows_are_offered_and_accepted(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    broker_settings(cycles=AllowedBillingCycles.MONTHLY)
    options = ordering.order_options(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert {choice.billing_cycle for choice in options.choices} == {"monthly"}
    with pytest.raises(InvalidInput) as refused:
        await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(BASIC_ANNUAL),
        )
    assert refused.value.field_errors == {
        "billing_cycle": "Billing annual is not offered; choose monthly."
    }
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "Enter at least 1 seat."),
        ({"quantity": "301"}, "quantity", TOO_MANY),
        ({"quantity": "9" * 20}, "quantity", TOO_MANY),
        ({"quantity": ""}, "quantity", "Enter a quantity."),
        ({"quantity": "1.5"}, "quantity", WHOLE_SEATS),
        ({"quantity": "2,5"}, "quantity", WHOLE_SEATS),
        ({"quantity": "five"}, "quantity", "Enter the number of seats as digits, such as 5."),
        ({"item": "nonsense"}, "item", "Choose a product."),
        ({"go_live_date": "2020-01-01"}, "go_live_date", "Choose today or a later date."),
    ],
)
async def test_bad_input_is_a_message_at_its_field_and_buys_nothing(
    sandbox: PartnerCenterFake,
    control: PartnerCenterFake,
    form: dict[str, str],
    field: str,
    message: str,
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    with pytest.raises(InvalidInput) as refused:
        await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form() | form,
        )
    assert refused.value.field_errors == {field: message}
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []


async def test_a_product_without_a_price_cannot_be_ordered(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    unpriced = new_catalog_item()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    with pytest.raises(InvalidInput) as refused:
        await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(unpriced),
        )
    assert refused.value.field_errors == {"item": "This product has no price yet; ask your broker."}


async def test_a_checkout_whose_answer_is_lost_still_makes_exactly_one_subscription(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    async with timing_out_client(sandbox) as pc:
        shop = await open_shop(pc)
        control.chaos(
            nextFailures=[{"route": CHECKOUT, "fault": "timeout", "count": 2}], hangSeconds=3
        )
        outcome = await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(quantity=4),
            pc=pc,
        )
    assert outcome.kind == "placed"
    orders = [
        o for o in sandbox.state.table("orders").values() if o["customerId"] == shop.customer_id
    ]
    assert [line["quantity"] for order in orders for line in order["lineItems"]] == [4]
    listed = subscriptions.list_subscriptions(
        actor=shop.broker.principal, organization_id=shop.organization_id
    )
    assert [row.quantity for row in listed.subscriptions] == ["4"]


async def test_a_refusal_by_partner_center_is_explained_and_leaves_nothing(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
        refusal = {"route": "POST /v1/customers/*/carts", "fault": "reject", "code": 800018}
        control.chaos(nextFailures=[refusal])
        with pytest.raises(PartnerCenterRefused, match="Partner Center refused the order"):
            await ordering.place_order(
                actor=shop.broker.principal,
                organization_id=shop.organization_id,
                form=order_form(),
                pc=pc,
            )
    listed = subscriptions.list_subscriptions(
        actor=shop.broker.principal, organization_id=shop.organization_id
    )
    assert listed.subscriptions == [] and listed.scheduled == [] and listed.requests == []
    assert sandbox_subscriptions(sandbox, shop.customer_id) == []


async def test_a_customer_gets_the_price_and_never_the_cost_or_margin(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, price="8.00")
    args = {"organization_id": shop.organization_id, "item": order_form()["item"], "quantity": 5}
    theirs = ordering.quote_order(actor=shop.customer.principal, **args)
    ours = ordering.quote_order(actor=shop.broker.principal, **args)
    assert (theirs.unit_price, theirs.total, theirs.seats) == ("8.00", "40.00", "5 seats")
    assert not isinstance(theirs, BrokerQuoteView)
    assert not hasattr(theirs, "unit_cost") and not hasattr(theirs, "margin")
    assert isinstance(ours, BrokerQuoteView)
    assert ours.unit_price == "8.00"


async def test_an_organization_without_a_tenant_is_told_before_anything_is_bought(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    broker = new_broker()
    organization = new_organization(broker.principal)
    options = ordering.order_options(actor=broker.principal, organization_id=organization.id)
    assert options.has_tenant is False
    with pytest.raises(ordering.NoTenant, match="no Microsoft 365 tenant yet"):
        await ordering.place_order(
            actor=broker.principal, organization_id=organization.id, form=order_form()
        )
