"""Carts and orders (reference §6): create a cart, check it out, and follow the orders.

`purchase()` is the safe way to buy: it creates the cart and checks it out inside one
`operation()` (one correlation id). Each call keeps its request id across retries, so a checkout
whose answer was lost is replayed by Partner Center instead of ordering twice; a checkout still
being processed (409 800064) is waited for and asked again, which returns the same orders.
"""

from __future__ import annotations

from collections.abc import Sequence

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.errors import OperationInProgress
from o365portal.partner_center.models.base import Collection
from o365portal.partner_center.models.orders import (
    Cart,
    CartCheckoutResult,
    CartLineItem,
    Order,
    OrderStatus,
)
from o365portal.partner_center.pipeline import Pipeline, operation
from o365portal.partner_center.rate_limit import Sleep

_CART_IN_PROGRESS = 800064
_FINAL_ORDER_STATUSES = {OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.ERROR}


class OrdersArea(Area):
    """`client.orders`: carts, checkout, purchase and orders."""

    def __init__(self, pipeline: Pipeline, sleep: Sleep) -> None:
        super().__init__(pipeline)
        self._sleep = sleep

    async def create_cart(self, customer_id: str, lines: Sequence[CartLineItem]) -> Cart:
        """Create a cart with numbered lines (ids 0..n-1)."""
        numbered = [line.model_copy(update={"id": n}) for n, line in enumerate(lines)]
        body = Cart(line_items=numbered).to_wire()
        return await self._send("POST", f"/v1/customers/{customer_id}/carts", Cart, body=body)

    async def get_cart(self, customer_id: str, cart_id: str) -> Cart:
        """One cart."""
        return await self._get(f"/v1/customers/{customer_id}/carts/{cart_id}", Cart)

    async def checkout(self, customer_id: str, cart_id: str) -> CartCheckoutResult:
        """Check a cart out: one order per order group, or errors per group."""
        path = f"/v1/customers/{customer_id}/carts/{cart_id}/checkout"
        return await self._send("POST", path, CartCheckoutResult)

    async def purchase(
        self,
        customer_id: str,
        lines: Sequence[CartLineItem],
        *,
        in_progress_retries: int = 5,
        in_progress_wait: float = 2.0,
    ) -> CartCheckoutResult:
        """Create a cart and check it out as one operation, safe to have timed out midway."""
        with operation():
            cart = await self.create_cart(customer_id, lines)
            assert cart.id is not None
            for _ in range(in_progress_retries):
                try:
                    return await self.checkout(customer_id, cart.id)
                except OperationInProgress as exc:
                    if exc.code != _CART_IN_PROGRESS:
                        raise
                    await self._sleep(in_progress_wait)
            return await self.checkout(customer_id, cart.id)

    async def get(self, customer_id: str, order_id: str) -> Order:
        """One order."""
        return await self._get(f"/v1/customers/{customer_id}/orders/{order_id}", Order)

    async def list(self, customer_id: str) -> list[Order]:
        """The customer's orders (one response, no paging)."""
        path = f"/v1/customers/{customer_id}/orders"
        return (await self._get(path, Collection[Order])).items

    async def wait_until_completed(
        self, customer_id: str, order_id: str, *, interval: float = 2.0, attempts: int = 60
    ) -> Order:
        """Poll an order until it is completed (or cancelled/failed); return its last state."""
        order = await self.get(customer_id, order_id)
        for _ in range(attempts):
            if order.status in _FINAL_ORDER_STATUSES:
                break
            await self._sleep(interval)
            order = await self.get(customer_id, order_id)
        return order
