"""The "Organizations" section of a customer price list: who uses it, and assigning it."""

from __future__ import annotations

import reflex as rx

from o365portal.services import organizations, pricing
from o365portal.services.principal import Principal
from o365portal.ui import routes, styles
from o365portal.ui.events import data_event
from o365portal.ui.pricing.price_lists_state import PriceListState

MATCHES = 5


class PriceAssignState(PriceListState):
    """The organizations using the list and the search for one to assign."""

    assigned: list[pricing.PriceListUser] = []
    org_query: str = ""
    matches: list[organizations.OrganizationView] = []

    def _refresh_assigned(self, principal: Principal) -> None:
        self.assigned = []
        if not self.is_customer_list:
            return
        summary = pricing.get_price_list(actor=principal, list_id=self._list_id())
        self.assigned = summary.organizations

    @data_event
    def load_assigned(self, principal: Principal) -> None:
        """on_load (after the list): the organizations using it."""
        self.org_query, self.matches = "", []
        self._refresh_assigned(principal)

    @data_event
    def search_organizations(self, principal: Principal, query: str) -> None:
        """Organizations whose name, registration number or domain contains `query`."""
        self.org_query, self.matches = query, []
        if not query.strip():
            return
        found = organizations.search_organizations(actor=principal, query=query, page_size=MATCHES)
        self.matches = found.items

    def _assign(
        self, principal: Principal, organization_id: int, list_id: int | None, done: str
    ) -> rx.event.EventSpec:
        pricing.assign_price_list(actor=principal, organization_id=organization_id, list_id=list_id)
        self.org_query, self.matches = "", []
        self._refresh_assigned(principal)
        return rx.toast.success(done)

    @data_event
    def assign(self, principal: Principal, organization_id: int, name: str) -> rx.event.EventSpec:
        """Make this the organization's price list."""
        done = f"{name} now uses {self.list_name}."
        return self._assign(principal, organization_id, self._list_id(), done)

    @data_event
    def unassign(self, principal: Principal, organization_id: int, name: str) -> rx.event.EventSpec:
        """Let the organization use the global list only."""
        done = f"{name} now uses the global price list."
        return self._assign(principal, organization_id, None, done)


def _assigned(row: rx.Var[pricing.PriceListUser]) -> rx.Component:
    return rx.hstack(
        rx.link(row.company_name, href=routes.organization_url(row.id)),
        rx.spacer(),
        rx.button(
            "Remove",
            size="1",
            variant="soft",
            color_scheme="gray",
            aria_label="Remove " + row.company_name,
            on_click=PriceAssignState.unassign(row.id, row.company_name),
        ),
        width="100%",
        align="center",
    )


def _match(row: rx.Var[organizations.OrganizationView]) -> rx.Component:
    return rx.hstack(
        rx.text(row.company_name, size="2"),
        rx.spacer(),
        rx.button(
            "Assign",
            size="1",
            aria_label="Assign to " + row.company_name,
            on_click=PriceAssignState.assign(row.id, row.company_name),
        ),
        width="100%",
        align="center",
    )


def assignment_section() -> rx.Component:
    """Who uses the list, and a search to assign it to another organization."""
    return rx.card(
        rx.vstack(
            rx.heading("Organizations using this list", size="3"),
            rx.cond(
                PriceAssignState.assigned.length() > 0,
                rx.vstack(rx.foreach(PriceAssignState.assigned, _assigned), width="100%"),
                rx.text("No organization uses this list yet.", size="2", color=styles.MUTED),
            ),
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                placeholder="Find an organization to assign",
                aria_label="Find an organization to assign",
                value=PriceAssignState.org_query,
                on_change=PriceAssignState.search_organizations,
                width="100%",
            ),
            rx.vstack(rx.foreach(PriceAssignState.matches, _match), width="100%"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        margin_bottom="1rem",
    )
