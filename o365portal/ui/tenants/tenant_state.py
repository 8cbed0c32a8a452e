"""State of the Microsoft 365 CSP Direct service screen: the tenant with its Microsoft Customer
Agreement (read from Partner Center, recorded here when missing), or the new-tenant form with
its live domain check and linking an existing tenant. Everything that awaits Partner Center
runs as a background event with short `async with self` blocks."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from o365portal.services import tenants
from o365portal.services.errors import InvalidInput, NotFound, ServiceError
from o365portal.services.principal import Principal
from o365portal.services.tenants import AgreementView
from o365portal.ui import routes
from o365portal.ui.components.forms import errors_not_shown
from o365portal.ui.events import data_event
from o365portal.ui.organizations.organization_form import LABELS
from o365portal.ui.session import SessionState
from o365portal.ui.tenants.agreement import AgreementForm


class TenantState(AgreementForm, SessionState):
    """One organization's tenant, or the forms to get one."""

    org_id: int = 0
    org_name: str = ""
    missing_org: bool = False
    loading: bool = True
    tenant: tenants.TenantView | None = None
    new_tenant: tenants.NewTenantForm | None = None  # the organization's data Microsoft gets
    missing: list[tenants.MissingItem] = []
    may_edit_org: bool = False
    unfinished_domain: str = ""
    prefix: str = ""
    domain_message: str = ""
    domain_available: bool = False
    domain_taken: bool = False
    creating: bool = False
    error: str = ""
    field_errors: dict[str, str] = {}
    link_url: str = ""
    link_domain: str = ""
    link_error: str = ""
    linking: bool = False
    unlinked: list[tenants.UnlinkedCustomer] = []

    @rx.var
    def organization_url(self) -> str:
        """The organization record (where a missing address is completed)."""
        return routes.organization_url(self.org_id)

    @rx.var
    def record_errors(self) -> list[str]:
        """Partner Center's messages about fields of the organization record (not on this form)."""
        return errors_not_shown(self.field_errors, {"prefix", "link_domain"}, LABELS)

    def _start(self) -> None:
        self.org_id = routes.organization_id(self)
        self.tenant, self.new_tenant, self.missing, self.error = None, None, [], ""
        self.field_errors, self.domain_message, self.domain_taken = {}, "", False
        self.link_url, self.link_error, self.unlinked = "", "", []
        self.missing_org, self.loading, self.prefix, self.link_domain = False, True, "", ""
        self._forget_agreement()

    def _agreement_organization(self) -> int:
        return self.org_id

    def _show_agreement(self, view: AgreementView) -> None:
        super()._show_agreement(view)
        if self.tenant is not None:
            self.tenant = dataclasses.replace(
                self.tenant, mca_status=view.mca_status, mca_label=view.mca_label
            )

    @data_event(background=True, show_in="error")
    async def load(self, principal: Principal) -> rx.event.EventHandler | None:
        """on_load: the tenant if there is one, else the prefilled form (country rules)."""
        async with self:
            self._start()
            org_id = self.org_id
        try:
            tenant = await asyncio.to_thread(
                tenants.get_tenant, actor=principal, organization_id=org_id
            )
            form = (
                None
                if tenant
                else await tenants.new_tenant_form(actor=principal, organization_id=org_id)
            )
        except NotFound:  # the organization is not this account's to see
            async with self:
                self.missing_org, self.loading = True, False
            return None
        except BaseException:
            async with self:
                self.loading = False
            raise
        async with self:  # the form and its suggested prefix together: typing never races it
            self._show(tenant, form)
        if tenant is not None:
            return TenantState.check_agreement
        unlinked = await self._unlinked_rows(principal)
        async with self:
            self.unlinked = unlinked
        return None

    async def _unlinked_rows(self, principal: Principal) -> list[tenants.UnlinkedCustomer]:
        if not principal.is_broker:
            return []
        try:
            return await tenants.unlinked_customers(actor=principal)
        except ServiceError:  # a suggestion only: the forms work without it
            return []

    def _show(self, tenant: tenants.TenantView | None, form: tenants.NewTenantForm | None) -> None:
        self.loading = False
        self.tenant, self.new_tenant = tenant, form
        if form is not None:
            self.org_name = form.company_name
            self.may_edit_org = form.may_edit_organization
            self.missing = form.missing
            self.unfinished_domain = form.unfinished_domain
            self.prefix = self.prefix or form.suggested_prefix

    @rx.event
    def set_prefix(self, value: str) -> rx.event.EventSpec:
        """Remember the typed prefix and check it (the input is debounced)."""
        self.prefix, self.domain_taken = value, False
        self.field_errors = {}
        return TenantState.check_prefix

    @data_event(background=True, quiet=True)
    async def check_prefix(self, principal: Principal) -> None:
        """Ask Partner Center whether `<prefix>.onmicrosoft.com` is free."""
        async with self:
            prefix = self.prefix
        if not prefix.strip():
            return
        try:
            check = await tenants.check_domain(actor=principal, prefix=prefix)
        except ServiceError as error:  # said where the answer goes, in red
            async with self:
                self.domain_message, self.domain_available = str(error), False
            return
        async with self:
            if self.prefix == prefix:  # a later keystroke wins
                self.domain_message, self.domain_available = check.message, check.available
                self.domain_taken = check.taken

    @data_event(background=True, form="field_errors", show_in="error")
    async def create(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec | None:
        """Add service: create the tenant; every failure gets a message, nothing is lost."""
        async with self:
            org_id = self.org_id
            self.prefix = str(form.get("prefix", self.prefix))
            self.creating, self.error, self.field_errors = True, "", {}
            prefix = self.prefix
            contact = self.new_tenant.email if self.new_tenant else "the contact"
        try:
            view = await tenants.create_tenant(
                actor=principal, organization_id=org_id, prefix=prefix
            )
        except tenants.DomainTaken as taken:  # said at the domain, as the live check does
            async with self:
                self.domain_taken, self.domain_available = True, False
                self.domain_message = str(taken)
            return None
        except tenants.AddressIncomplete as incomplete:  # the list of what the record lacks
            async with self:
                self.missing = incomplete.missing
            return None
        finally:
            async with self:
                self.creating = False
        async with self:
            self.tenant = view
        return rx.toast.success(
            f"Tenant {view.domain} created. The administrator sign-in was e-mailed to {contact}."
        )

    @data_event(background=True, show_in="link_error")
    async def show_link(self, principal: Principal) -> None:
        """Fetch the reseller-relationship link to send to the tenant's administrator."""
        async with self:
            self.link_url, self.link_error = "", ""
        url = await tenants.relationship_link(actor=principal)
        async with self:
            self.link_url = url

    @rx.event
    def set_link_domain(self, value: str) -> None:
        """Remember the typed tenant domain."""
        self.link_domain = value

    @data_event(background=True, form="", show_in="link_error")
    async def link_domain_now(self, principal: Principal) -> list[rx.event.EventSpec] | None:
        """Link the tenant whose domain was typed (it must have accepted the relationship)."""
        async with self:
            org_id, domain = self.org_id, self.link_domain
            self.linking, self.link_error = True, ""
            self.field_errors = {k: v for k, v in self.field_errors.items() if k != "link_domain"}
        try:
            view = await tenants.link_by_domain(
                actor=principal, organization_id=org_id, domain=domain
            )
        except InvalidInput as invalid:  # the service's "domain" is this form's "link_domain"
            async with self:
                message = invalid.field_errors.get("domain", str(invalid))
                self.field_errors = self.field_errors | {"link_domain": message}
            return None
        finally:
            async with self:
                self.linking = False
        return await self._linked(view)

    @data_event(background=True, form="", show_in="link_error")
    async def link_customer(
        self, principal: Principal, customer_id: str
    ) -> list[rx.event.EventSpec] | None:
        """Broker: link one of the unlinked Partner Center customers."""
        async with self:
            org_id = self.org_id
            self.linking, self.link_error = True, ""
        try:
            view = await tenants.link_customer(
                actor=principal, organization_id=org_id, customer_id=customer_id
            )
        finally:
            async with self:
                self.linking = False
        return await self._linked(view)

    async def _linked(self, view: tenants.TenantView) -> list[rx.event.EventSpec]:
        async with self:
            self.tenant, self.unlinked = view, []
        return [rx.toast.success(f"Linked {view.domain}."), TenantState.check_agreement]
