"""Orders and NCE subscription rules, end to end through the client and the sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from o365portal.partner_center import (
    CancellationWindowClosed,
    OperationInProgress,
    PartnerCenterClient,
    SeatReductionNotAllowed,
)
from o365portal.partner_center.models import (
    OrderStatus,
    ScheduledNextTermInstructions,
    ScheduledProduct,
    SubscriptionStatus,
)
from tests.integration.partner_center.builders import buy, catalog_item_id, create_customer, line
from tests.integration.partner_center.conftest import SandboxControl


async def test_a_purchase_becomes_a_completed_order_and_an_active_subscription(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id, quantity=5)
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.quantity == 5 and subscription.term_duration == "P1Y"
    assert subscription.auto_renew_enabled is True
    assert subscription.refundable_quantity is not None
    assert subscription.refundable_quantity.total_quantity == 5
    orders = await pc.orders.list(customer.id)
    assert [o.status for o in orders] == [OrderStatus.COMPLETED]
    assert orders[0].id == subscription.order_id
    listed = await pc.subscriptions.list(customer.id, order_id=subscription.order_id)
    assert [s.id for s in listed] == [subscription.id]


async def test_cancelling_within_168_hours_works(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id)
    control.advance("P6D")
    cancelled = await pc.subscriptions.cancel(customer.id, subscription.id)
    assert cancelled.status == SubscriptionStatus.DELETED


async def test_cancelling_after_168_hours_is_refused(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id)
    control.advance("P8D")
    with pytest.raises(CancellationWindowClosed) as caught:
        await pc.subscriptions.cancel(customer.id, subscription.id)
    assert caught.value.code == 900213
    assert (await pc.subscriptions.get(customer.id, subscription.id)).status == "active"


async def test_each_seat_addition_has_its_own_reduction_window(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id, quantity=5)
    control.advance("P3D")
    grown = await pc.subscriptions.set_quantity(customer.id, subscription.id, 8)
    assert grown.quantity == 8
    control.advance("P5D")
    current = await pc.subscriptions.get(customer.id, subscription.id)
    assert current.refundable_quantity is not None
    assert [lot.quantity for lot in current.refundable_quantity.details] == [3]
    shrunk = await pc.subscriptions.set_quantity(customer.id, subscription.id, 5)
    assert shrunk.quantity == 5
    with pytest.raises(SeatReductionNotAllowed) as caught:
        await pc.subscriptions.set_quantity(customer.id, subscription.id, 4)
    assert caught.value.code == 800090 and caught.value.status_code == 400


async def test_renaming_keeps_auto_renew_because_the_whole_resource_is_sent(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id)
    renamed = await pc.subscriptions.rename(customer.id, subscription.id, "Head office")
    assert renamed.friendly_name == "Head office" and renamed.auto_renew_enabled is True
    off = await pc.subscriptions.set_auto_renew(customer.id, subscription.id, False)
    assert off.auto_renew_enabled is False and off.friendly_name == "Head office"


async def test_a_suspended_subscription_stays_billed_and_can_be_reactivated(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id, quantity=4)
    suspended = await pc.subscriptions.suspend(customer.id, subscription.id)
    assert suspended.status == SubscriptionStatus.SUSPENDED
    assert suspended.auto_renew_enabled is False
    control.advance("P1M")
    charges = [
        line
        async for line in pc.billing.unbilled_line_items("USD")
        if line.subscription_id == subscription.id and line.charge_type == "cycleCharge"
    ]
    assert charges and charges[0].quantity == 4 and charges[0].unit_price
    active = await pc.subscriptions.activate(customer.id, subscription.id)
    assert active.status == SubscriptionStatus.ACTIVE


async def test_renewal_applies_the_scheduled_next_term_changes(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id, quantity=6, term="P1M")
    product_id, sku_id, availability_id = (subscription.offer_id or "").split(":")
    instructions = ScheduledNextTermInstructions(
        product=ScheduledProduct(
            product_id=product_id,
            sku_id=sku_id,
            availability_id=availability_id,
            billing_cycle="monthly",
            term_duration="P1M",
        ),
        quantity=2,
    )
    scheduled = await pc.subscriptions.schedule_next_term(
        customer.id, subscription.id, instructions
    )
    assert scheduled.scheduled_next_term_instructions is not None
    assert scheduled.scheduled_next_term_instructions.quantity == 2
    end = scheduled.commitment_end_date
    assert end is not None
    control.set_now(end + timedelta(days=2))
    renewed = await pc.subscriptions.get(customer.id, subscription.id)
    assert renewed.quantity == 2
    assert renewed.scheduled_next_term_instructions is None
    assert renewed.commitment_end_date is not None and renewed.commitment_end_date > end


async def test_changes_during_renewal_processing_are_told_to_retry_later(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id, term="P1M")
    end = subscription.commitment_end_date
    assert end is not None
    control.set_now(end.replace(hour=0, minute=0, second=0) + timedelta(days=1, minutes=10))
    with pytest.raises(OperationInProgress) as caught:
        await pc.subscriptions.rename(customer.id, subscription.id, "During renewal")
    assert caught.value.status_code == 409


async def test_a_cart_can_be_read_back_before_checkout(pc: PartnerCenterClient) -> None:
    customer = await create_customer(pc)
    assert customer.id
    item = await catalog_item_id(pc)
    cart = await pc.orders.create_cart(customer.id, [line(item, 2), line(item, 1)])
    assert cart.id and [li.quantity for li in cart.line_items] == [2, 1]
    again = await pc.orders.get_cart(customer.id, cart.id)
    assert again.status == "Active" and [li.id for li in again.line_items] == [0, 1]
    assert all(li.pricing and li.pricing.price for li in again.line_items)
    result = await pc.orders.checkout(customer.id, cart.id)
    assert len(result.orders) == 1 and len(result.orders[0].line_items) == 2
    assert (await pc.orders.get_cart(customer.id, cart.id)).status == "Ordered"
