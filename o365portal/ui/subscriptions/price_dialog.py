"""Actions -> Edit sales price (brokers only): a subscription's own price from a day.

The dialog shows the price charged today and where it comes from, what the price lists alone
would charge, and the subscription's own price periods (from, price, who, why); its form takes
the day the new price starts (the past too, from the subscription's start), the price in the
broker's number format and the reason. A refused field says why beside it; a saved price is
confirmed in a toast and the subscription list shows it (the service announces the change).
Customers never see the menu entry, and the service refuses them anyway.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import clock, subscriptions
from o365portal.services.principal import Principal
from o365portal.ui import styles
from o365portal.ui.components.dialogs import form_dialog
from o365portal.ui.components.forms import field_error, field_label
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class SalesPriceState(SessionState):
    """The Edit sales price dialog of the subscription list (one for the whole table)."""

    dialog_open: bool = False
    subscription_id: int = 0
    view: subscriptions.SalesPriceView | None = None
    today: str = ""
    errors: dict[str, str] = {}

    @rx.var
    def title(self) -> str:
        """The dialog's title, naming the subscription."""
        return f"Sales price of {self.view.friendly_name}" if self.view else "Sales price"

    @data_event
    def open_for(self, principal: Principal, subscription_id: int) -> None:
        """Actions -> Edit sales price: read the subscription's prices and open the dialog."""
        self.errors, self.subscription_id = {}, subscription_id
        self.view = subscriptions.sales_price(actor=principal, subscription_id=subscription_id)
        self.today, self.dialog_open = clock.today().isoformat(), True

    @rx.event
    def forget(self) -> None:
        """The page (re)loaded: the dialog starts closed, whatever this tab's state held."""
        self.dialog_open, self.view = False, None

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        """Close the dialog (Cancel, Escape, outside click)."""
        self.dialog_open = value

    @data_event
    def save(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec:
        """Set the price from the day typed; messages at the fields, the result in a toast."""
        self.errors = {}
        entered = subscriptions.PriceForm(
            effective_from=form.get("effective_from", ""),
            price=form.get("price", ""),
            reason=form.get("reason", ""),
        )
        saved = subscriptions.set_sales_price(
            actor=principal, subscription_id=self.subscription_id, form=entered
        )
        self.view = subscriptions.sales_price(actor=principal, subscription_id=self.subscription_id)
        self.dialog_open = False
        return rx.toast.success(saved.message, duration=8000)


S = SalesPriceState


def price_menu_item(row_id: rx.Var[int]) -> rx.Component:
    """The Actions menu entry, for brokers only."""
    return rx.cond(
        S.is_broker,
        rx.dropdown_menu.item("Edit sales price", on_click=S.open_for(row_id)),
    )


def _line(label: str, value: rx.Var[str], note: rx.Var[str]) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=styles.MUTED),
        rx.text(value, weight="medium"),
        rx.text(note, size="1", color=styles.MUTED),
        spacing="0",
        min_width="12rem",
        flex="1",
    )


def _summary(view: rx.Var[subscriptions.SalesPriceView]) -> rx.Component:
    return rx.flex(
        _line(
            "Charged today, " + view.per, rx.cond(view.price != "", view.price, "—"), view.source
        ),
        _line(
            "The price lists would charge",
            rx.cond(view.list_price != "", view.list_price, "—"),
            view.list_source,
        ),
        gap="1rem",
        wrap="wrap",
        width="100%",
    )


def _period(period: rx.Var[subscriptions.PricePeriod]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text("From ", period.effective_from, weight="medium", size="2"),
            rx.text(period.price, size="2"),
            rx.cond(period.in_force, rx.badge("In force", color_scheme="green", variant="soft")),
            wrap="wrap",
            align="center",
        ),
        rx.text(
            rx.cond(period.set_by != "", period.set_by + " · ", ""),
            period.set_at,
            " · ",
            period.reason,
            size="1",
            color=styles.MUTED,
        ),
        padding_y="0.4rem",
        border_top=styles.BORDER,
        width="100%",
    )


def _periods(view: rx.Var[subscriptions.SalesPriceView]) -> rx.Component:
    return rx.vstack(
        rx.text("Price periods of this subscription", weight="medium", size="2"),
        rx.cond(
            view.periods.length() > 0,
            rx.vstack(rx.foreach(view.periods, _period), spacing="0", width="100%"),
            rx.text("None yet: the price lists apply.", size="2", color=styles.MUTED),
        ),
        spacing="1",
        width="100%",
    )


def _input(label: str, name: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        field_label(label, name, required=True),
        control,
        field_error(S.errors, name),
        spacing="1",
        width="100%",
    )


def _fields(view: rx.Var[subscriptions.SalesPriceView]) -> rx.Component:
    invalid = {
        name: rx.cond(S.errors.contains(name), "true", "false")
        for name in ("effective_from", "price", "reason")
    }
    return rx.vstack(
        rx.text("New price", weight="medium", size="2"),
        rx.flex(
            _input(
                "Starts on",
                "effective_from",
                rx.input(
                    id="effective_from",
                    name="effective_from",
                    type="date",
                    default_value=S.today,
                    min=view.earliest_day,
                    aria_invalid=invalid["effective_from"],
                    size="3",
                    width="100%",
                ),
            ),
            _input(
                "Price " + view.per + " (" + view.currency + ")",
                "price",
                rx.input(
                    id="price",
                    name="price",
                    placeholder="e.g. " + view.example,
                    input_mode="decimal",
                    aria_invalid=invalid["price"],
                    size="3",
                    width="100%",
                    auto_complete="off",
                ),
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="0.75rem",
            width="100%",
        ),
        _input(
            "Reason",
            "reason",
            rx.text_area(
                id="reason",
                name="reason",
                placeholder="Why this price (kept for the audit)",
                aria_invalid=invalid["reason"],
                rows="2",
                width="100%",
            ),
        ),
        rx.text(
            "The day may be in the past (from ",
            view.earliest_day,
            ", when the subscription started): the billing of those days follows the new price.",
            size="1",
            color=styles.MUTED,
        ),
        spacing="2",
        width="100%",
    )


def price_dialog() -> rx.Component:
    """The one Edit sales price dialog of the subscription list (closed when the page loads)."""
    view = S.view.to(subscriptions.SalesPriceView)
    return rx.fragment(
        form_dialog(
            S.title,
            rx.cond(
                S.view,
                rx.vstack(_summary(view), _periods(view), _fields(view), spacing="4", width="100%"),
            ),
            open_=S.dialog_open,
            on_open_change=S.set_dialog_open,
            on_submit=S.save,
            submit_label="Save price",
        ),
        on_mount=S.forget,
    )
