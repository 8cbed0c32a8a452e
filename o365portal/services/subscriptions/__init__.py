"""An organization's subscriptions: the list, each one's history and commitment ledger, the
changes NCE allows (quantity, cancel, suspend, activate, renewal) with their cost preview, the
broker's own sales prices of a subscription (Edit sales price), its add-ons (Manage add-ons), and
how the table arranges the list (search, filter, sort); the job round that finishes approved
changes a dead worker left half-done."""

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
from o365portal.services.subscriptions._approved import finish_approved_changes
from o365portal.services.subscriptions._arrange import (
    SORTS,
    ShownLine,
    TableLine,
    arrange_rows,
    page_of_lines,
    status_choices,
)
from o365portal.services.subscriptions._asking import ChangeOutcome
from o365portal.services.subscriptions._changes import (
    cancel_subscription,
    change_quantity,
    set_renewal,
    set_status,
)
from o365portal.services.subscriptions._history import HistoryLine, subscription_history
from o365portal.services.subscriptions._ledger import (
    Ledger,
    LotLine,
    commitment_ledger,
    commitment_ledgers,
)
from o365portal.services.subscriptions._list import (
    SubscriptionList,
    SubscriptionRow,
    list_subscriptions,
)
from o365portal.services.subscriptions._preview import BrokerChargeLine, ChargeLine
from o365portal.services.subscriptions._previews import (
    BrokerChangePreview,
    ChangePreview,
    parse_quantity,
    preview_cancel,
    preview_quantity,
    preview_status,
)
from o365portal.services.subscriptions._price import (
    PricePeriod,
    SalesPriceView,
    SavedSalesPrice,
    sales_price,
    set_sales_price,
)
from o365portal.services.subscriptions._price_input import PriceForm
from o365portal.services.subscriptions._renewal import (
    Choice,
    RenewalInput,
    RenewalSettings,
    preview_renewal,
    renewal_settings,
)
from o365portal.services.subscriptions._requests import approve_request, preview_request

__all__ = [
    "SORTS",
    "AddonOption",
    "AddonPreview",
    "AddonsView",
    "BrokerAddonOption",
    "BrokerChangePreview",
    "BrokerChargeLine",
    "ChangeOutcome",
    "ChangePreview",
    "ChargeLine",
    "Choice",
    "HistoryLine",
    "Ledger",
    "LotLine",
    "PriceForm",
    "PricePeriod",
    "RenewalInput",
    "RenewalSettings",
    "SalesPriceView",
    "SavedSalesPrice",
    "ShownLine",
    "SubscriptionList",
    "SubscriptionRow",
    "TableLine",
    "add_addon",
    "addon_options",
    "approve_request",
    "arrange_rows",
    "cancel_subscription",
    "change_quantity",
    "commitment_ledger",
    "commitment_ledgers",
    "finish_approved_changes",
    "list_subscriptions",
    "page_of_lines",
    "parse_quantity",
    "preview_addon",
    "preview_cancel",
    "preview_quantity",
    "preview_renewal",
    "preview_request",
    "preview_status",
    "renewal_settings",
    "sales_price",
    "set_renewal",
    "set_sales_price",
    "set_status",
    "status_choices",
    "subscription_history",
]
