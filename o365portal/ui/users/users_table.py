"""The users as a table on tablets and desktops and as cards on phones, with the same facts:
name, user name, usage location, status (a deleted user shows until when it can be restored),
licences held (a click opens them), the row's Actions menu, and a box that chooses the user for
Assign / Remove subscriptions."""

from __future__ import annotations

import reflex as rx

from o365portal.services import users
from o365portal.ui import styles
from o365portal.ui.licences import LicencesState
from o365portal.ui.users.users_state import UsersState as S

Row = rx.Var[users.UserRow]
_HEADERS = ("Name", "User name", "Location", "Status", "Licences", "")


def status_badge(row: Row) -> rx.Component:
    """Active, or Deleted with the last day it can be restored."""
    return rx.vstack(
        rx.badge(row.status, color_scheme=rx.cond(row.deleted, "red", "green"), variant="soft"),
        rx.cond(
            row.deleted,
            rx.text(
                rx.cond(row.restorable, "Restorable until ", "Could be restored until "),
                row.restorable_until,
                size="1",
                color=styles.MUTED,
            ),
        ),
        spacing="1",
    )


def licences(row: Row) -> rx.Component:
    """How many licences the user holds; a click opens them (Actions -> Subscriptions)."""
    words = rx.text(row.licences, rx.cond(row.licences == 1, " licence", " licences"), size="2")
    return rx.cond(
        row.deleted,
        words,
        rx.link(
            words,
            href="#",
            on_click=LicencesState.open_for(row.id).prevent_default,
            aria_label="Subscriptions of " + row.display_name,
        ),
    )


def tick(row: Row) -> rx.Component:
    """The box that chooses the user for Assign / Remove subscriptions."""
    return rx.cond(
        row.deleted,
        rx.fragment(),
        rx.checkbox(
            checked=S.selected.contains(row.id),
            on_change=lambda value: S.tick(row.id, value),
            aria_label="Choose " + row.display_name,
        ),
    )


def actions(row: Row) -> rx.Component:
    """Edit, Reset password, Delete for an active user; Restore for a deleted one."""
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis"), variant="ghost", aria_label="Actions for " + row.display_name
            ),
        ),
        rx.dropdown_menu.content(
            rx.cond(
                row.deleted,
                rx.dropdown_menu.item(
                    "Restore", on_click=S.open_restore(row.id), disabled=~row.restorable
                ),
                rx.fragment(
                    rx.dropdown_menu.item("Subscriptions", on_click=LicencesState.open_for(row.id)),
                    rx.dropdown_menu.item("Edit", on_click=S.open_edit(row.id)),
                    rx.dropdown_menu.item("Reset password", on_click=S.open_reset(row.id)),
                    rx.cond(
                        ~row.is_admin,
                        rx.dropdown_menu.item(
                            "Delete", color_scheme="red", on_click=S.open_delete(row.id)
                        ),
                    ),
                ),
            ),
        ),
    )


def _name(row: Row) -> rx.Component:
    return rx.vstack(
        rx.text(row.display_name, weight="bold", size="2"),
        rx.cond(row.is_admin, rx.badge("Administrator", variant="outline", size="1")),
        spacing="1",
    )


def _table_row(row: Row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(tick(row), width="2rem"),
        rx.table.row_header_cell(_name(row)),
        rx.table.cell(rx.text(row.user_principal_name, size="2", word_break="break-all")),
        rx.table.cell(rx.text(row.usage_location, size="2")),
        rx.table.cell(status_badge(row)),
        rx.table.cell(licences(row)),
        rx.table.cell(actions(row), text_align="right"),
        aria_label=row.display_name,
    )


def table() -> rx.Component:
    """The users as a table (tablets and desktops)."""
    return rx.tablet_and_desktop(
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(
                            rx.checkbox(on_change=S.tick_all, aria_label="Choose every user")
                        ),
                        *[rx.table.column_header_cell(h) for h in _HEADERS],
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _table_row)),
                variant="surface",
                size="1",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        ),
        width="100%",
    )


def _card(row: Row) -> rx.Component:
    return rx.card(
        rx.hstack(
            tick(row),
            rx.vstack(
                _name(row),
                rx.text(row.user_principal_name, size="2", word_break="break-all"),
                rx.hstack(
                    status_badge(row),
                    rx.text("Location ", row.usage_location, size="2"),
                    licences(row),
                    wrap="wrap",
                    spacing="3",
                    align="start",
                ),
                spacing="2",
                flex="1",
                min_width="0",
            ),
            actions(row),
            align="start",
            width="100%",
        ),
        role="group",
        aria_label=row.display_name,
        width="100%",
    )


def cards() -> rx.Component:
    """The users as cards (phones)."""
    return rx.mobile_only(
        rx.vstack(rx.foreach(S.rows, _card), spacing="2", width="100%"), width="100%"
    )
