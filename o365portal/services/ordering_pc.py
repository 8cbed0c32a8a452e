"""The Partner Center half of buying a subscription: cart, checkout, wait, read the result.

Two ways in. `purchase_now()` is `pc.orders.purchase` (cart + checkout in one operation; a lost
answer is replayed by request id, so a retry never buys twice). `checkout_cart()` checks out a
cart the caller created and stored earlier: Partner Center answers a second checkout of the same
cart with the first one's orders, which makes a scheduled order safe across crashes and workers.
Both then wait until the order is provisioned and return the new subscription. Partner Center's
errors become one `PurchaseFailed` whose text a person can act on.
"""

from __future__ import annotations

import asyncio

from o365portal.partner_center import (
    OperationInProgress,
    PartnerCenterClient,
    PartnerCenterError,
    RejectedError,
)
from o365portal.partner_center.models import (
    CartCheckoutResult,
    CartLineItem,
    Order,
    OrderStatus,
)
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.services.errors import ServiceError
from o365portal.services.price_store import CatalogItemRef

POLL_SECONDS = 2.0
POLL_ATTEMPTS = 60  # provisioning takes seconds; give up after about two minutes
_IN_PROGRESS_RETRIES = 5


class PurchaseFailed(ServiceError):
    """Partner Center refused or could not take the order; `retryable` if trying later may work."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def cart_line(ref: CatalogItemRef, quantity: int, friendly_name: str) -> CartLineItem:
    """The one cart line of a new subscription."""
    return CartLineItem(
        catalog_item_id=f"{ref.product_id}:{ref.sku_id}:{ref.availability_id}",
        quantity=quantity,
        term_duration=ref.term,
        billing_cycle=ref.billing_cycle,
        friendly_name=friendly_name or None,
    )


def _failure(error: PartnerCenterError) -> PurchaseFailed:
    if isinstance(error, RejectedError):
        return PurchaseFailed(f"Partner Center refused the order: {error.description}")
    return PurchaseFailed(
        "Partner Center could not be reached, so nothing was bought. Please try again later.",
        retryable=True,
    )


async def purchase_now(
    pc: PartnerCenterClient, customer_id: str, line: CartLineItem
) -> tuple[Order, PcSubscription]:
    """Buy one line now; return the completed order and the new subscription."""
    try:
        result = await pc.orders.purchase(customer_id, [line])
        return await _provisioned(pc, customer_id, result)
    except PartnerCenterError as error:
        raise _failure(error) from error


async def create_cart(pc: PartnerCenterClient, customer_id: str, line: CartLineItem) -> str:
    """Create (not check out) a cart with one line; its id."""
    try:
        cart = await pc.orders.create_cart(customer_id, [line])
    except PartnerCenterError as error:
        raise _failure(error) from error
    if cart.id is None:
        raise PurchaseFailed("Partner Center created a cart without an id.", retryable=True)
    return cart.id


async def checkout_cart(
    pc: PartnerCenterClient, customer_id: str, cart_id: str
) -> tuple[Order, PcSubscription]:
    """Check out a stored cart (again, if an earlier try died) and wait for its subscription."""
    try:
        result = await _checkout(pc, customer_id, cart_id)
        return await _provisioned(pc, customer_id, result)
    except PartnerCenterError as error:
        raise _failure(error) from error


async def _checkout(pc: PartnerCenterClient, customer_id: str, cart_id: str) -> CartCheckoutResult:
    for _ in range(_IN_PROGRESS_RETRIES):
        try:
            return await pc.orders.checkout(customer_id, cart_id)
        except OperationInProgress:
            await asyncio.sleep(POLL_SECONDS)
    return await pc.orders.checkout(customer_id, cart_id)


async def _provisioned(
    pc: PartnerCenterClient, customer_id: str, result: CartCheckoutResult
) -> tuple[Order, PcSubscription]:
    if result.order_errors or len(result.orders) != 1 or result.orders[0].id is None:
        reasons = "; ".join(e.description or str(e.code) for e in result.order_errors)
        raise PurchaseFailed(f"Partner Center did not accept the order: {reasons or 'no order'}")
    order = await pc.orders.wait_until_completed(
        customer_id, result.orders[0].id, interval=POLL_SECONDS, attempts=POLL_ATTEMPTS
    )
    subscription_id = order.line_items[0].subscription_id if order.line_items else None
    if order.status != OrderStatus.COMPLETED or subscription_id is None:
        raise PurchaseFailed(
            f"Partner Center accepted order {order.id} but has not provisioned it "
            f"(status {order.status}); it will appear once Partner Center completes it.",
            retryable=True,
        )
    return order, await pc.subscriptions.get(customer_id, subscription_id)
