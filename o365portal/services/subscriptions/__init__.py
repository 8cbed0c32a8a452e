"""An organization's subscription list and a subscription's history."""

from __future__ import annotations

from o365portal.services.subscriptions._list import (
    SubscriptionList,
    list_subscriptions,
    subscription_history,
)

__all__ = [
    "SubscriptionList",
    "list_subscriptions",
    "subscription_history",
]
