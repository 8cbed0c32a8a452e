"""The Microsoft Customer Agreement's acceptance fields (order form, tenant screen), and the
tenant screen's notice with the dialog that records an acceptance."""

from __future__ import annotations

import reflex as rx

from o365portal.ui.components.dialogs import form_dialog
from o365portal.ui.components.forms import field_error, field_label, form_errors
from o365portal.ui.tenants.agreement import AgreementForm


def _field(
    state: type[AgreementForm],
    errors: rx.Var[dict[str, str]],
    label: str,
    name: str,
    **props: object,
) -> rx.Component:
    return rx.vstack(
        field_label(label, name, required=True),
        rx.input(
            id=name,
            name=name,
            value=state.mca_values[name],
            on_change=lambda value: state.set_mca_value(name, value),
            aria_invalid=rx.cond(errors.contains(name), "true", "false"),
            size="3",
            width="100%",
            **props,
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def agreement_fields(state: type[AgreementForm], errors: rx.Var[dict[str, str]]) -> rx.Component:
    """Who accepted the agreement for the customer and when, and the confirmation."""
    return rx.vstack(
        rx.grid(
            _field(state, errors, "Signer's first name", "mca_first_name", auto_complete="off"),
            _field(state, errors, "Signer's last name", "mca_last_name", auto_complete="off"),
            _field(state, errors, "Signer's e-mail", "mca_email", type="email"),
            _field(state, errors, "Accepted on", "mca_date", type="date", max=state.mca_latest_day),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        rx.checkbox(
            "The signer accepted the Microsoft Customer Agreement for the customer.",
            checked=state.mca_confirmed,
            on_change=state.set_mca_confirmed,
            name="mca_confirmed",
        ),
        field_error(errors, "mca_confirmed"),
        rx.cond(
            state.mca_link != "",
            rx.link(
                "Read the Microsoft Customer Agreement",
                href=state.mca_link,
                is_external=True,
                size="2",
            ),
        ),
        spacing="2",
        width="100%",
    )


def agreement_notice(state: type[AgreementForm]) -> rx.Component:
    """While the customer has not accepted: why it matters, and a dialog to record it."""
    dialog = form_dialog(
        "Microsoft Customer Agreement",
        rx.vstack(
            rx.text("Who accepted the agreement for the customer, and when?", size="2"),
            agreement_fields(state, state.mca_errors),
            form_errors(state.mca_other_errors),
            spacing="3",
        ),
        open_=state.mca_open,
        on_open_change=state.set_mca_open,
        on_submit=state.record_agreement,
        submit_label="Record acceptance",
    )
    return rx.cond(
        state.mca_needed,
        rx.callout.root(
            rx.callout.icon(rx.icon("file-pen-line")),
            rx.vstack(
                rx.text(
                    "Microsoft accepts orders for this tenant only once the customer has "
                    "accepted the Microsoft Customer Agreement."
                ),
                rx.button(
                    "Record the acceptance", variant="soft", on_click=state.set_mca_open(True)
                ),
                dialog,
                spacing="2",
                align="start",
            ),
            color_scheme="orange",
            width="100%",
        ),
    )
