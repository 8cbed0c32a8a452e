"""Building blocks of the ordering screens: a controlled select and a labelled value."""

from __future__ import annotations

from typing import Any

import reflex as rx

from o365portal.ui import styles
from o365portal.ui.components.forms import field_error, field_label

_SELECT = {
    "width": "100%",
    "height": "var(--space-7)",
    "padding": "0 var(--space-3)",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "font_size": "var(--font-size-3)",
}


def choice_select(
    label: str,
    name: str,
    options: rx.Var[list[Any]],
    *,
    value: rx.Var[str],
    on_change: Any,
    errors: rx.Var[dict[str, str]],
    pairs: bool = False,
) -> rx.Component:
    """A labelled native select whose value lives in state; `pairs` = [value, label] options."""

    def option(entry: rx.Var) -> rx.Component:
        if pairs:
            return rx.el.option(entry[1], value=entry[0])
        return rx.el.option(entry, value=entry)

    return rx.vstack(
        field_label(label, name),
        rx.el.select(
            rx.foreach(options, option),
            id=name,
            name=name,
            value=value,
            on_change=on_change,
            style=_SELECT,
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def value_line(label: str, value: rx.Var[str] | str) -> rx.Component:
    """A muted label and its value on one line."""
    return rx.hstack(
        rx.text(label, size="2", color=styles.MUTED),
        rx.spacer(),
        rx.text(value, size="2", weight="medium"),
        width="100%",
    )
