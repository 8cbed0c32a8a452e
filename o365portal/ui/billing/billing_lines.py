"""The open subscription's lines: a table on tablets and desktops, cards on phones; each line
says why it is there (and, to broker staff, Microsoft's formula for its cost)."""

from __future__ import annotations

import reflex as rx

from o365portal.ui import styles
from o365portal.ui.billing import billing_rows as rows
from o365portal.ui.billing.billing_state import BillingState as S

Line = rx.Var[rows.LineRow]
Index = rx.Var[int]
_HEADERS = ("Line", "Charge period", "Quantity", "Unit price", "Amount")
_BROKER_HEADERS = ("Unit cost", "Cost", "Margin", "Margin %")


def _small(*children: rx.Component | rx.Var | str) -> rx.Component:
    return rx.text(*children, size="1", color=styles.MUTED)


def why(line: Line, i: Index) -> rx.Component:
    """The "why is this line here" disclosure (closed until asked)."""
    return rx.el.details(
        rx.el.summary(rx.text("Why is this line here?", size="1", as_="span"), cursor="pointer"),
        rx.text(line.why, size="1", white_space="pre-line"),
        rx.cond(
            S.is_broker,
            rx.text("Microsoft's cost: ", S.line_costs[i].cost_why, size="1", color=styles.MUTED),
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
                for v in (costs.unit_cost, costs.cost, costs.margin, costs.margin_percent)
            ]
        ),
    )


def _line_rows(line: Line, i: Index) -> rx.Component:
    return rx.fragment(
        rx.table.row(
            rx.table.cell(rx.text(line.type, size="2"), _small(line.charge_type)),
            rx.table.cell(line.period, white_space="nowrap"),
            rx.table.cell(line.quantity),
            rx.table.cell(line.unit_price, white_space="nowrap"),
            rx.table.cell(line.amount, white_space="nowrap"),
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
            rx.text(line.amount, weight="medium", size="2", white_space="nowrap"),
            width="100%",
        ),
        _small(line.period, " · ", line.charge_type),
        _small(line.quantity, " × ", line.unit_price),
        rx.cond(
            S.is_broker,
            _small(
                "Unit cost ",
                costs.unit_cost,
                " · cost ",
                costs.cost,
                " · margin ",
                costs.margin,
                " (",
                costs.margin_percent,
                ")",
            ),
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
