"""What an approval request asks for: product, seats, terms, price and total (cost and margin
only when the row has them, i.e. a broker's `BrokerRequestView`). Used by the request cards and
the decision dialog."""

from __future__ import annotations

import reflex as rx

from o365portal.services import ordering


def _item(label: str, value: rx.Var[str] | str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label, min_width="7.5rem"),
        rx.data_list.value(value),
        align="center",
    )


def _costs(row: rx.Var[ordering.RequestView]) -> rx.Component:
    """Cost and margin of a broker's row (a customer's row has no such fields to show)."""
    broker = row.to(ordering.BrokerRequestView)
    return rx.cond(
        row.contains("unit_cost") & (row.unit_price != ""),
        rx.fragment(
            _item("Cost per seat", broker.unit_cost),
            _item("Margin", broker.margin),
        ),
    )


def request_details(row: rx.Var[ordering.RequestView]) -> rx.Component:
    """The request's facts as label/value lines; the price only while it is pending."""
    return rx.cond(
        row.kind == "order",
        _order_details(row),
        rx.data_list.root(
            _item("Subscription", row.friendly_name),
            _item("Change", row.summary),
            orientation="horizontal",
            size="2",
            gap="0.3rem",
        ),
    )


def _order_details(row: rx.Var[ordering.RequestView]) -> rx.Component:
    return rx.data_list.root(
        _item("Product", row.product),
        rx.cond(row.friendly_name != row.product, _item("Name", row.friendly_name)),
        _item("Seats", row.quantity),
        _item("Term", row.term),
        _item("Billing", row.billing_cycle),
        rx.cond(row.po_number != "", _item("PO number", row.po_number)),
        rx.cond(row.go_live_date != "", _item("Goes live", row.go_live_date)),
        rx.cond(
            row.unit_price != "",
            rx.fragment(
                _item("Price per seat", row.unit_price + " " + row.currency),
                _item("Total", row.total + " " + row.currency),
            ),
        ),
        rx.cond(row.price_note != "", _item("Price", row.price_note)),
        _costs(row),
        orientation="horizontal",
        size="2",
        gap="0.3rem",
    )


def request_status(row: rx.Var[ordering.RequestView]) -> rx.Component:
    """Waiting (blue) or Rejected (red), with the broker's comment on a rejection."""
    colour = rx.match(row.status, ("rejected", "red"), ("pending", "blue"), "gray")
    return rx.vstack(
        rx.badge(row.status_label, color_scheme=colour, variant="soft"),
        rx.cond(
            (row.status == "rejected") & (row.comment != ""),
            rx.text("Broker's comment: ", row.comment, size="2"),
        ),
        spacing="1",
    )
