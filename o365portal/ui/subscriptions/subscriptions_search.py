"""The search, status filter and sort above the subscription table, and what shows when they
leave no row. They set `SubscriptionsState.search`, `status_filter` and `sort`; the state
arranges the rows it holds (no database read per keystroke; the input is debounced).
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import subscriptions
from o365portal.ui import styles
from o365portal.ui.subscriptions.subscriptions_state import SubscriptionsState as S

_SELECT = {
    "height": "var(--space-6)",
    "padding": "0 var(--space-2)",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "width": "100%",
}


def toolbar() -> rx.Component:
    """Search, status filter and sort."""
    return rx.grid(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder="Search name, product, offer id or PO",
            aria_label="Search subscriptions",
            value=S.search,
            on_change=S.set_search,
            grid_column=rx.breakpoints(initial="span 2", sm="span 1"),
        ),
        rx.el.select(
            rx.el.option("All statuses", value=""),
            rx.foreach(S.statuses, lambda status: rx.el.option("Status: " + status, value=status)),
            aria_label="Filter by status",
            value=S.status_filter,
            on_change=S.set_status_filter,
            style=_SELECT,
        ),
        rx.el.select(
            *[
                rx.el.option(f"Sort: {label}", value=key)
                for key, label in subscriptions.SORTS.items()
            ],
            aria_label="Sort by",
            value=S.sort,
            on_change=S.set_sort,
            style=_SELECT,
        ),
        grid_template_columns=rx.breakpoints(initial="1fr 1fr", sm="2fr 1fr 1fr"),
        spacing="2",
        width="100%",
    )


def no_match() -> rx.Component:
    """Shown when the search or filter leaves no row."""
    return rx.hstack(
        rx.text("No subscription matches.", color=styles.MUTED),
        rx.button("Show all", variant="soft", size="1", on_click=S.clear_search),
        align="center",
    )
