"""Add subscription: order now, on a go-live date, or as a request the broker approves; the
jobs that place scheduled orders and complete provisioning."""

from __future__ import annotations

from o365portal.services.ordering._approval_views import BrokerRequestView, RequestView
from o365portal.services.ordering._approvals import cancel, list_requests, pending_approvals, reject
from o365portal.services.ordering._approve import approve
from o365portal.services.ordering._input import (
    CatalogChoice,
    OrderInput,
    OrderOutcome,
    cycle_label,
    seats_label,
)
from o365portal.services.ordering._place import order_options, place_order, quote_order
from o365portal.services.ordering._price_words import BrokerQuoteView, QuoteView
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.ordering._rules import check_go_live_date, latest_go_live_date
from o365portal.services.ordering._scheduled import place_due_orders
from o365portal.services.ordering._scheduling import cancel_scheduled_order

__all__ = [
    "BrokerQuoteView",
    "BrokerRequestView",
    "CatalogChoice",
    "OrderInput",
    "OrderOutcome",
    "QuoteView",
    "RequestView",
    "approve",
    "cancel",
    "cancel_scheduled_order",
    "check_go_live_date",
    "complete_provisioning",
    "cycle_label",
    "latest_go_live_date",
    "list_requests",
    "order_options",
    "pending_approvals",
    "place_due_orders",
    "place_order",
    "quote_order",
    "reject",
    "seats_label",
]
