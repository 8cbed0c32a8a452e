"""An organization's subscription list, how the table arranges it, and a subscription's history."""

from __future__ import annotations

from o365portal.services.subscriptions._arrange import (
    SORTS,
    ShownLine,
    arrange_rows,
    status_choices,
)
from o365portal.services.subscriptions._list import (
    HistoryLine,
    SubscriptionList,
    SubscriptionRow,
    list_subscriptions,
    subscription_history,
)

__all__ = [
    "SORTS",
    "HistoryLine",
    "ShownLine",
    "SubscriptionList",
    "SubscriptionRow",
    "arrange_rows",
    "list_subscriptions",
    "status_choices",
    "subscription_history",
]
