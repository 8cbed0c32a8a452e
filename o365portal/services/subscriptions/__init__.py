"""An organization's subscription list, a subscription's history, and the broker's own sales
prices of a subscription (Edit sales price)."""

from __future__ import annotations

from o365portal.services.subscriptions._list import (
    HistoryLine,
    SubscriptionList,
    SubscriptionRow,
    list_subscriptions,
    subscription_history,
)
from o365portal.services.subscriptions._price import (
    PricePeriod,
    SalesPriceView,
    SavedSalesPrice,
    sales_price,
    set_sales_price,
)
from o365portal.services.subscriptions._price_input import PriceForm

__all__ = [
    "HistoryLine",
    "PriceForm",
    "PricePeriod",
    "SalesPriceView",
    "SavedSalesPrice",
    "SubscriptionList",
    "SubscriptionRow",
    "list_subscriptions",
    "sales_price",
    "set_sales_price",
    "subscription_history",
]
