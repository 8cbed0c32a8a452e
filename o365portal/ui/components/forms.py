"""Form building blocks: a labelled field that shows its own validation message."""

from __future__ import annotations

import reflex as rx

_NATIVE_SELECT = {
    "width": "100%",
    "height": "var(--space-7)",
    "padding": "0 var(--space-3)",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "font_size": "var(--font-size-3)",
}


def field_label(text: str, for_id: str, *, required: bool = False) -> rx.Component:
    """A <label> bound to the input with id `for_id` (screen readers and tests find it)."""
    return rx.el.label(
        rx.text(
            text,
            rx.cond(required, rx.text.span(" *", color="var(--red-11)", aria_hidden="true")),
            size="2",
            weight="medium",
        ),
        html_for=for_id,
    )


def field_error(errors: rx.Var[dict[str, str]], name: str) -> rx.Component:
    """The message for one field, announced to screen readers."""
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], color="var(--red-11)", size="2", role="alert"),
    )


def text_field(
    label: str,
    name: str,
    errors: rx.Var[dict[str, str]],
    *,
    value: rx.Var[str] | str = "",
    type_: str = "text",
    required: bool = False,
    placeholder: str = "",
    autocomplete: str = "off",
) -> rx.Component:
    """A labelled text input posted under `name`, with its message below it."""
    return rx.vstack(
        field_label(label, name, required=required),
        rx.input(
            id=name,
            name=name,
            type=type_,
            default_value=value,
            placeholder=placeholder,
            auto_complete=autocomplete,
            aria_invalid=rx.cond(errors.contains(name), "true", "false"),
            width="100%",
            size="3",
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def select_field(
    label: str,
    name: str,
    options: list[tuple[str, str]],
    errors: rx.Var[dict[str, str]],
    *,
    value: rx.Var[str] | str = "",
) -> rx.Component:
    """A labelled native select (phone-friendly) of (value, label) options."""
    return rx.vstack(
        field_label(label, name),
        rx.el.select(
            *[rx.el.option(text, value=key) for key, text in options],
            id=name,
            name=name,
            default_value=value,
            style=_NATIVE_SELECT,
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )
