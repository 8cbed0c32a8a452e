"""The Microsoft 365 CSP Direct service screen: the organization's tenant (and recording the
customer's acceptance of the Microsoft Customer Agreement when Partner Center lacks it), or
"Add service" (a new tenant, prefilled from the organization) and "Link an existing tenant"."""

from __future__ import annotations

import reflex as rx

from o365portal.services import tenants
from o365portal.ui import routes, styles
from o365portal.ui.components.forms import field_error, field_label, form_errors
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.notices import organization_not_found
from o365portal.ui.sync.tenant_sync import TenantSyncState, tenant_sync_card
from o365portal.ui.tenants.agreement_fields import agreement_notice
from o365portal.ui.tenants.tenant_card import tenant_details
from o365portal.ui.tenants.tenant_state import TenantState


def _alert(message: rx.Var[str] | str, color: str = "red") -> rx.Component:
    return rx.callout(message, icon="circle-alert", color_scheme=color, role="alert", width="100%")


def _info_item(label: str, value: rx.Var[str]) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label), rx.data_list.value(rx.cond(value != "", value, "—"))
    )


def _registration_number() -> rx.Component:
    value = TenantState.new_tenant.registration_number
    return rx.data_list.item(
        rx.data_list.label("Registration number"),
        rx.data_list.value(
            rx.cond(
                TenantState.new_tenant.registration_number_needed,
                rx.cond(value != "", value, "—"),
                "Not needed in this country",
            )
        ),
    )


def _prefilled() -> rx.Component:
    data = TenantState.new_tenant
    return rx.data_list.root(
        _info_item("Company", data.company_name),
        _registration_number(),
        _info_item("Address", data.address),
        _info_item("Contact", data.contact),
        _info_item("E-mail", data.email),
        _info_item("Phone", data.phone),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
    )


def _record_fix(action: str) -> rx.Component:
    """Brokers go to the organization record; customers, who cannot edit it, ask the broker."""
    return rx.cond(
        TenantState.may_edit_org,
        rx.link(f"{action} the organization record", href=TenantState.organization_url),
        rx.text(f"Please ask your broker to {action.lower()} the organization record."),
    )


def _missing_address() -> rx.Component:
    return rx.cond(
        TenantState.missing.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("map-pin")),
            rx.vstack(
                rx.text("Microsoft needs more of the organization's record:"),
                rx.el.ul(
                    rx.foreach(TenantState.missing, lambda m: rx.el.li(m.message)),
                    padding_left="1.25rem",
                ),
                _record_fix("Complete"),
                spacing="1",
            ),
            color_scheme="orange",
            role="alert",
            width="100%",
        ),
    )


def _domain_message() -> rx.Component:
    return rx.cond(
        TenantState.domain_message != "",
        rx.text(
            TenantState.domain_message,
            size="2",
            role="status",
            color=rx.cond(TenantState.domain_available, "var(--green-11)", "var(--red-11)"),
        ),
    )


def _prefix_field() -> rx.Component:
    return rx.vstack(
        field_label("Domain prefix", "prefix", required=True),
        rx.hstack(
            rx.input(
                id="prefix",
                name="prefix",
                value=TenantState.prefix,
                on_change=TenantState.set_prefix,
                auto_complete="off",
                size="3",
                flex="1",
                min_width="0",
            ),
            rx.text(".onmicrosoft.com", color=styles.MUTED, size="3"),
            align="center",
            width="100%",
        ),
        _domain_message(),
        field_error(TenantState.field_errors, "prefix"),
        rx.cond(
            TenantState.domain_taken,
            rx.link("Link the existing tenant instead", href="#link-existing"),
        ),
        spacing="1",
        width="100%",
    )


def _new_tenant() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Add a new tenant", size="4"),
                rx.cond(
                    TenantState.unfinished_domain != "",
                    _alert(
                        "An earlier attempt for " + TenantState.unfinished_domain + " did not "
                        "finish. Add service again: the portal continues where it stopped.",
                        "orange",
                    ),
                ),
                _prefilled(),
                _missing_address(),
                _prefix_field(),
                form_errors(TenantState.record_errors, _record_fix("Correct")),
                rx.button(
                    "Add service",
                    type="submit",
                    size="3",
                    loading=TenantState.creating,
                    disabled=TenantState.missing.length() > 0,
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=TenantState.create,
            no_validate=True,
        ),
        width="100%",
    )


