"""Previous / next paging bar for server-paged lists."""

from __future__ import annotations

import reflex as rx

from o365portal.ui import styles


def pager(
    summary: rx.Var[str],
    has_previous: rx.Var[bool],
    has_next: rx.Var[bool],
    on_previous: rx.EventHandler,
    on_next: rx.EventHandler,
) -> rx.Component:
    """A compact bar: "21–40 of 57" with previous/next buttons."""
    return rx.hstack(
        rx.text(summary, size="2", color=styles.MUTED),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16),
            "Previous",
            variant="soft",
            disabled=~has_previous,
            on_click=on_previous,
        ),
        rx.button(
            "Next",
            rx.icon("chevron-right", size=16),
            variant="soft",
            disabled=~has_next,
            on_click=on_next,
        ),
        align="center",
        width="100%",
        padding_y="0.75rem",
    )
