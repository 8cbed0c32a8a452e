"""Organisation -> Microsoft 365 CSP Direct -> Subscriptions: the list and its actions.

Subscriptions show product, offer id, seats bought, assigned and free, price per seat and per
cycle, term, status and renewal (subscriptions_table.py: searched, filtered and sorted on the
page, add-ons under their parent; a table on desktops, cards on phones); a new order shows
"Provisioning" and "Waiting for Microsoft" until Microsoft has provisioned it (the rows
refresh by themselves); scheduled orders show their go-live date and no price (Actions ->
Suspend cancels them, after a confirmation); requests waiting for the broker or rejected
lately are listed below (subscriptions_parts.py).
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import changes, subscriptions
from o365portal.ui import live, routes, styles
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.notices import organization_not_found
from o365portal.ui.components.pager import pager
from o365portal.ui.subscriptions.addons_dialog import addons_dialog
from o365portal.ui.subscriptions.change_dialog import change_dialog
from o365portal.ui.subscriptions.ledger_dialog import ledger_dialog
from o365portal.ui.subscriptions.price_dialog import price_dialog
from o365portal.ui.subscriptions.row_actions import change_items
from o365portal.ui.subscriptions.subscriptions_parts import confirmation, requests_section
from o365portal.ui.subscriptions.subscriptions_search import no_match, toolbar
from o365portal.ui.subscriptions.subscriptions_state import SubscriptionsState as S
from o365portal.ui.subscriptions.subscriptions_table import cards, table


def _actions(row: rx.Var[subscriptions.SubscriptionRow]) -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis"),
                variant="ghost",
                aria_label="Actions for " + row.friendly_name,
            ),
        ),
        rx.dropdown_menu.content(
            rx.cond(
                row.kind == "scheduled",
                rx.dropdown_menu.item(
                    "Suspend", color_scheme="red", on_click=S.ask_suspend(row.id)
                ),
                rx.fragment(
                    change_items(row),
                    rx.dropdown_menu.item(
                        "History", on_click=S.open_history(row.id, row.friendly_name)
                    ),
                ),
            ),
        ),
    )


def _history_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.history_title),
            rx.vstack(
                rx.foreach(
                    S.history,
                    lambda h: rx.card(
                        rx.text(h.action, " · ", h.at, weight="medium", size="2"),
                        rx.text(
                            "By ",
                            h.by,
                            rx.cond(h.unit_price != "", " · " + h.unit_price, ""),
                            size="2",
                        ),
                        rx.text(h.details, size="1", color=styles.MUTED),
                        rx.cond(h.effect != "", rx.text(h.effect, size="1", weight="medium")),
                        width="100%",
                    ),
                ),
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                spacing="2",
                align="end",
            ),
            max_width="min(36rem, 96vw)",
        ),
        open=S.history_open,
        on_open_change=S.set_history_open,
    )


def _list() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(S.org_name, " · Microsoft 365 CSP Direct", color=styles.MUTED),
            rx.spacer(),
            rx.link(
                rx.button(rx.icon("plus", size=16), "Add subscription", size="3"), href=S.add_url
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            S.has_rows,
            rx.fragment(
                toolbar(),
                rx.cond(
                    S.lines.length() > 0,
                    rx.fragment(
                        table(_actions),
                        cards(_actions),
                        pager(S.summary, S.has_previous, S.has_next, S.previous_page, S.next_page),
                    ),
                    no_match(),
                ),
            ),
            rx.text("No subscriptions yet.", color=styles.MUTED),
        ),
        requests_section(),
        _history_dialog(),
        change_dialog(),
        ledger_dialog(),
        addons_dialog(),
        price_dialog(),
        confirmation(),
        live.watch(S.refresh, changes.SUBSCRIPTIONS, changes.APPROVALS),
        spacing="3",
        width="100%",
    )


@routes.page(routes.SUBSCRIPTIONS, S.load)
def subscriptions_page() -> rx.Component:
    """An organization's Microsoft 365 subscriptions."""
    return page_shell(
        "Subscriptions",
        rx.cond(
            S.missing,
            organization_not_found(),
            _list(),
        ),
    )
