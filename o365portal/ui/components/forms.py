"""Form building blocks: a labelled field that shows its own validation message, and the
form-level list of messages whose field is not on screen (a form never drops a message)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

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


def errors_not_shown(
    errors: Mapping[str, str], shown: Collection[str], labels: Mapping[str, str]
) -> list[str]:
    """The messages of fields the form does not show, each naming its field ("Phone: ...");
    a state keeps them in a var for `form_errors`."""
    return [
        f"{labels.get(name) or name.replace('_', ' ').capitalize()}: {message}"
        for name, message in errors.items()
        if name not in shown
    ]


def form_errors(messages: rx.Var[list[str]], *fix: rx.Component) -> rx.Component:
    """A form-level alert with the messages whose field is not on screen, then `fix` (what
    to do about them, e.g. a link to where those fields are edited)."""
    return rx.cond(
        messages.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.vstack(
                rx.el.ul(
                    rx.foreach(messages, rx.el.li),
                    padding_left="1.25rem",
                    margin="0",
                    list_style_type="disc",
                ),
                *fix,
                spacing="1",
                align="start",
            ),
            color_scheme="red",
            role="alert",
            width="100%",
        ),
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
