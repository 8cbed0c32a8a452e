"""Organisation -> Microsoft 365 CSP Direct -> Subscriptions -> Add subscription.

Category, billing cycle and product group narrow the products at once; a product's description
opens from its info button (tap or click). The price follows the quantity; brokers also see
cost and margin. Provision now, or on a future date (new subscriptions only). A customer that
has not accepted the Microsoft Customer Agreement is asked for it here, before ordering.
"""

from __future__ import annotations

import reflex as rx

from o365portal.ui import routes, styles
from o365portal.ui.components.forms import field_error, field_label, form_errors
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.notices import organization_not_found
from o365portal.ui.ordering.add_subscription_parts import price_panel, products
from o365portal.ui.ordering.add_subscription_state import AddSubscriptionState as S
from o365portal.ui.ordering.ordering_fields import choice_select
from o365portal.ui.tenants.agreement_fields import agreement_fields


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
                max=S.latest_date,
            ),
        ),
        rx.text(
            "A future date is for new subscriptions only, up to a year ahead; the price is the "
            "one in force on that day (today's date orders at once).",
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
            min=S.selected.min_quantity,
            max=S.selected.max_quantity,
        ),
        _input(
            "Friendly name (optional)",
            "friendly_name",
            S.friendly_name,
            S.set_friendly_name,
            placeholder=S.selected.title,
        ),
        _input("PO number (optional)", "po_number", S.po_number, S.set_po_number),
        _when(),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )


def _agreement() -> rx.Component:
    return rx.cond(
        S.mca_needed,
        rx.card(
            rx.vstack(
                rx.heading("Microsoft Customer Agreement", size="3"),
                rx.text(
                    "The customer has not accepted the Microsoft Customer Agreement yet, and "
                    "Microsoft accepts orders only once it has. Say who accepted it and when: "
                    "ordering records the acceptance first.",
                    size="2",
                ),
                agreement_fields(S, S.errors),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.cond(
            ~S.has_tenant,
            rx.callout(
                "This organization has no Microsoft 365 tenant yet: add or link one under "
                "Microsoft 365 CSP Direct first.",
                icon="circle-alert",
                color_scheme="orange",
                role="alert",
            ),
        ),
        rx.cond(
            S.approvals_apply,
            rx.callout(
                "Your broker approves orders: this one will wait for their decision.",
                icon="info",
                color_scheme="blue",
            ),
        ),
        _choices(),
        products(),
        _details(),
        price_panel(),
        _agreement(),
        form_errors(S.other_errors),
        rx.hstack(
            rx.link(
                rx.button("Cancel", variant="soft", color_scheme="gray", type="button"),
                href=S.list_url,
            ),
            rx.button(
                rx.cond(S.schedules, "Schedule order", "Order now"),
                size="3",
                loading=S.placing,
                disabled=(S.item == "") | ~S.has_tenant,
                on_click=S.place,
            ),
            justify="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


@routes.page(routes.ADD_SUBSCRIPTION, S.load)
def add_subscription_page() -> rx.Component:
    """The add-subscription form, or a not-found message."""
    return page_shell(
        "Add subscription",
        rx.cond(
            S.missing,
            organization_not_found(),
            _form(),
        ),
    )
