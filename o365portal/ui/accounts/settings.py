"""My Services -> Settings: billing cycles offered, approvals, Microsoft billing day, currency."""

from __future__ import annotations

import reflex as rx

from o365portal.services import accounts
from o365portal.services.principal import Principal
from o365portal.ui import routes, styles
from o365portal.ui.components.forms import select_field, text_field
from o365portal.ui.components.layout import page_shell
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class SettingsState(SessionState):
    """The settings form's values and messages."""

    form_values: dict[str, str] = {}
    errors: dict[str, str] = {}
    loaded: bool = False

    @data_event(quiet=True)
    def load(self, principal: Principal) -> None:
        """on_load: read the saved settings (brokers only; checked by the service, and a
        customer's tab is on its way elsewhere: no message)."""
        self.loaded, self.form_values = False, {}
        self.form_values = accounts.get_broker_settings(actor=principal).as_form()
        self.errors, self.loaded = {}, True

    @data_event
    def save(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec:
        """Validate and save; a confirmation toast on success, messages at the fields otherwise."""
        self.form_values = {key: str(value) for key, value in form.items()}
        saved = accounts.update_broker_settings(actor=principal, form=dict(form))
        self.form_values, self.errors = saved.as_form(), {}
        return rx.toast.success("Settings saved.")


def _settings_form() -> rx.Component:
    values, errors = SettingsState.form_values, SettingsState.errors
    return rx.form(
        rx.vstack(
            text_field(
                "Broker name", "broker_name", errors, value=values["broker_name"], required=True
            ),
            select_field(
                "Billing cycles offered to customers",
                "allowed_billing_cycles",
                accounts.CYCLE_OPTIONS,
                errors,
                value=values["allowed_billing_cycles"],
            ),
            select_field(
                "Microsoft billing cycle day",
                "billing_cycle_day",
                accounts.BILLING_DAY_OPTIONS,
                errors,
                value=values["billing_cycle_day"],
            ),
            rx.text(
                "Billing reports follow this cycle: a cycle ending on the 15th gives a report "
                "dated the 16th covering the 16th of the previous month to the 15th.",
                size="2",
                color=styles.MUTED,
            ),
            select_field(
                "Currency",
                "currency",
                accounts.CURRENCY_OPTIONS,
                errors,
                value=values["currency"],
            ),
            select_field(
                "Number format for prices",
                "number_locale",
                accounts.NUMBER_LOCALE_OPTIONS,
                errors,
                value=values["number_locale"],
            ),
            rx.text(
                "Prices are typed, imported (CSV) and shown with this format's decimal sign.",
                size="2",
                color=styles.MUTED,
            ),
            rx.el.label(
                rx.hstack(
                    rx.el.input(
                        type="checkbox",
                        name="approvals_required",
                        id="approvals_required",
                        default_checked=values["approvals_required"] == "on",
                        style={"width": "1.1rem", "height": "1.1rem"},
                    ),
                    rx.text("Customer transactions need the broker's approval", size="3"),
                    align="center",
                ),
                html_for="approvals_required",
            ),
            rx.button("Save settings", type="submit", size="3"),
            spacing="4",
            width="100%",
            max_width="36rem",
        ),
        on_submit=SettingsState.save,
        no_validate=True,
        # re-mount the form with fresh default values after each load
        key=SettingsState.form_values.to_string(),
    )


@routes.page(routes.SETTINGS, SettingsState.load)
def settings_page() -> rx.Component:
    """The broker's settings."""
    return page_shell(
        "Settings",
        rx.cond(SettingsState.loaded, _settings_form(), rx.spinner(size="3")),
    )
