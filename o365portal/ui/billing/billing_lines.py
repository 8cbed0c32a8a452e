"""The open subscription's lines: a table on tablets and desktops, cards on phones; each line
says why it is there (and, to broker staff, Microsoft's formula for its cost)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import billing
from o365portal.ui import styles
from o365portal.ui.billing.billing_state import BillingState as S
from o365portal.ui.billing.billing_text import cost_summary, small

Line = rx.Var[billing.LineView]
Index = rx.Var[int]
_HEADERS = ("Line", "Charge period", "Quantity", "Unit price", "Amount")
_BROKER_HEADERS = ("Unit cost", "Cost", "Margin", "Margin %")


def why(line: Line, i: Index) -> rx.Component:
    """The "why is this line here" disclosure (closed until asked)."""
    return rx.el.details(
        rx.el.summary(rx.text("Why is this line here?", size="1", as_="span"), cursor="pointer"),
        rx.text(line.why, size="1"),
        rx.cond(
            S.is_broker,
            rx.text(S.line_costs[i].cost_why, size="1", color=styles.MUTED),
        ),
        width="100%",
    )


def _broker_cells(i: Index) -> rx.Component:
    costs = S.line_costs[i]
    return rx.cond(
        S.is_broker,
        rx.fragment(
            *[
                rx.table.cell(v, white_space="nowrap")
                for v in (
                    costs.unit_cost_text,
                    costs.cost_text,
                    costs.margin_text,
                    costs.margin_percent_text,
                )
            ]
        ),
    )


def _line_rows(line: Line, i: Index) -> rx.Component:
    return rx.fragment(
        rx.table.row(
            rx.table.cell(rx.text(line.type, size="2"), small(line.microsoft_charge_type)),
            rx.table.cell(line.period_text, white_space="nowrap"),
            rx.table.cell(line.quantity),
            rx.table.cell(line.unit_price_text, white_space="nowrap"),
            rx.table.cell(line.amount_text, white_space="nowrap"),
            _broker_cells(i),
        ),
        rx.table.row(rx.table.cell(why(line, i), col_span=9, padding_top="0")),
    )


def lines_table() -> rx.Component:
    """The lines as a table (tablets and desktops)."""
    header = [rx.table.column_header_cell(h) for h in _HEADERS]
    broker = [rx.table.column_header_cell(h) for h in _BROKER_HEADERS]
    return rx.table.root(
        rx.table.header(rx.table.row(*header, rx.cond(S.is_broker, rx.fragment(*broker)))),
        rx.table.body(rx.foreach(S.lines, _line_rows)),
        size="1",
        variant="ghost",
        width="100%",
        aria_label="Lines",
    )


def _line_card(line: Line, i: Index) -> rx.Component:
    costs = S.line_costs[i]
    return rx.box(
        rx.hstack(
            rx.text(line.type, weight="medium", size="2"),
            rx.spacer(),
            rx.text(line.amount_text, weight="medium", size="2", white_space="nowrap"),
            width="100%",
        ),
        small(line.period_text, " · ", line.microsoft_charge_type),
        small(line.quantity, " × ", line.unit_price_text),
        rx.cond(
            S.is_broker,
            cost_summary(costs, "Unit cost " + costs.unit_cost_text + " · cost "),
        ),
        why(line, i),
        role="group",
        aria_label=line.type,
        padding_y="0.5rem",
        border_top=styles.BORDER,
        width="100%",
    )


def line_cards() -> rx.Component:
    """The lines as cards (phones)."""
    return rx.vstack(rx.foreach(S.lines, _line_card), spacing="0", width="100%")
