"""An organization's subscription list, a subscription's history, the broker's own sales prices
of a subscription (Edit sales price), and its add-ons (Manage add-ons)."""

from __future__ import annotations

from o365portal.services.subscriptions._addons import (
    AddonOption,
    AddonPreview,
    AddonsView,
    BrokerAddonOption,
    add_addon,
    addon_options,
    preview_addon,
)
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
    "AddonOption",
    "AddonPreview",
    "AddonsView",
    "BrokerAddonOption",
    "HistoryLine",
    "PriceForm",
    "PricePeriod",
    "SalesPriceView",
    "SavedSalesPrice",
    "SubscriptionList",
    "SubscriptionRow",
    "add_addon",
    "addon_options",
    "list_subscriptions",
    "preview_addon",
    "sales_price",
    "set_sales_price",
    "subscription_history",
]
