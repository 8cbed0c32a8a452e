"""Manage Organizations -> Organizations: search, paged list, add and edit (brokers only)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import organizations
from o365portal.services.principal import Principal
from o365portal.ui import routes, styles
from o365portal.ui.components.dialogs import form_dialog
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.pager import pager
from o365portal.ui.events import data_event
from o365portal.ui.organizations.organization_form import organization_form_fields
from o365portal.ui.paging import PagedList
from o365portal.ui.session import SessionState


class OrganizationsState(PagedList, SessionState):
    """The visible page of organizations and the add/edit dialog."""

    page_size: int = 20
    query: str = ""
    rows: list[organizations.OrganizationView] = []
    dialog_open: bool = False
    editing_id: int = 0
    form_values: dict[str, str] = {}
    errors: dict[str, str] = {}

    def _empty_summary(self) -> str:
        return "No organizations match." if self.query else "No organizations yet."

    @rx.var
    def dialog_title(self) -> str:
        """Add or edit."""
        return "Edit organization" if self.editing_id else "Add organization"

    def _reload(self, principal: Principal) -> None:
        self.rows, self.total = [], 0
        result = organizations.search_organizations(
            actor=principal, query=self.query, page=self.page, page_size=self.page_size
        )
        self.rows = result.items
        self.total = result.total

    @data_event
    def load(self, principal: Principal) -> None:
        """on_load: first page of the current search."""
        self.page = 1
        self._reload(principal)

    @data_event
    def search(self, principal: Principal, query: str) -> None:
        """Search by name, registration number or domain as the user types."""
        self.query = query
        self.page = 1
        self._reload(principal)

    @rx.event
    def open_add(self) -> None:
        """Open the dialog with an empty form."""
        self.editing_id, self.errors = 0, {}
        self.form_values = organizations.OrganizationInput.blank_form()
        self.dialog_open = True

    @data_event
    def open_edit(self, principal: Principal, organization_id: int) -> None:
        """Open the dialog with the organization's current values."""
        view = organizations.get_organization(actor=principal, organization_id=organization_id)
        self.editing_id, self.errors = view.id, {}
        self.form_values = view.as_form()
        self.dialog_open = True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        """Close (or open) the dialog; closing drops unsaved messages."""
        self.dialog_open = value
        if not value:
            self.errors = {}

    @data_event
    def save(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec:
        """Validate and store; messages go next to their fields and nothing typed is lost."""
        self.form_values = {key: str(value) for key, value in form.items()}
        if self.editing_id:
            organizations.update_organization(
                actor=principal, organization_id=self.editing_id, form=self.form_values
            )
        else:
            organizations.create_organization(actor=principal, form=self.form_values)
        name = self.form_values.get("company_name", "")
        self.dialog_open, self.errors = False, {}
        self._reload(principal)
        return rx.toast.success(f"Saved {name}.")


def _actions(row: rx.Var[organizations.OrganizationView]) -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis"),
                variant="ghost",
                aria_label="Actions for " + row.company_name,
            ),
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item("Open", on_click=rx.redirect(row.url)),
            rx.dropdown_menu.item("Edit", on_click=OrganizationsState.open_edit(row.id)),
            rx.dropdown_menu.item("Add service", on_click=rx.redirect(row.url + "/estore")),
        ),
    )


def _table() -> rx.Component:
    return rx.tablet_and_desktop(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h)
                        for h in (
                            "Organization",
                            "Registration no.",
                            "City",
                            "Country",
                            "Domain",
                            "",
                        )
                    ],
                ),
            ),
            rx.table.body(
                rx.foreach(
                    OrganizationsState.rows,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(rx.link(row.company_name, href=row.url)),
                        rx.table.cell(row.registration_number),
                        rx.table.cell(row.city),
                        rx.table.cell(row.country),
                        rx.table.cell(row.domain),
                        rx.table.cell(_actions(row), text_align="right"),
                        align="center",
                    ),
                ),
            ),
            variant="surface",
            width="100%",
        ),
    )


def _cards() -> rx.Component:
    return rx.mobile_only(
        rx.vstack(
            rx.foreach(
                OrganizationsState.rows,
                lambda row: rx.card(
                    rx.hstack(
                        rx.vstack(
                            rx.link(row.company_name, href=row.url, weight="medium"),
                            rx.text(row.city, " ", row.country, size="2", color=styles.MUTED),
                            rx.text(row.domain, size="2", color=styles.MUTED),
                            spacing="1",
                        ),
                        rx.spacer(),
                        _actions(row),
                        align="start",
                    ),
                    width="100%",
                ),
            ),
            width="100%",
        ),
    )


def _dialog() -> rx.Component:
    return form_dialog(
        OrganizationsState.dialog_title,
        organization_form_fields(OrganizationsState.form_values, OrganizationsState.errors),
        open_=OrganizationsState.dialog_open,
        on_open_change=OrganizationsState.set_dialog_open,
        on_submit=OrganizationsState.save,
    )


@routes.page(routes.ORGANIZATIONS, OrganizationsState.load)
def organizations_page() -> rx.Component:
    """The broker's organization list."""
    return page_shell(
        "Organizations",
        rx.flex(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                placeholder="Search name, registration number or domain",
                aria_label="Search organizations",
                value=OrganizationsState.query,
                on_change=OrganizationsState.search,
                size="3",
                flex="1",
            ),
            rx.button(
                rx.icon("plus", size=16),
                "Add organization",
                size="3",
                on_click=OrganizationsState.open_add,
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="0.75rem",
            width="100%",
            margin_bottom="1rem",
        ),
        _table(),
        _cards(),
        pager(
            OrganizationsState.summary,
            OrganizationsState.has_previous,
            OrganizationsState.has_next,
            OrganizationsState.previous_page,
            OrganizationsState.next_page,
        ),
        _dialog(),
    )
