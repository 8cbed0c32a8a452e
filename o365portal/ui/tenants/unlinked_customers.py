"""Manage Organizations -> Unlinked tenants (brokers): Partner Center customers that no
organization is linked to (e.g. tenants that accepted the reseller relationship, or were made
in Microsoft's portal), each linkable to an organization found by name. A link made anywhere
removes the customer from an open list (the live feed, ui/live.py)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import changes, organizations, tenants
from o365portal.services.principal import Principal
from o365portal.ui import live, routes, styles
from o365portal.ui.components.layout import page_shell
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class UnlinkedState(SessionState):
    """The unlinked customers and the one link dialog."""

    rows: list[tenants.UnlinkedCustomer] = []
    loading: bool = True
    error: str = ""
    dialog_open: bool = False
    chosen: tenants.UnlinkedCustomer | None = None
    query: str = ""
    matches: list[organizations.OrganizationView] = []
    hint: str = ""

    @data_event(background=True, show_in="error")
    async def load(self, principal: Principal) -> None:
        """on_load: ask Partner Center for its customers and drop the linked ones."""
        async with self:
            self.rows, self.loading, self.error = [], True, ""
        try:
            await self._fetch(principal)
        finally:
            async with self:
                self.loading = False

    @data_event(background=True, quiet=True)
    async def refresh(self, principal: Principal) -> None:
        """The live feed moved: ask Partner Center again (no spinner; the dialog stays)."""
        await self._fetch(principal)

    async def _fetch(self, principal: Principal) -> None:
        rows = await tenants.unlinked_customers(actor=principal)
        async with self:
            self.rows = rows

    @data_event(show_in="hint")
    def open_link(self, principal: Principal, customer_id: str) -> None:
        """Choose an organization for this customer: those named like it, else all candidates."""
        self.chosen = next((row for row in self.rows if row.customer_id == customer_id), None)
        if self.chosen is None:
            return
        self.dialog_open = True
        self._search(principal, self.chosen.company_name)
        if not self.matches and self.query:
            named = self.query
            self._search(principal, "")
            if self.matches:
                self.hint = (
                    f"No organization is named like “{named}”. Organizations without a tenant:"
                )

    @data_event(show_in="hint")
    def search(self, principal: Principal, query: str) -> None:
        """Organizations without a tenant whose name matches, for the dialog."""
        self._search(principal, query)

    def _search(self, principal: Principal, query: str) -> None:
        self.query, self.matches, self.hint = query, [], ""
        found = organizations.search_organizations(
            actor=principal, query=query, page_size=8, without_tenant=True
        )
        self.matches = found.items
        if not self.matches:
            self.hint = (
                f"No organization without a tenant matches “{query.strip()}”."
                if query.strip()
                else "Every organization has a tenant already: add the organization first."
            )

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        """Close (or open) the dialog."""
        self.dialog_open = value

    @data_event(background=True)
    async def link(self, principal: Principal, organization_id: int) -> rx.event.EventSpec:
        """Link the chosen customer to the organization."""
        async with self:
            customer_id = self.chosen.customer_id if self.chosen else ""
        view = await tenants.link_customer(
            actor=principal, organization_id=organization_id, customer_id=customer_id
        )
        async with self:
            self.dialog_open = False
            self.rows = [r for r in self.rows if r.customer_id != customer_id]
        return rx.toast.success(f"Linked {view.domain}.")


def _row(row: rx.Var[tenants.UnlinkedCustomer]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(row.company_name, weight="medium"),
                rx.text(row.domain, size="2", color=styles.MUTED),
                rx.text("Tenant id ", row.customer_id, size="1", color=styles.MUTED),
                spacing="1",
                min_width="0",
            ),
            rx.spacer(),
            rx.button(
                "Link to organization…",
                variant="soft",
                aria_label="Link " + row.domain + " to an organization",
                on_click=UnlinkedState.open_link(row.customer_id),
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="0.75rem",
            width="100%",
        ),
        width="100%",
    )


def _match(org: rx.Var[organizations.OrganizationView]) -> rx.Component:
    return rx.hstack(
        rx.text(org.company_name, flex="1", min_width="0"),
        rx.button("Link here", size="2", on_click=UnlinkedState.link(org.id)),
        align="center",
        width="100%",
    )


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Link ", UnlinkedState.chosen.domain),
            rx.vstack(
                rx.input(
                    placeholder="Search organizations",
                    aria_label="Search organizations",
                    value=UnlinkedState.query,
                    on_change=UnlinkedState.search,
                    width="100%",
                ),
                rx.cond(
                    UnlinkedState.hint != "",
                    rx.text(UnlinkedState.hint, size="2", color=styles.MUTED),
                ),
                rx.vstack(rx.foreach(UnlinkedState.matches, _match), width="100%"),
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                spacing="3",
            ),
            max_width="min(32rem, 96vw)",
        ),
        open=UnlinkedState.dialog_open,
        on_open_change=UnlinkedState.set_dialog_open,
    )


@routes.page(routes.UNLINKED_TENANTS, UnlinkedState.load)
def unlinked_customers_page() -> rx.Component:
    """The broker's unlinked Partner Center customers."""
    return page_shell(
        "Unlinked tenants",
        rx.cond(
            UnlinkedState.error != "",
            rx.callout(UnlinkedState.error, icon="circle-alert", color_scheme="red", role="alert"),
        ),
        rx.cond(
            UnlinkedState.loading,
            rx.spinner(size="3"),
            rx.cond(
                UnlinkedState.rows.length() > 0,
                rx.vstack(rx.foreach(UnlinkedState.rows, _row), spacing="3", width="100%"),
                rx.text("Every Partner Center customer is linked to an organization."),
            ),
        ),
        _dialog(),
        live.watch(UnlinkedState.refresh, changes.UNLINKED),
    )
