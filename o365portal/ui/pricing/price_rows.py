"""The price editor's rows: a table on desktops and tablets, cards on phones.

Each row holds a small form (price input, hidden item key, Save) so a price is typed and saved
where the item is shown; the form is keyed by the item and its saved prices (today's and the
next), so a refused value stays as typed and a saved one is redrawn from the server.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import pricing
from o365portal.ui import styles

_HEADERS = ("Product", "Term", "Billing", "Cost", "Price", "Margin")


def _label(row: rx.Var[pricing.PriceRowView]) -> rx.Var[str]:
    return "Price of " + row.title + " " + row.term + " " + row.billing_cycle


def price_form(
    row: rx.Var[pricing.PriceRowView], errors: rx.Var[dict[str, str]], on_submit: rx.EventHandler
) -> rx.Component:
    """Price input and Save for one item, with the row's note and message below."""
    return rx.form(
        rx.hstack(
            rx.input(
                name="price",
                default_value=row.own_price,
                placeholder="Price",
                aria_label=_label(row),
                input_mode="decimal",
                width="7rem",
            ),
            rx.el.input(type="hidden", name="key", value=row.key),
            rx.button("Save", type="submit", variant="soft", aria_label="Save " + _label(row)),
            spacing="2",
            align="center",
        ),
        rx.cond(row.note != "", rx.text(row.note, size="1", color=styles.MUTED)),
        rx.cond(row.next != "", rx.text("Next: ", row.next, size="1", color=styles.MUTED)),
        rx.cond(
            errors.contains(row.key),
            rx.text(errors[row.key], size="1", color="var(--red-11)", role="alert"),
        ),
        on_submit=on_submit,
        key=row.form_key,
    )


def _margin(row: rx.Var[pricing.PriceRowView]) -> rx.Component:
    """The margin; red with a "Below cost" badge when the price is under Microsoft's cost."""
    return rx.cond(
        row.below_cost,
        rx.hstack(
            rx.text(row.margin, size="2", color="var(--red-11)", weight="bold"),
            rx.badge("Below cost", color_scheme="red"),
            spacing="1",
            align="center",
            wrap="wrap",
        ),
        rx.text(row.margin, size="2"),
    )


def _product(row: rx.Var[pricing.PriceRowView]) -> rx.Component:
    return rx.vstack(
        rx.text(row.title, weight="medium", size="2"),
        rx.text(
            row.category,
            " · ",
            row.product_group,
            " · ",
            row.product_id,
            ":",
            row.sku_id,
            size="1",
            color=styles.MUTED,
        ),
        spacing="0",
    )


def price_table(
    rows: rx.Var[list[pricing.PriceRowView]],
    errors: rx.Var[dict[str, str]],
    on_submit: rx.EventHandler,
) -> rx.Component:
    """The rows as a table (tablets and desktops)."""
    return rx.tablet_and_desktop(
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in _HEADERS])),
                rx.table.body(
                    rx.foreach(
                        rows,
                        lambda row: rx.table.row(
                            rx.table.row_header_cell(_product(row), min_width="16rem"),
                            rx.table.cell(row.term),
                            rx.table.cell(row.billing_cycle),
                            rx.table.cell(row.cost),
                            rx.table.cell(price_form(row, errors, on_submit)),
                            rx.table.cell(_margin(row), aria_label="Margin"),
                            align="center",
                        ),
                    )
                ),
                variant="surface",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        )
    )


def price_cards(
    rows: rx.Var[list[pricing.PriceRowView]],
    errors: rx.Var[dict[str, str]],
    on_submit: rx.EventHandler,
) -> rx.Component:
    """The rows as cards (phones)."""
    return rx.mobile_only(
        rx.vstack(
            rx.foreach(
                rows,
                lambda row: rx.card(
                    rx.vstack(
                        _product(row),
                        rx.text(row.term, " · billed ", row.billing_cycle, size="2"),
                        rx.hstack(
                            rx.text("Cost ", row.cost, size="2", color=styles.MUTED),
                            rx.hstack(
                                rx.text("Margin", size="2"),
                                _margin(row),
                                aria_label="Margin",
                                spacing="1",
                                align="center",
                            ),
                            spacing="4",
                        ),
                        price_form(row, errors, on_submit),
                        spacing="2",
                        width="100%",
                    ),
                    width="100%",
                ),
            ),
            width="100%",
        )
    )
