"""Above the reports: the range ("Last month" or a custom range of months, each field with its
own message), the export buttons and, broker-wide, the monthly totals chart."""

from __future__ import annotations

from typing import Any

import reflex as rx

from o365portal.ui import styles
from o365portal.ui.billing.billing_state import CUSTOM, LAST_MONTH
from o365portal.ui.billing.billing_state import BillingState as S
from o365portal.ui.billing.billing_text import cost_summary
from o365portal.ui.components.forms import field_error, field_label


def _month(label: str, name: str, value: rx.Var[str], on_change: rx.EventHandler) -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        rx.input(
            id=name,
            type="month",
            value=value,
            on_change=on_change,
            aria_invalid=rx.cond(S.errors.contains(name), "true", "false"),
            size="2",
            width="11rem",
        ),
        field_error(S.errors, name),
        spacing="1",
        max_width="100%",
    )


def range_form() -> rx.Component:
    """Last month, or from/to months (up to 36) and "Show"."""
    return rx.vstack(
        rx.segmented_control.root(
            rx.segmented_control.item("Last month", value=LAST_MONTH),
            rx.segmented_control.item("Custom range", value=CUSTOM),
            value=S.range_kind,
            on_change=S.set_range_kind,
            aria_label="Date range",
        ),
        rx.cond(
            S.range_kind == CUSTOM,
            rx.flex(
                _month("From month", "first_month", S.first_month, S.set_first_month),
                _month("To month", "last_month", S.last_month, S.set_last_month),
                rx.button("Show report", on_click=S.show_range, loading=S.loading),
                align="end",
                wrap="wrap",
                gap="0.75rem",
            ),
        ),
        spacing="3",
        width="100%",
    )


def export_buttons() -> rx.Component:
    """Download the range shown as CSV or XLSX."""
    return rx.hstack(
        *[
            rx.button(
                rx.icon("download", size=16),
                f"Export {kind.upper()}",
                variant="soft",
                disabled=S.periods.length() == 0,
                on_click=S.export(kind),
            )
            for kind in ("csv", "xlsx")
        ],
        wrap="wrap",
    )


def totals_chart() -> rx.Component:
    """Revenue, cost and margin per month (the broker-wide report)."""
    return rx.cond(
        S.chart.length() > 0,
        rx.card(
            rx.text("Monthly totals", weight="bold", size="2"),
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
                rx.recharts.x_axis(data_key="month"),
                rx.recharts.y_axis(width=60),
                rx.recharts.graphing_tooltip(),
                rx.recharts.legend(),
                rx.recharts.bar(data_key="revenue", name="Revenue", fill="var(--accent-9)"),
                rx.recharts.bar(data_key="cost", name="Cost", fill="var(--gray-8)"),
                rx.recharts.bar(data_key="margin", name="Margin", fill="var(--green-9)"),
                data=S.chart.to(list[dict[str, Any]]),
                width="100%",
                height=220,
            ),
            width="100%",
            aria_label="Monthly totals",
        ),
    )


def organization_totals() -> rx.Component:
    """The open broker-wide report's total per organization, with cost and margin."""
    return rx.cond(
        S.organizations.length() > 0,
        rx.vstack(
            rx.text("Per organization", weight="bold", size="2"),
            rx.foreach(
                S.organizations,
                lambda o: rx.flex(
                    rx.text(
                        o.organization_name, size="2", weight="medium", flex="1", min_width="8rem"
                    ),
                    rx.text(o.total_text, size="2", white_space="nowrap"),
                    cost_summary(o, "cost "),
                    wrap="wrap",
                    gap="0.5rem",
                    align="baseline",
                    width="100%",
                    padding_y="0.25rem",
                    border_top=styles.BORDER,
                ),
            ),
            spacing="1",
            width="100%",
        ),
    )
