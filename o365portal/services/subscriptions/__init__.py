"""An organization's subscription list and a subscription's history."""

from __future__ import annotations

from o365portal.services.subscriptions._list import (
    HistoryLine,
    SubscriptionList,
    SubscriptionRow,
    list_subscriptions,
    subscription_history,
)

__all__ = [
    "HistoryLine",
    "SubscriptionList",
    "SubscriptionRow",
    "list_subscriptions",
    "subscription_history",
]
