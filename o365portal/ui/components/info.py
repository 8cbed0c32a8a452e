"""More about something behind an (i) button: a popover that opens on a click and on a tap."""

from __future__ import annotations

import reflex as rx


def info_popover(name: rx.Var[str], *content: rx.Component) -> rx.Component:
    """An (i) button named "About {name}" whose popover shows `content`."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(
                rx.icon("info", size=16),
                variant="ghost",
                type="button",
                aria_label="About " + name,
            ),
        ),
        rx.popover.content(*content, max_width="min(20rem, 90vw)"),
    )
