"""Subscriptions (reference §7): list, get and PATCH. Partner Center wants the WHOLE resource in
a PATCH (a partial body turns auto-renew off and drops scheduled changes), so every change
below reads the subscription, changes one thing and sends it all back."""

from __future__ import annotations

from typing import Any

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.models.base import Collection, parse_json
from o365portal.partner_center.models.subscriptions import (
    ScheduledNextTermInstructions,
    Subscription,
    SubscriptionStatus,
)


class SubscriptionsArea(Area):
    """`client.subscriptions`: a customer's subscriptions and every change to them."""

    async def list(self, customer_id: str, *, order_id: str | None = None) -> list[Subscription]:
        """All subscriptions of a customer (or of one order); one response, no paging."""
        params = {"order_id": order_id} if order_id else None
        path = f"/v1/customers/{customer_id}/subscriptions"
        return (await self._get(path, Collection[Subscription], params=params)).items

    async def get(self, customer_id: str, subscription_id: str) -> Subscription:
        """One subscription, with refundable seats and scheduled next-term changes."""
        path = f"/v1/customers/{customer_id}/subscriptions/{subscription_id}"
        return await self._get(path, Subscription)

    async def update(self, customer_id: str, subscription: Subscription) -> Subscription:
        """PATCH the full subscription; a 202 (change still running) is answered by a GET."""
        path = f"/v1/customers/{customer_id}/subscriptions/{subscription.id}"
        headers = {"If-Match": _quoted(subscription.etag)} if subscription.etag else None
        response = await self._pipeline.request(
            "PATCH", path, json=subscription.to_wire(), kind=self.kind, headers=headers
        )
        if response.status_code == 202 or not response.content.strip():
            return await self.get(customer_id, subscription.id)
        return Subscription.model_validate(parse_json(response.content))

    async def change(self, customer_id: str, subscription_id: str, **changes: Any) -> Subscription:
        """Read, apply `changes` (model field names), PATCH back."""
        current = await self.get(customer_id, subscription_id)
        return await self.update(customer_id, current.model_copy(update=changes))

    async def set_quantity(
        self, customer_id: str, subscription_id: str, quantity: int
    ) -> Subscription:
        """Change the seat count (reductions only within each seat lot's window)."""
        return await self.change(customer_id, subscription_id, quantity=quantity)

    async def rename(self, customer_id: str, subscription_id: str, name: str) -> Subscription:
        """Change the friendly name."""
        return await self.change(customer_id, subscription_id, friendly_name=name)

    async def suspend(self, customer_id: str, subscription_id: str) -> Subscription:
        """Suspend (NCE: the partner stays billed; auto-renew and scheduled changes go)."""
        return await self.change(
            customer_id,
            subscription_id,
            status=SubscriptionStatus.SUSPENDED,
            scheduled_next_term_instructions=None,
        )

    async def activate(self, customer_id: str, subscription_id: str) -> Subscription:
        """Reactivate a suspended subscription."""
        return await self.change(customer_id, subscription_id, status=SubscriptionStatus.ACTIVE)

    async def cancel(self, customer_id: str, subscription_id: str) -> Subscription:
        """Cancel (status `deleted`); NCE allows it only within the cancellation window."""
        return await self.change(
            customer_id,
            subscription_id,
            status=SubscriptionStatus.DELETED,
            scheduled_next_term_instructions=None,
        )

    async def set_auto_renew(
        self, customer_id: str, subscription_id: str, enabled: bool
    ) -> Subscription:
        """Turn auto-renewal on or off (off also drops the scheduled next-term changes)."""
        changes: dict[str, Any] = {"auto_renew_enabled": enabled}
        if not enabled:
            changes["scheduled_next_term_instructions"] = None
        return await self.change(customer_id, subscription_id, **changes)

    async def schedule_next_term(
        self,
        customer_id: str,
        subscription_id: str,
        instructions: ScheduledNextTermInstructions | None,
    ) -> Subscription:
        """Set (or with None, clear) the changes applied at renewal."""
        return await self.change(
            customer_id, subscription_id, scheduled_next_term_instructions=instructions
        )


def _quoted(etag: str) -> str:
    return etag if etag.startswith('"') else f'"{etag}"'
