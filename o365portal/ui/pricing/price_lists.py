"""My Services -> Price lists: the global list and the customer lists (brokers only)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import pricing
from o365portal.services.accounts import CURRENCY_OPTIONS
from o365portal.services.principal import Principal
from o365portal.ui import routes, styles
from o365portal.ui.components.dialogs import form_dialog
from o365portal.ui.components.forms import select_field, text_field
from o365portal.ui.components.layout import page_shell
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class PriceListsState(SessionState):
    """The overview rows and the "new price list" dialog."""

    rows: list[pricing.PriceListSummary] = []
    dialog_open: bool = False
    form_values: dict[str, str] = {}
    errors: dict[str, str] = {}

    @data_event
    def load(self, principal: Principal) -> None:
        """on_load: every price list (brokers only; the service refuses anyone else)."""
        self.rows = []
        if not principal.is_broker:  # the guard redirects; this handler runs anyway
            return
        self.rows = pricing.list_price_lists(actor=principal)

    @rx.event
    def open_create(self) -> None:
        """Open the dialog with an empty form."""
        self.form_values = {"name": "", "currency": self.rows[0].currency if self.rows else ""}
        self.errors, self.dialog_open = {}, True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        """Close (or open) the dialog."""
        self.dialog_open = value

    @data_event
    def create(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec:
        """Create the list and open its editor; messages at the fields on bad input."""
        self.form_values = {key: str(value) for key, value in form.items()}
        summary = pricing.create_price_list(
            actor=principal,
            name=self.form_values.get("name", ""),
            currency=self.form_values.get("currency", ""),
        )
        self.dialog_open = False
        return rx.redirect(routes.price_list_url(summary.id))


def _card(row: rx.Var[pricing.PriceListSummary]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(row.name, href=routes.price_list_url(row.key), weight="medium", size="4"),
                rx.badge(
                    row.kind_label, color_scheme=rx.cond(row.kind == "global", "blue", "gray")
                ),
                rx.spacer(),
                rx.text(row.currency, size="2", color=styles.MUTED),
                width="100%",
                align="center",
            ),
            rx.text(row.entry_count, " price entries", size="2", color=styles.MUTED),
            rx.text("Used by: ", row.used_by, size="2"),
            spacing="1",
            width="100%",
        ),
        width="100%",
    )


def _dialog() -> rx.Component:
    values, errors = PriceListsState.form_values, PriceListsState.errors
    return form_dialog(
        "New customer price list",
        rx.vstack(
            text_field("Name", "name", errors, value=values["name"], required=True),
            select_field(
                "Currency", "currency", CURRENCY_OPTIONS, errors, value=values["currency"]
            ),
            rx.text(
                "Items without a price on this list use the global price.",
                size="2",
                color=styles.MUTED,
            ),
            spacing="3",
            width="100%",
        ),
        open_=PriceListsState.dialog_open,
        on_open_change=PriceListsState.set_dialog_open,
        on_submit=PriceListsState.create,
        submit_label="Create",
    )


@routes.page(routes.PRICE_LISTS, PriceListsState.load)
def price_lists_page() -> rx.Component:
    """The price-list overview."""
    return page_shell(
        "Price lists",
        rx.hstack(
            rx.text(
                "Sales prices are effective-dated: a new price starts on a day you choose and "
                "never changes what was already billed.",
                size="2",
                color=styles.MUTED,
            ),
            rx.spacer(),
            rx.button(
                rx.icon("plus", size=16), "New price list", on_click=PriceListsState.open_create
            ),
            width="100%",
            align="center",
            wrap="wrap",
            margin_bottom="1rem",
        ),
        rx.grid(
            rx.foreach(PriceListsState.rows, _card),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        _dialog(),
    )
