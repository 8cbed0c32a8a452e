"""Parts of the add-subscription page: the product list and the price panel."""

from __future__ import annotations

import reflex as rx

from o365portal.services import ordering
from o365portal.ui import styles
from o365portal.ui.components.forms import field_error, field_label
from o365portal.ui.components.info import info_popover
from o365portal.ui.ordering.add_subscription_state import AddSubscriptionState as S
from o365portal.ui.ordering.ordering_fields import value_line


def _about(row: rx.Var[ordering.CatalogChoice]) -> rx.Component:
    return info_popover(row.title, rx.text(row.description, size="2"))


def _product(row: rx.Var[ordering.CatalogChoice]) -> rx.Component:
    chosen = S.item == row.key
    return rx.hstack(
        rx.button(
            rx.vstack(
                rx.text(row.title, weight="medium", align="left"),
                rx.text(row.term_label, " term · billed ", row.cycle_label, size="1"),
                spacing="0",
                align="start",
            ),
            variant=rx.cond(chosen, "solid", "surface"),
            on_click=S.choose(row.key),
            title=row.description,
            aria_pressed=rx.cond(chosen, "true", "false"),
            type="button",
            height="auto",
            padding="0.6rem 0.8rem",
            justify_content="flex-start",
            text_align="left",
            flex="1",
        ),
        _about(row),
        width="100%",
        align="center",
    )


def products() -> rx.Component:
    """The products that follow the choices, each with its description behind an info button."""
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


def _costs(quote: rx.Var[ordering.QuoteView]) -> rx.Component:
    """Cost and margin of a broker's quote (a customer's quote has no such fields to show)."""
    broker = quote.to(ordering.BrokerQuoteView)
    return rx.cond(
        quote.contains("unit_cost"),
        rx.fragment(
            value_line("Cost per seat", broker.unit_cost),
            value_line("Margin", broker.margin),
        ),
    )


def price_panel() -> rx.Component:
    """Price per seat and total; cost and margin when the quote has them; the item's details."""
    q = S.quote
    return rx.card(
        rx.vstack(
            rx.cond(
                q,
                rx.vstack(
                    value_line("Price per seat", q.unit_price + " " + q.currency),
                    value_line("Total for " + q.seats, q.total + " " + q.currency),
                    _costs(q),
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
                    value_line("Item code", S.selected.catalog_item_id),
                    value_line("Term", S.selected.term_label),
                    value_line("Billing cycle", S.selected.cycle_label),
                    value_line(
                        "Subscription period", S.selected.term_label + ", renews at the end"
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