def _unlinked_row(row: rx.Var[tenants.UnlinkedCustomer]) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row.company_name, weight="medium"),
            rx.text(row.domain, size="2", color=styles.MUTED),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.button(
            "Link",
            variant="soft",
            aria_label="Link " + row.domain,
            on_click=TenantState.link_customer(row.customer_id),
            loading=TenantState.linking,
        ),
        align="center",
        width="100%",
        padding_y="0.5rem",
        border_top=styles.BORDER,
    )


def _relationship_link() -> rx.Component:
    return rx.vstack(
        rx.text("1. Send this link to the tenant's administrator to accept you as reseller."),
        rx.cond(
            TenantState.link_url != "",
            rx.hstack(
                rx.input(
                    value=TenantState.link_url,
                    read_only=True,
                    aria_label="Relationship link",
                    flex="1",
                    min_width="0",
                ),
                rx.button("Copy", variant="soft", on_click=rx.set_clipboard(TenantState.link_url)),
                width="100%",
            ),
            rx.button("Show the relationship link", variant="soft", on_click=TenantState.show_link),
        ),
        spacing="2",
        width="100%",
    )


def _link_by_domain() -> rx.Component:
    return rx.vstack(
        rx.text("2. Once accepted, enter the tenant's domain and link it."),
        field_label("Tenant domain", "link_domain"),
        rx.flex(
            rx.input(
                id="link_domain",
                placeholder="contoso.onmicrosoft.com",
                value=TenantState.link_domain,
                on_change=TenantState.set_link_domain,
                aria_invalid=rx.cond(
                    TenantState.field_errors.contains("link_domain"), "true", "false"
                ),
                size="3",
                width="100%",
                flex=rx.breakpoints(initial="none", sm="1"),
            ),
            rx.button(
                "Link tenant",
                size="3",
                on_click=TenantState.link_domain_now,
                loading=TenantState.linking,
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="0.5rem",
            width="100%",
        ),
        field_error(TenantState.field_errors, "link_domain"),
        spacing="2",
        width="100%",
    )


def _link_existing() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Link an existing tenant", size="4", id="link-existing"),
            _relationship_link(),
            _link_by_domain(),
            rx.cond(TenantState.link_error != "", _alert(TenantState.link_error)),
            rx.cond(
                TenantState.unlinked.length() > 0,
                rx.vstack(
                    rx.text("Or pick one of your Partner Center customers not linked yet:"),
                    rx.foreach(TenantState.unlinked, _unlinked_row),
                    spacing="1",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )


def _content() -> rx.Component:
    return rx.cond(
        TenantState.tenant,
        rx.card(
            rx.vstack(
                rx.heading("Microsoft 365 tenant", size="4"),
                tenant_details(TenantState.tenant),
                agreement_notice(TenantState),
                tenant_sync_card(),
                rx.hstack(
                    rx.link(
                        rx.button(rx.icon("package", size=16), "Subscriptions", variant="soft"),
                        href="/organizations/"
                        + TenantState.org_id.to(str)
                        + "/estore/microsoft-365/subscriptions",
                    ),
                    rx.link(
                        rx.button(rx.icon("users", size=16), "Users", variant="soft"),
                        href="/organizations/"
                        + TenantState.org_id.to(str)
                        + "/estore/microsoft-365/users",
                    ),
                    rx.link(
                        rx.button(rx.icon("receipt", size=16), "Billing report", variant="soft"),
                        href="/organizations/"
                        + TenantState.org_id.to(str)
                        + "/estore/microsoft-365/billing",
                    ),
                    wrap="wrap",
                ),
                spacing="3",
            ),
            width="100%",
        ),
        rx.vstack(
            rx.cond(TenantState.error != "", _alert(TenantState.error)),
            _new_tenant(),
            _link_existing(),
            spacing="4",
            width="100%",
        ),
    )


@routes.page(routes.M365_SERVICE, TenantState.load, TenantSyncState.load)
def tenant_page() -> rx.Component:
    """The service screen of one organization."""
    return page_shell(
        "Microsoft 365 CSP Direct",
        rx.cond(
            TenantState.missing_org,
            organization_not_found(),
            rx.cond(TenantState.loading, rx.spinner(size="3"), _content()),
        ),
    )
