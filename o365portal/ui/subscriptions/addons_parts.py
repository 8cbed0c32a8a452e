"""Parts of the Manage add-ons dialog: one add-on's card, and the preview before adding it."""

from __future__ import annotations

from typing import Any

import reflex as rx

from o365portal.services import subscriptions
from o365portal.ui import styles
from o365portal.ui.components.info import info_popover


def _about(option: rx.Var[subscriptions.AddonOption]) -> rx.Component:
    """The add-on's information behind a button: a popover opens on click and on a tap."""
    return info_popover(
        option.title,
        rx.vstack(
            rx.text(option.title, weight="medium", size="2"),
            rx.text(option.description, size="2"),
            rx.text(
                option.catalog_item_id,
                " · ",
                option.term,
                " term · billed ",
                option.billing_cycle,
                size="1",
                color=styles.MUTED,
            ),
            spacing="1",
        ),
    )


def _costs(option: rx.Var[subscriptions.AddonOption]) -> rx.Component:
    """Cost and margin of a broker's option (a customer's option has no such fields)."""
    broker = option.to(subscriptions.BrokerAddonOption)
    return rx.cond(
        option.contains("unit_cost") & (option.unit_price != ""),
        rx.text(
            "Cost ", broker.unit_cost, " · Margin ", broker.margin, size="1", color=styles.MUTED
        ),
    )


def _price(option: rx.Var[subscriptions.AddonOption]) -> rx.Component:
    return rx.vstack(
        rx.cond(
            option.unit_price != "",
            rx.text(option.unit_price, " ", option.currency, " ", option.per, size="2"),
            rx.text(option.price_note, size="2", color=styles.MUTED),
        ),
        _costs(option),
        spacing="0",
    )


def _quantity(
    option: rx.Var[subscriptions.AddonOption], value: rx.Var[str], on_quantity: Any
) -> rx.Component:
    return rx.input(
        value=value,
        on_change=lambda typed: on_quantity(option.key, typed),
        type="number",
        input_mode="numeric",
        min=option.min_quantity,
        max=option.max_quantity,
        aria_label="Seats of " + option.title,
        width="6rem",
        size="2",
    )


def addon_card(
    option: rx.Var[subscriptions.AddonOption],
    quantity: rx.Var[str],
    row_errors: rx.Var[dict[str, str]],
    on_quantity: Any,
    on_ask: Any,
) -> rx.Component:
    """One add-on: title and information, price (cost and margin for brokers), the seats the
    tenant holds, and a quantity with Add."""
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.text(option.title, weight="medium"),
                    _about(option),
                    align="center",
                    spacing="1",
                ),
                _price(option),
                rx.cond(option.held != "", rx.badge(option.held, variant="soft")),
                spacing="1",
                flex="1",
            ),
            rx.hstack(
                rx.text("Seats", size="2", color=styles.MUTED, aria_hidden="true"),
                _quantity(option, quantity, on_quantity),
                rx.button(
                    "Add",
                    on_click=on_ask(option.key),
                    disabled=option.unit_price == "",
                    aria_label="Add " + option.title,
                ),
                align="center",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="0.75rem",
            align=rx.breakpoints(initial="start", sm="center"),
            width="100%",
        ),
        rx.cond(
            row_errors.contains(option.key),
            rx.text(row_errors[option.key], color="var(--red-11)", size="2", role="alert"),
        ),
        role="group",
        aria_label="Add-on " + option.title,
        width="100%",
    )


def preview_panel(
    preview: rx.Var[subscriptions.AddonPreview], adding: rx.Var[bool], *, on_back: Any, on_add: Any
) -> rx.Component:
    """What adding the add-on costs and commits to, with Back and the button that does it."""
    return rx.vstack(
        rx.text(preview.summary, weight="medium"),
        rx.text(
            preview.unit_price,
            " ",
            preview.currency,
            " per seat × ",
            preview.seats,
            size="2",
            color=styles.MUTED,
        ),
        rx.callout(preview.commitment, icon="info", size="1", width="100%"),
        rx.flex(
            rx.button("Back", variant="soft", color_scheme="gray", on_click=on_back),
            rx.button(
                rx.cond(preview.approval, "Send for approval", "Add add-on"),
                on_click=on_add,
                loading=adding,
            ),
            justify="end",
            gap="0.75rem",
            wrap="wrap",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )
