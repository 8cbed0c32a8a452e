"""An organization's e-store: the services the broker offers (brokers reach it through
Organizations -> Actions -> Add service; customers through their own navigation)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import organizations, tenants
from o365portal.services.principal import Principal
from o365portal.ui import routes, styles
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.notices import organization_not_found
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class EstoreState(SessionState):
    """The organization whose e-store is shown, and whether it already has the service."""

    org_name: str = ""
    service_url: str = ""
    active_domain: str = ""
    missing: bool = False

    @data_event(show_in="missing")
    def load(self, principal: Principal) -> None:
        """on_load: the organization named in the URL, if the actor may see it."""
        self.org_name, self.missing, self.active_domain, self.service_url = "", False, "", ""
        org_id = routes.organization_id(self)
        org = organizations.get_organization(actor=principal, organization_id=org_id)
        tenant = tenants.get_tenant(actor=principal, organization_id=org_id)
        self.org_name, self.service_url = org.company_name, routes.m365_service_url(org_id)
        self.active_domain = tenant.domain if tenant else ""


def _m365_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("cloud", size=28, color="var(--accent-9)"),
                rx.heading("Microsoft 365 CSP Direct", size="4"),
                align="center",
            ),
            rx.text(
                "Create a new Microsoft 365 tenant for the organization, or link the one it "
                "already has.",
                color=styles.MUTED,
            ),
            rx.cond(
                EstoreState.active_domain != "",
                rx.badge("Active: ", EstoreState.active_domain, color_scheme="green"),
                rx.badge("Not added yet", color_scheme="gray"),
            ),
            rx.button(
                "Open",
                size="3",
                # until this organization's page has loaded, the target is unknown (or another
                # organization's, from the last e-store opened in this tab)
                disabled=EstoreState.service_url == "",
                on_click=rx.redirect(EstoreState.service_url),
            ),
            spacing="3",
            align="start",
        ),
        max_width="28rem",
        width="100%",
    )


@routes.page(routes.ESTORE, EstoreState.load)
def estore_page() -> rx.Component:
    """The services the organization can add."""
    return page_shell(
        "E-store",
        rx.cond(
            EstoreState.missing,
            organization_not_found(),
            rx.vstack(
                rx.text("Services for ", rx.text.strong(EstoreState.org_name)),
                _m365_card(),
                spacing="4",
                width="100%",
            ),
        ),
    )
