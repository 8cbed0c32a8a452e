"""What an approval request asks for: product, seats, terms, price and total (cost and margin
only when the row has them, i.e. for brokers). Used by the request cards and the decision dialog."""

from __future__ import annotations

import reflex as rx


def _item(label: str, value: rx.Var[str] | str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label, min_width="7.5rem"),
        rx.data_list.value(value),
        align="center",
    )


def _money(row: rx.Var[dict[str, str]], key: str) -> rx.Var[str]:
    return row[key] + " " + row["currency"]


def request_details(row: rx.Var[dict[str, str]]) -> rx.Component:
    """The request's facts as label/value lines; the price only while it is pending."""
    return rx.data_list.root(
        _item("Product", row["product"]),
        rx.cond(row["friendly_name"] != row["product"], _item("Name", row["friendly_name"])),
        _item("Seats", row["quantity"]),
        _item("Term", row["term"]),
        _item("Billing", row["billing_cycle"]),
        rx.cond(row["po_number"] != "", _item("PO number", row["po_number"])),
        rx.cond(row["go_live_date"] != "", _item("Goes live", row["go_live_date"])),
        rx.cond(
            row["unit_price"] != "",
            rx.fragment(
                _item("Price per seat", _money(row, "unit_price")),
                _item("Total", _money(row, "total")),
            ),
        ),
        rx.cond(row["price_note"] != "", _item("Price", row["price_note"])),
        rx.cond(
            row.contains("unit_cost") & (row["unit_price"] != ""),
            rx.fragment(
                _item("Cost per seat", row["unit_cost"]),
                _item("Margin", row["margin"]),
            ),
        ),
        orientation="horizontal",
        size="2",
        gap="0.3rem",
    )


def request_status(row: rx.Var[dict[str, str]]) -> rx.Component:
    """Waiting (blue) or Rejected (red), with the broker's comment on a rejection."""
    colour = rx.match(row["status"], ("rejected", "red"), ("pending", "blue"), "gray")
    return rx.vstack(
        rx.badge(row["status_label"], color_scheme=colour, variant="soft"),
        rx.cond(
            (row["status"] == "rejected") & (row["comment"] != ""),
            rx.text("Broker's comment: ", row["comment"], size="2"),
        ),
        spacing="1",
    )
