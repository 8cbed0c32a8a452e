"""The open report's subscriptions (a page of them at a time): a table on tablets and desktops,
cards on phones; broker-wide grouped by organization; add-ons under their base; a subscription
opens to its lines (billing_lines.py)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import billing
from o365portal.ui import styles
from o365portal.ui.billing.billing_lines import line_cards, lines_table
from o365portal.ui.billing.billing_state import BillingState as S
from o365portal.ui.billing.billing_text import cost_summary, small

Sub = rx.Var[billing.SubscriptionBilling]
Index = rx.Var[int]
_HEADERS = ("Subscription", "Amount")
_BROKER_HEADERS = ("Cost", "Margin", "Margin %")


def _toggle(sub: Sub, i: Index) -> rx.Component:
    opened = S.open_sub == i
    return rx.button(
        rx.icon(rx.cond(opened, "chevron-up", "chevron-down"), size=14),
        rx.cond(opened, "Hide lines", "Lines"),
        size="1",
        variant="soft",
        aria_expanded=rx.cond(opened, "true", "false"),
        aria_label=rx.cond(opened, "Hide lines of ", "Lines of ") + sub.friendly_name,
        on_click=S.toggle_subscription(i),
        disabled=sub.problem != "",
    )


def _facts(sub: Sub) -> rx.Component:
    return rx.vstack(
        rx.cond(
            sub.parent_subscription_id != 0,
            small(
                rx.icon("corner-down-right", size=12, display="inline-block"),
                " Add-on of ",
                sub.parent_name,
            ),
        ),
        rx.text(sub.friendly_name, weight="bold", size="2"),
        rx.cond(sub.product != "", rx.text(sub.product, size="2", color=styles.MUTED)),
        small(sub.offer_id, word_break="break-all"),
        rx.cond(sub.po_number != "", small("PO ", sub.po_number)),
        rx.cond(sub.problem != "", rx.text(sub.problem, size="1", color="var(--red-11)")),
        spacing="0",
        min_width="0",
        padding_left=rx.cond(sub.parent_subscription_id != 0, "1rem", "0"),
        border_left=rx.cond(sub.parent_subscription_id != 0, "2px solid var(--violet-a6)", "none"),
    )


def _first_of_organization(sub: Sub, i: Index) -> rx.Var[bool]:
    """Broker-wide, an organization's first subscription on the page is headed by its name."""
    return (S.org_id == 0) & ((i == 0) | (S.subs[i - 1].organization_id != sub.organization_id))


def _organization_row(sub: Sub, i: Index) -> rx.Component:
    return rx.cond(
        _first_of_organization(sub, i),
        rx.table.row(
            rx.table.cell(rx.heading(sub.organization_name, size="3"), col_span=6),
            background="var(--gray-a3)",
        ),
    )


def _row(sub: Sub, i: Index) -> rx.Component:
    costs = S.sub_costs[i]
    return rx.fragment(
        _organization_row(sub, i),
        rx.table.row(
            rx.table.row_header_cell(_facts(sub)),
            rx.table.cell(sub.total_text, white_space="nowrap"),
            rx.cond(
                S.is_broker,
                rx.fragment(
                    *[
                        rx.table.cell(v, white_space="nowrap")
                        for v in (costs.cost_text, costs.margin_text, costs.margin_percent_text)
                    ]
                ),
            ),
            rx.table.cell(_toggle(sub, i), text_align="right"),
            aria_label=sub.friendly_name,
        ),
        rx.cond(
            S.open_sub == i,
            rx.table.row(rx.table.cell(lines_table(), col_span=6, background="var(--gray-a2)")),
        ),
    )


def subscriptions_table() -> rx.Component:
    """The page of subscriptions as a table (tablets and desktops)."""
    broker = [rx.table.column_header_cell(h) for h in _BROKER_HEADERS]
    return rx.tablet_and_desktop(
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in _HEADERS],
                        rx.cond(S.is_broker, rx.fragment(*broker)),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(S.subs, _row)),
                size="1",
                variant="surface",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        ),
        width="100%",
    )


def _card(sub: Sub, i: Index) -> rx.Component:
    costs = S.sub_costs[i]
    return rx.fragment(
        rx.cond(
            _first_of_organization(sub, i),
            rx.heading(sub.organization_name, size="3", padding_top="0.5rem"),
        ),
        rx.card(
            rx.vstack(
                _facts(sub),
                rx.hstack(
                    rx.text(sub.total_text, weight="bold", size="2"),
                    rx.spacer(),
                    _toggle(sub, i),
                    align="center",
                    width="100%",
                ),
                rx.cond(
                    S.is_broker,
                    cost_summary(costs),
                ),
                rx.cond(S.open_sub == i, line_cards()),
                spacing="2",
                width="100%",
            ),
            role="group",
            aria_label=sub.friendly_name,
            width="100%",
        ),
    )


def subscription_cards() -> rx.Component:
    """The page of subscriptions as cards (phones)."""
    return rx.mobile_only(
        rx.vstack(rx.foreach(S.subs, _card), spacing="2", width="100%"), width="100%"
    )


def subscription_pager() -> rx.Component:
    """Previous / next page of the open report's subscriptions (when more than one page)."""
    return rx.cond(
        S.sub_pages > 1,
        rx.hstack(
            rx.text("Page ", S.sub_page + 1, " of ", S.sub_pages, size="2", color=styles.MUTED),
            rx.spacer(),
            rx.button(
                "Previous",
                variant="soft",
                size="1",
                disabled=S.sub_page == 0,
                on_click=S.turn_page(-1),
            ),
            rx.button(
                "Next",
                variant="soft",
                size="1",
                disabled=S.sub_page + 1 >= S.sub_pages,
                on_click=S.turn_page(1),
            ),
            align="center",
            width="100%",
        ),
    )
