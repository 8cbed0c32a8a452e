"""One controlled dialog per page, sized to fit a phone screen."""

from __future__ import annotations

import reflex as rx


def form_dialog(
    title: rx.Var[str] | str,
    body: rx.Component,
    *,
    open_: rx.Var[bool],
    on_open_change: rx.EventHandler,
    on_submit: rx.EventHandler,
    submit_label: rx.Var[str] | str = "Save",
) -> rx.Component:
    """A dialog holding a form: fields in `body`, Cancel and a submit button below."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    body,
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(submit_label, type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="4",
                ),
                on_submit=on_submit,
                no_validate=True,
            ),
            max_width="min(40rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=open_,
        on_open_change=on_open_change,
    )
