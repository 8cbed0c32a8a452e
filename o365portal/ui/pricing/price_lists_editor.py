"""One price list's page (brokers only): filters, paged items with inline prices, CSV, catalog.

The global list (`/price-lists/global`) also offers the catalog refresh and Microsoft's price
sheet; a customer list shows which organizations use it and where it falls back to global.
"""

from __future__ import annotations

import reflex as rx

from o365portal.ui import routes, styles
from o365portal.ui.components.forms import field_label
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.pager import pager
from o365portal.ui.pricing.price_lists_assign import PriceAssignState, assignment_section
from o365portal.ui.pricing.price_lists_import import PriceImportState, import_dialog
from o365portal.ui.pricing.price_lists_state import PriceListState
from o365portal.ui.pricing.price_rows import price_cards, price_table

_FILTER_LABELS = {
    "category": "All categories",
    "product_group": "All product groups",
    "term": "All terms",
    "billing_cycle": "All billing cycles",
}
_SELECT = {
    "height": "var(--space-6)",
    "padding": "0 var(--space-2)",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "width": "100%",
}


def _filter(name: str) -> rx.Component:
    return rx.el.select(
        rx.el.option(_FILTER_LABELS[name], value=""),
        rx.foreach(
            PriceListState.options[name].to(list[str]),
            lambda value: rx.el.option(value, value=value),
        ),
        aria_label=_FILTER_LABELS[name].replace("All ", "Filter by "),
        value=PriceListState.filters[name].to(str),
        on_change=lambda value: PriceListState.set_filter(name, value),
        style=_SELECT,
    )


def _filters() -> rx.Component:
    return rx.grid(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder="Search title, product or SKU id",
            aria_label="Search the catalog",
            value=PriceListState.text,
            on_change=PriceListState.search,
            grid_column=rx.breakpoints(initial="span 2", md="span 1"),
        ),
        *[_filter(name) for name in _FILTER_LABELS],
        grid_template_columns=rx.breakpoints(initial="1fr 1fr", md="2fr 1fr 1fr 1fr 1fr"),
        spacing="2",
        width="100%",
    )


def _effective() -> rx.Component:
    return rx.hstack(
        field_label("New prices start on", "effective_from"),
        rx.input(
            id="effective_from",
            type="date",
            value=PriceListState.effective_from,
            min=PriceListState.today,
            on_change=PriceListState.set_effective_from,
            width="11rem",
        ),
        align="center",
        wrap="wrap",
    )


def _below_cost_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Sell below cost?"),
            rx.alert_dialog.description(PriceListState.below_cost["message"].to(str)),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Keep editing", variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        "Save below cost",
                        color_scheme="red",
                        on_click=PriceListState.confirm_below_cost,
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1rem",
            ),
            max_width="min(32rem, 96vw)",
        ),
        open=PriceListState.below_cost.contains("key"),
        on_open_change=PriceListState.cancel_below_cost,
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("download", size=16), "Export CSV", variant="soft",
                  on_click=PriceListState.export_csv),
        rx.button(rx.icon("upload", size=16), "Import CSV", variant="soft",
                  on_click=PriceImportState.open_import("prices")),
        rx.cond(
            PriceListState.is_customer_list,
            rx.fragment(),
            rx.fragment(
                rx.button(rx.icon("file-spreadsheet", size=16), "Import Microsoft price sheet",
                          variant="soft", on_click=PriceImportState.open_import("sheet")),
                rx.button(rx.icon("refresh-cw", size=16), "Refresh catalog", variant="soft",
                          loading=PriceListState.refreshing,
                          on_click=PriceListState.refresh_catalog),
            ),
        ),
        wrap="wrap",
        spacing="2",
    )  # fmt: skip


def _editor() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link("← Price lists", href=routes.PRICE_LISTS, size="2"),
            rx.text("Currency ", PriceListState.currency, size="2", color=styles.MUTED),
            spacing="4",
        ),
        rx.cond(PriceListState.is_customer_list, assignment_section()),
        rx.flex(_effective(), rx.spacer(), _actions(), wrap="wrap", gap="0.75rem", width="100%"),
        _filters(),
        price_table(PriceListState.rows, PriceListState.row_errors, PriceListState.save_price),
        price_cards(PriceListState.rows, PriceListState.row_errors, PriceListState.save_price),
        pager(
            PriceListState.summary,
            PriceListState.has_previous,
            PriceListState.has_next,
            PriceListState.previous_page,
            PriceListState.next_page,
        ),
        import_dialog(),
        _below_cost_dialog(),
        spacing="3",
        width="100%",
    )


@routes.page(routes.PRICE_LIST, PriceListState.load, PriceAssignState.load_assigned)
def price_list_page() -> rx.Component:
    """The price-list editor."""
    return page_shell(
        "Price list",
        rx.cond(
            PriceListState.missing,
            rx.callout("This price list does not exist.", color_scheme="red", role="alert"),
            rx.vstack(
                rx.heading(PriceListState.list_name, size="4"),
                _editor(),
                width="100%",
            ),
        ),
    )
