"""Organisation -> Microsoft 365 CSP Direct -> Subscriptions -> Add subscription.

Category, billing cycle and product group narrow the products at once; a product's description
opens from its info button (tap or click). The price follows the quantity; brokers also see
cost and margin. Provision now, or on a future date (new subscriptions only).
"""

from __future__ import annotations

import reflex as rx

from o365portal.ui import styles
from o365portal.ui.components.forms import field_error, field_label
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.ordering_fields import choice_select, value_line
from o365portal.ui.pages.add_subscription_state import AddSubscriptionState as S


def _choices() -> rx.Component:
    return rx.grid(
        choice_select(
            "Category",
            "category",
            S.categories,
            value=S.category,
            on_change=S.set_category,
            errors=S.errors,
        ),
        choice_select(
            "Billing cycle",
            "billing_cycle",
            S.cycle_options,
            value=S.billing_cycle,
            on_change=S.set_billing_cycle,
            errors=S.errors,
            pairs=True,
        ),
        choice_select(
            "Product group",
            "product_group",
            S.groups,
            value=S.product_group,
            on_change=S.set_product_group,
            errors=S.errors,
        ),
        columns=rx.breakpoints(initial="1", sm="3"),
        spacing="3",
        width="100%",
    )


def _about(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(
                rx.icon("info", size=16),
                variant="ghost",
                type="button",
                aria_label="About " + row["title"],
            ),
        ),
        rx.popover.content(rx.text(row["description"], size="2"), max_width="20rem"),
    )


def _product(row: rx.Var[dict[str, str]]) -> rx.Component:
    chosen = S.item == row["key"]
    return rx.hstack(
        rx.button(
            rx.vstack(
                rx.text(row["title"], weight="medium", align="left"),
                rx.text(row["term_label"], " term · billed ", row["cycle_label"], size="1"),
                spacing="0",
                align="start",
            ),
            variant=rx.cond(chosen, "solid", "surface"),
            on_click=S.choose(row["key"]),
            title=row["description"],
            aria_pressed=rx.cond(chosen, "true", "false"),
            type="button",
            height="auto",
            padding="0.6rem 0.8rem",
            justify="start",
            flex="1",
        ),
        _about(row),
        width="100%",
        align="center",
    )


def _products() -> rx.Component:
    return rx.vstack(
        field_label("Product", "item"),
        rx.cond(
            S.products.length() > 0,
            rx.grid(
                rx.foreach(S.products, _product),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="2",
                width="100%",
            ),
            rx.text("No products match these choices.", color=styles.MUTED, size="2"),
        ),
        field_error(S.errors, "item"),
        field_error(S.errors, "billing_cycle"),
        spacing="2",
        width="100%",
    )


def _input(
    label: str, name: str, value: rx.Var[str], on_change: object, **props: object
) -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        rx.input(
            id=name,
            name=name,
            value=value,
            on_change=on_change,
            size="3",
            width="100%",
            aria_invalid=rx.cond(S.errors.contains(name), "true", "false"),
            **props,
        ),
        field_error(S.errors, name),
        spacing="1",
        width="100%",
    )


def _when() -> rx.Component:
    return rx.vstack(
        field_label("Provisioning", "when"),
        rx.segmented_control.root(
            rx.segmented_control.item("Now", value="now"),
            rx.segmented_control.item("On a future date", value="later"),
            value=S.when,
            on_change=S.set_when,
            id="when",
            width="100%",
        ),
        rx.cond(
            S.when == "later",
            _input(
                "Provisioning date",
                "go_live_date",
                S.go_live_date,
                S.set_go_live_date,
                type="date",
                min=S.earliest_date,
            ),
        ),
        rx.text(
            "A future date is for new subscriptions only; the price is the one in force "
            "on that day.",
            size="1",
            color=styles.MUTED,
        ),
        spacing="2",
        width="100%",
    )


def _details() -> rx.Component:
    return rx.grid(
        _input(
            "Quantity",
            "quantity",
            S.quantity,
            S.set_quantity,
            type="number",
            min=S.selected["min_quantity"],
            max=S.selected["max_quantity"],
        ),
        _input(
            "Friendly name (optional)",
            "friendly_name",
            S.friendly_name,
            S.set_friendly_name,
            placeholder=S.selected["title"],
        ),
        _input("PO number (optional)", "po_number", S.po_number, S.set_po_number),
        _when(),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )


def _price() -> rx.Component:
    q = S.quote
    return rx.card(
        rx.vstack(
            rx.cond(
                q.contains("total"),
                rx.vstack(
                    value_line("Price per seat", q["unit_price"] + " " + q["currency"]),
                    value_line(
                        "Total for " + S.quantity + " seats", q["total"] + " " + q["currency"]
                    ),
                    rx.cond(
                        q.contains("unit_cost"),
                        value_line("Cost per seat", q["unit_cost"] + " " + q["currency"]),
                    ),
                    rx.cond(q.contains("margin"), value_line("Margin %", q["margin"])),
                    width="100%",
                    spacing="1",
                ),
                rx.text(
                    rx.cond(
                        S.price_message != "", S.price_message, "Choose a product to see its price."
                    ),
                    size="2",
                    color=styles.MUTED,
                ),
            ),
            rx.button(
                rx.cond(S.show_details, "Hide details", "Show details"),
                variant="ghost",
                size="1",
                type="button",
                on_click=S.toggle_details,
                disabled=S.item == "",
            ),
            rx.cond(
                S.show_details & (S.item != ""),
                rx.vstack(
                    value_line("Item code", S.selected["catalog_item_id"]),
                    value_line("Term", S.selected["term_label"]),
                    value_line("Billing cycle", S.selected["cycle_label"]),
                    value_line(
                        "Subscription period", S.selected["term_label"] + ", renews at the end"
                    ),
                    width="100%",
                    spacing="1",
                ),
            ),
            width="100%",
            spacing="2",
        ),
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.approvals_apply,
            rx.callout(
                "Your broker approves orders: this one will wait for their decision.",
                icon="info",
                color_scheme="blue",
            ),
        ),
        _choices(),
        _products(),
        _details(),
        _price(),
        rx.hstack(
            rx.link(
                rx.button("Cancel", variant="soft", color_scheme="gray", type="button"),
                href=S.list_url,
            ),
            rx.button(
                rx.cond(S.when == "later", "Schedule order", "Order now"),
                size="3",
                loading=S.placing,
                disabled=S.item == "",
                on_click=S.place,
            ),
            justify="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def add_subscription_page() -> rx.Component:
    """The add-subscription form, or a not-found message."""
    return page_shell(
        "Add subscription",
        rx.cond(
            S.missing,
            rx.callout(
                "This organization does not exist or you do not have access to it.",
                icon="circle-alert",
                color_scheme="orange",
                role="alert",
            ),
            _form(),
        ),
    )
