"""The subscription table: a table on tablets and desktops, cards on phones, with the same
facts. Add-ons sit indented under their parent.

Lines come from `SubscriptionsState.lines` (the page shown: each line's row, in order, nested
or not). The Actions menu of a row is the page's
(`actions`, passed in), so its entries live in one place. The search, filter and sort above
the table are in subscriptions_search.py.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from o365portal.services import subscriptions
from o365portal.ui import styles
from o365portal.ui.subscriptions.subscriptions_state import SubscriptionsState as S

Row = rx.Var[subscriptions.SubscriptionRow]
Actions = Callable[[Row], rx.Component]
_HEADERS = ("Subscription", "Seats", "Price", "Term", "Status", "Renewal", "")


def _small(*children: rx.Component | rx.Var | str, **props: str) -> rx.Component:
    return rx.text(*children, size="1", color=styles.MUTED, **props)


def _nowrap(*children: rx.Component | rx.Var | str, size: str = "2") -> rx.Component:
    return rx.text(*children, size=size, white_space="nowrap")


def status_badge(row: Row) -> rx.Component:
    """The row's status as a coloured badge."""
    colour = rx.match(
        row.status,
        ("Active", "green"),
        ("Scheduled", "blue"),
        ("Provisioning", "amber"),
        ("Suspended", "orange"),
        ("Failed", "red"),
        "gray",
    )
    return rx.badge(row.status, color_scheme=colour, variant="soft")


def _failure(row: Row) -> rx.Component:
    return rx.cond(
        row.status == "Failed",
        rx.text(row.last_error, size="1", color="var(--red-11)", role="alert"),
    )


def _date(row: Row) -> rx.Component:
    return rx.cond(
        row.status == "Provisioning",
        rx.el.span(
            rx.spinner(size="1", display="inline-block", vertical_align="middle"),
            " Waiting for Microsoft",
        ),
        rx.cond(row.when != "", row.when, "No renewal date"),
    )


def _renewal(row: Row) -> rx.Component:
    return rx.vstack(
        _nowrap(_date(row)),
        rx.cond(row.auto_renew_words != "", _small(row.auto_renew_words)),
        rx.cond(
            row.renews_with_changes,
            rx.vstack(
                rx.badge("Renews with changes", color_scheme="violet", variant="soft"),
                _small(row.renewal_changes),
                spacing="1",
            ),
        ),
        spacing="1",
    )


def _add_on_note(row: Row, nested: rx.Var[bool]) -> rx.Component:
    """Under its parent an add-on shows an arrow; alone it names its parent."""
    return rx.cond(
        row.parent_name != "",
        rx.cond(
            nested,
            _small(rx.icon("corner-down-right", size=12, display="inline-block"), " Add-on"),
            _small("Add-on of ", row.parent_name),
        ),
    )


def _offer_id(row: Row) -> rx.Component:
    """PRODUCT:SKU:AVAILABILITY, breaking only after a colon (copied without extra signs)."""
    return rx.text(
        rx.foreach(
            row.offer_id.split(":"),
            lambda part, i: rx.fragment(rx.cond(i > 0, rx.fragment(":", rx.el.wbr())), part),
        ),
        size="1",
        color=styles.MUTED,
        font_family="var(--code-font-family)",
    )


def _product(row: Row, nested: rx.Var[bool]) -> rx.Component:
    """Name, product, offer id and PO number; an add-on under its parent is indented."""
    return rx.vstack(
        _add_on_note(row, nested),
        rx.text(row.friendly_name, weight="bold", size="2"),
        rx.cond(row.product != "", rx.text(row.product, size="2", color=styles.MUTED)),
        _offer_id(row),
        rx.cond(row.po_number != "", _small("PO ", row.po_number)),
        spacing="0",
        padding_left=rx.cond(nested, "1rem", "0"),
        border_left=rx.cond(nested, "2px solid var(--violet-a6)", "none"),
    )


def _seats(row: Row) -> rx.Component:
    return rx.vstack(
        _nowrap(row.seats),
        rx.cond(
            row.usage != "",
            rx.fragment(_small(row.consumed, " assigned"), _small(row.free, " free")),
        ),
        spacing="0",
    )


def _price(row: Row) -> rx.Component:
    return rx.cond(
        row.price_per_seat != "",
        rx.vstack(
            _nowrap(row.price_per_seat),
            _small(row.price_per_cycle, white_space="nowrap"),
            spacing="0",
        ),
        rx.text("—", size="2"),
    )


def _table_row(row: Row, nested: rx.Var[bool], actions: Actions) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(_product(row, nested), min_width="11rem"),
        rx.table.cell(_seats(row)),
        rx.table.cell(_price(row)),
        rx.table.cell(_nowrap(row.term), _small(row.billing_cycle, " billing")),
        rx.table.cell(status_badge(row), _failure(row)),
        rx.table.cell(_renewal(row)),
        rx.table.cell(actions(row), text_align="right", padding_left="0"),
        background=rx.cond(nested, "var(--gray-a2)", "transparent"),
        aria_label=row.friendly_name,
    )


def table(actions: Actions) -> rx.Component:
    """The lines as a table (tablets and desktops)."""
    return rx.tablet_and_desktop(
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in _HEADERS])),
                rx.table.body(
                    rx.foreach(S.lines, lambda line: _table_row(line.row, line.nested, actions))
                ),
                variant="surface",
                size="1",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        ),
        width="100%",
    )


def _card(row: Row, nested: rx.Var[bool], actions: Actions) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                _product(row, nested),
                rx.hstack(
                    status_badge(row),
                    rx.text(row.seats, rx.cond(row.usage != "", " · " + row.usage, ""), size="2"),
                    align="center",
                    wrap="wrap",
                    spacing="2",
                ),
                rx.cond(
                    row.price_per_seat != "",
                    rx.box(
                        rx.text(row.price_per_seat, size="2"),
                        _small(row.price_per_cycle),
                    ),
                    rx.text("Price: —", size="2"),
                ),
                rx.text(row.term, " term · ", row.billing_cycle, " billing", size="2"),
                _renewal(row),
                _failure(row),
                spacing="2",
                min_width="0",
                flex="1",
            ),
            actions(row),
            align="start",
            width="100%",
        ),
        role="group",
        aria_label=row.friendly_name,
        margin_left=rx.cond(nested, "1rem", "0"),
        width=rx.cond(nested, "calc(100% - 1rem)", "100%"),
    )


def cards(actions: Actions) -> rx.Component:
    """The lines as cards (phones)."""
    return rx.mobile_only(
        rx.vstack(
            rx.foreach(S.lines, lambda line: _card(line.row, line.nested, actions)),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )
