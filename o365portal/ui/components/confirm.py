"""A question before an action that can't be undone: Keep (the default) or act."""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_dialog(
    *,
    title: rx.Var[str],
    text: rx.Var[str],
    keep_label: rx.Var[str],
    act_label: rx.Var[str],
    open_: rx.Var[bool],
    on_open_change: Any,
    on_confirm: Any,
) -> rx.Component:
    """One controlled alert dialog per page; its texts come from state, set when it opens."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(text, size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(keep_label, variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(act_label, color_scheme="red", on_click=on_confirm)
                ),
                justify="end",
                gap="0.75rem",
                wrap="wrap",
                margin_top="1rem",
            ),
            max_width="min(28rem, 96vw)",
        ),
        open=open_,
        on_open_change=on_open_change,
    )
