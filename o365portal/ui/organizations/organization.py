"""One organization's page: its record, and (for brokers) editing it.

Customers reach only their own organization: the service answers NotFound for any other id,
and this state then holds nothing of it.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import organizations, tenants
from o365portal.services.principal import Principal
from o365portal.ui import routes
from o365portal.ui.components.dialogs import form_dialog
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.notices import organization_not_found
from o365portal.ui.events import data_event
from o365portal.ui.organizations.organization_form import organization_form_fields
from o365portal.ui.session import SessionState
from o365portal.ui.tenants.tenant_card import tenant_details


class OrganizationState(SessionState):
    """The organization shown, or a not-found message."""

    organization: organizations.OrganizationView | None = None
    missing: bool = False
    dialog_open: bool = False
    form_values: dict[str, str] = {}
    errors: dict[str, str] = {}
    tenant: tenants.TenantView | None = None

    @data_event(show_in="missing")
    def load(self, principal: Principal) -> None:
        """on_load: read the organization named in the URL, if the actor may see it."""
        self.organization, self.tenant, self.missing, self.dialog_open = None, None, False, False
        self.form_values, self.errors = {}, {}
        view = organizations.get_organization(
            actor=principal, organization_id=routes.organization_id(self)
        )
        self.tenant = tenants.get_tenant(actor=principal, organization_id=view.id)
        self.organization = view

    @rx.event
    def open_edit(self) -> None:
        """Open the edit dialog with the current values."""
        if self.organization is None:
            return
        self.form_values = self.organization.as_form()
        self.errors, self.dialog_open = {}, True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        """Close (or open) the edit dialog."""
        self.dialog_open = value

    @data_event
    def save(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec:
        """Save the edited record; messages at the fields on bad input."""
        self.form_values = {key: str(value) for key, value in form.items()}
        view = organizations.update_organization(
            actor=principal, organization_id=routes.organization_id(self), form=self.form_values
        )
        self.organization, self.dialog_open, self.errors = view, False, {}
        return rx.toast.success(f"Saved {view.company_name}.")


def _item(label: str, field: str) -> rx.Component:
    value = getattr(OrganizationState.organization, field)
    return rx.data_list.item(
        rx.data_list.label(label),
        rx.data_list.value(rx.cond(value != "", value, "—")),
    )


def _tenant_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Microsoft 365 tenant", size="4"),
            rx.cond(
                OrganizationState.tenant,
                tenant_details(OrganizationState.tenant),
                rx.flex(
                    rx.text("No tenant yet."),
                    rx.link(
                        rx.button("Add service", variant="soft"),
                        href=OrganizationState.organization.url + "/estore",
                    ),
                    align="center",
                    gap="0.75rem",
                    wrap="wrap",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _subscriptions_entry() -> rx.Component:
    url = OrganizationState.organization.url + "/estore/microsoft-365/subscriptions"
    return rx.card(
        rx.hstack(
            rx.icon("package", size=20, color="var(--accent-9)"),
            rx.vstack(
                rx.text("My Services · Microsoft 365 CSP Direct", size="1", color="var(--gray-11)"),
                rx.link("Subscriptions", href=url, weight="medium"),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def _details() -> rx.Component:
    org = OrganizationState.organization
    return rx.vstack(
        rx.hstack(
            rx.heading(org.company_name, size="5"),
            rx.spacer(),
            rx.cond(
                OrganizationState.is_broker,
                rx.button(
                    rx.icon("pencil", size=16),
                    "Edit",
                    variant="soft",
                    on_click=OrganizationState.open_edit,
                ),
            ),
            width="100%",
            align="center",
        ),
        rx.card(
            rx.data_list.root(
                _item("Registration number", "registration_number"),
                _item("Street address", "street_address"),
                _item("Postal code", "postal_code"),
                _item("City", "city"),
                _item("State / province", "state"),
                _item("Country", "country_name"),
                _item("Contact", "contact_name"),
                _item("E-mail", "email"),
                _item("Phone", "phone"),
                _item("Language", "language_name"),
                _item("Microsoft 365 domain", "domain"),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            width="100%",
        ),
        _tenant_section(),
        _subscriptions_entry(),
        form_dialog(
            "Edit organization",
            organization_form_fields(OrganizationState.form_values, OrganizationState.errors),
            open_=OrganizationState.dialog_open,
            on_open_change=OrganizationState.set_dialog_open,
            on_submit=OrganizationState.save,
        ),
        spacing="4",
        width="100%",
    )


@routes.page(routes.ORGANIZATION, OrganizationState.load)
def organization_page() -> rx.Component:
    """An organization's record, or a plain not-found message."""
    return page_shell(
        "Organization",
        rx.cond(
            OrganizationState.missing,
            organization_not_found(),
            rx.cond(OrganizationState.organization, _details(), rx.spinner(size="3")),
        ),
    )
