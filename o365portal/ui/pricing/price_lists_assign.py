"""The "Organizations" section of a customer price list: who uses it, and assigning it."""

from __future__ import annotations

import reflex as rx

from o365portal.services import organizations, pricing
from o365portal.services.errors import ServiceError
from o365portal.ui import routes, styles
from o365portal.ui.pricing.price_lists_state import PriceListState

MATCHES = 5


class PriceAssignState(PriceListState):
    """The organizations using the list and the search for one to assign."""

    assigned: list[dict[str, str]] = []
    org_query: str = ""
    matches: list[dict[str, str]] = []

    def _refresh_assigned(self) -> rx.event.EventSpec | None:
        principal = self._principal()
        if principal is None:
            return self._to_login()
        self.assigned = []
        if not self.is_customer_list:
            return None
        try:
            summary = pricing.get_price_list(actor=principal, list_id=self._list_id())
        except ServiceError as error:
            return rx.toast.error(str(error))
        self.assigned = [
            {"id": str(org_id), "name": name, "url": routes.organization_url(org_id)}
            for org_id, name in summary.organizations
        ]
        return None

    @rx.event
    def load_assigned(self) -> rx.event.EventSpec | None:
        """on_load (after the list): the organizations using it."""
        self.org_query, self.matches = "", []
        return self._refresh_assigned()

    @rx.event
    def search_organizations(self, query: str) -> rx.event.EventSpec | None:
        """Organizations whose name, registration number or domain contains `query`."""
        self.org_query, self.matches = query, []
        principal = self._principal()
        if principal is None:
            return self._to_login()
        if not query.strip():
            return None
        try:
            found = organizations.search_organizations(
                actor=principal, query=query, page_size=MATCHES
            )
        except ServiceError as error:
            return rx.toast.error(str(error))
        self.matches = [{"id": str(o.id), "name": o.company_name} for o in found.items]
        return None

    def _assign(self, organization_id: int, list_id: int | None, done: str) -> rx.event.EventSpec:
        principal = self._principal()
        if principal is None:
            return self._to_login()
        try:
            pricing.assign_price_list(
                actor=principal, organization_id=organization_id, list_id=list_id
            )
        except ServiceError as error:
            return rx.toast.error(str(error))
        self.org_query, self.matches = "", []
        return self._refresh_assigned() or rx.toast.success(done)

    @rx.event
    def assign(self, organization_id: int, name: str) -> rx.event.EventSpec:
        """Make this the organization's price list."""
        return self._assign(organization_id, self._list_id(), f"{name} now uses {self.list_name}.")

    @rx.event
    def unassign(self, organization_id: int, name: str) -> rx.event.EventSpec:
        """Let the organization use the global list only."""
        return self._assign(organization_id, None, f"{name} now uses the global price list.")


def _assigned(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.hstack(
        rx.link(row["name"], href=row["url"]),
        rx.spacer(),
        rx.button(
            "Remove",
            size="1",
            variant="soft",
            color_scheme="gray",
            aria_label="Remove " + row["name"],
            on_click=PriceAssignState.unassign(row["id"].to(int), row["name"]),
        ),
        width="100%",
        align="center",
    )


def _match(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.hstack(
        rx.text(row["name"], size="2"),
        rx.spacer(),
        rx.button(
            "Assign",
            size="1",
            aria_label="Assign to " + row["name"],
            on_click=PriceAssignState.assign(row["id"].to(int), row["name"]),
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
