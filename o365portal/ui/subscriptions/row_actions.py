"""The change entries of a subscription row's Actions menu (the page adds History).

Only what the subscription's state allows is offered: quantity and renewal settings while it
is active, suspend or activate (brokers), cancel while Microsoft may still accept it (the
dialog then says whether the 7-day window is open), the seat lots while it is live.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import subscriptions
from o365portal.ui.session import SessionState
from o365portal.ui.subscriptions.addons_dialog import addons_menu_item
from o365portal.ui.subscriptions.change_state import ChangeState
from o365portal.ui.subscriptions.ledger_dialog import LedgerState
from o365portal.ui.subscriptions.price_dialog import price_menu_item


def change_items(row: rx.Var[subscriptions.SubscriptionRow]) -> rx.Component:
    """Change quantity, Manage add-ons, Renewal settings, Seat lots, Edit sales price
    (brokers), Suspend/Activate (brokers), Cancel."""
    active = row.status == "Active"
    live = active | (row.status == "Suspended")
    return rx.cond(
        live,
        rx.fragment(
            rx.cond(
                active,
                rx.fragment(
                    rx.dropdown_menu.item(
                        "Change quantity", on_click=ChangeState.open_quantity(row.id, row.quantity)
                    ),
                    addons_menu_item(row.id),
                    rx.dropdown_menu.item(
                        "Renewal settings", on_click=ChangeState.open_renewal(row.id)
                    ),
                ),
            ),
            rx.dropdown_menu.item("Seat lots", on_click=LedgerState.open_ledger(row.id)),
            price_menu_item(row.id),
            rx.cond(
                SessionState.is_broker,
                rx.cond(
                    active,
                    rx.dropdown_menu.item(
                        "Suspend", on_click=ChangeState.open_status(row.id, "suspended")
                    ),
                    rx.dropdown_menu.item(
                        "Activate", on_click=ChangeState.open_status(row.id, "active")
                    ),
                ),
            ),
            rx.dropdown_menu.item(
                "Cancel subscription", color_scheme="red", on_click=ChangeState.open_cancel(row.id)
            ),
            rx.dropdown_menu.separator(),
        ),
    )
