"""The Partner Center half of buying a subscription: cart, checkout, and asking for the result.

`create_cart()` makes the cart, whose id the caller stores before `checkout_cart()` checks it
out: Partner Center answers a second checkout of the same cart with the first one's order, and
each call keeps its request id across retries, so a checkout whose answer was lost, or whose
worker died, is repeated without buying twice. Checkout returns as soon as Microsoft has
accepted the order; `provisioned()` asks, without waiting, whether Microsoft has provisioned it
yet. Partner Center's errors become the service errors `errors.translate` words; a checkout
without a usable order is a `PurchaseFailed`. A cart line Partner Center refuses (the line's
`error`, e.g. an add-on without an active base in the tenant, 400041) is refused at once, in
the rule's own words where we know them (`_LINE_WORDS`), before anything is recorded.
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
    Cart,
    CartCheckoutResult,
    CartLineItem,
    Order,
    OrderStatus,
)
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.services.errors import (
    PartnerCenterFailed,
    PartnerCenterRefused,
    ServiceError,
    translate,
)
from o365portal.services.pricing._store import CatalogItemRef

IN_PROGRESS_WAIT_SECONDS = 2.0
_IN_PROGRESS_RETRIES = 5
_NEVER_PROVISIONED = {OrderStatus.CANCELLED, OrderStatus.ERROR}
# Cart-line refusals said in the rule's words (reference §6.1); others quote Microsoft's text.
_LINE_WORDS = {
    400041: (
        "this add-on needs an active subscription in the tenant to a product it extends (its "
        "prerequisite), and Partner Center finds none (error 400041). Nothing was bought. Add "
        "it once that subscription is active (not still provisioning or suspended)"
    ),
}


class PurchaseFailed(PartnerCenterFailed):
    """The checkout produced no usable order; `retryable` if trying later may work."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def cart_line(ref: CatalogItemRef, quantity: int, friendly_name: str) -> CartLineItem:
    """The one cart line of a new subscription."""
    return CartLineItem(
        catalog_item_id=ref.catalog_item_id,
        quantity=quantity,
        term_duration=ref.term,
        billing_cycle=ref.billing_cycle,
        friendly_name=friendly_name or None,
    )


def _refused(code: object, description: str | None) -> PartnerCenterRefused:
    why = _LINE_WORDS.get(code) if isinstance(code, int) else None
    if why is None:
        why = f"{(description or f'error {code}').strip().rstrip('.')}. Nothing was bought"
    return PartnerCenterRefused(f"Microsoft Partner Center refused the order: {why}.")


def _failure(error: PartnerCenterError) -> ServiceError:
    if isinstance(error, RejectedError) and error.code in _LINE_WORDS:
        return _refused(error.code, error.description)
    return translate(error, action="the order", unchanged="nothing was bought")


def _line_refusal(cart: Cart) -> PartnerCenterRefused | None:
    for line in cart.line_items:
        if line.error is not None:
            return _refused(line.error.error_code, line.error.error_description)
    return None


async def create_cart(pc: PartnerCenterClient, customer_id: str, line: CartLineItem) -> str:
    """Create (not check out) a cart with one line; its id. A line Partner Center refuses
    raises PartnerCenterRefused (nothing was bought)."""
    try:
        cart = await pc.orders.create_cart(customer_id, [line])
    except PartnerCenterError as error:
        raise _failure(error) from error
    if refusal := _line_refusal(cart):
        raise refusal
    if cart.id is None:
        raise PurchaseFailed("Partner Center created a cart without an id.", retryable=True)
    return cart.id


async def checkout_cart(pc: PartnerCenterClient, customer_id: str, cart_id: str) -> Order:
    """Check out a stored cart (again, if an earlier try died); the order Microsoft accepted."""
    try:
        result = await _checkout(pc, customer_id, cart_id)
    except PartnerCenterError as error:
        raise _failure(error) from error
    if result.order_errors or len(result.orders) != 1 or result.orders[0].id is None:
        reasons = "; ".join(e.description or str(e.code) for e in result.order_errors)
        raise PurchaseFailed(f"Partner Center did not accept the order: {reasons or 'no order'}")
    return result.orders[0]


async def _checkout(pc: PartnerCenterClient, customer_id: str, cart_id: str) -> CartCheckoutResult:
    for _ in range(_IN_PROGRESS_RETRIES):
        try:
            return await pc.orders.checkout(customer_id, cart_id)
        except OperationInProgress:
            await asyncio.sleep(IN_PROGRESS_WAIT_SECONDS)
    return await pc.orders.checkout(customer_id, cart_id)


async def provisioned(
    pc: PartnerCenterClient, customer_id: str, order_id: str
) -> PcSubscription | None:
    """The order's new subscription once Microsoft has provisioned it; None while it hasn't."""
    try:
        order = await pc.orders.get(customer_id, order_id)
        if order.status in _NEVER_PROVISIONED:
            raise PurchaseFailed(f"Microsoft did not provision order {order_id} ({order.status}).")
        subscription_id = order.line_items[0].subscription_id if order.line_items else None
        if order.status != OrderStatus.COMPLETED or subscription_id is None:
            return None
        return await pc.subscriptions.get(customer_id, subscription_id)
    except PartnerCenterError as error:
        raise _failure(error) from error
