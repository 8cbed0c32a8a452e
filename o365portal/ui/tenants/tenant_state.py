"""State of the Microsoft 365 CSP Direct service screen: the tenant with its Microsoft Customer
Agreement (read from Partner Center, recorded here when missing), or the new-tenant form with
its live domain check and linking an existing tenant. Everything that awaits Partner Center
runs as a background event with short `async with self` blocks."""

from __future__ import annotations

import reflex as rx

from o365portal.services import tenants
from o365portal.services.errors import InvalidInput, NotFound, ServiceError
from o365portal.services.principal import Principal
from o365portal.services.tenants import AgreementView
from o365portal.ui import routes
from o365portal.ui.components.forms import errors_not_shown
from o365portal.ui.organizations.organization_form import LABELS
from o365portal.ui.session import SessionState
from o365portal.ui.tenants.agreement import AgreementForm
from o365portal.ui.tenants.estore import organization_id_in


class TenantState(AgreementForm, SessionState):
    """One organization's tenant, or the forms to get one."""

    org_id: int = 0
    org_name: str = ""
    missing_org: bool = False
    loading: bool = True
    tenant: dict[str, str] = {}
    info: dict[str, str] = {}
    missing: list[dict[str, str]] = []
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
    unlinked: list[dict[str, str]] = []

    @rx.var
    def organization_url(self) -> str:
        """The organization record (where a missing address is completed)."""
        return routes.organization_url(self.org_id)

    @rx.var
    def record_errors(self) -> list[str]:
        """Partner Center's messages about fields of the organization record (not on this form)."""
        return errors_not_shown(self.field_errors, {"prefix", "link_domain"}, LABELS)

    def _start(self) -> Principal | None:
        principal = self._principal()
        self.org_id = organization_id_in(self.router.url.path)
        self.tenant, self.info, self.missing, self.error = {}, {}, [], ""
        self.field_errors, self.domain_message, self.domain_taken = {}, "", False
        self.link_url, self.link_error, self.unlinked = "", "", []
        self.missing_org, self.loading, self.prefix, self.link_domain = False, True, "", ""
        self._forget_agreement()
        return principal

    def _agreement_target(self) -> tuple[Principal | None, int]:
        return self._principal(), self.org_id

    def _show_agreement(self, view: AgreementView) -> None:
        super()._show_agreement(view)
        if self.tenant:
            self.tenant = self.tenant | view.as_row()

    @rx.event(background=True)
    async def load(self) -> rx.event.EventSpec | None:
        """on_load: the tenant if there is one, else the prefilled form (country rules)."""
        async with self:
            principal = self._start()
            org_id = self.org_id
        if principal is None:
            return rx.redirect(routes.login_url(routes.m365_service_url(org_id)))
        try:
            tenant = tenants.get_tenant(actor=principal, organization_id=org_id)
            form = (
                None
                if tenant
                else await tenants.new_tenant_form(actor=principal, organization_id=org_id)
            )
        except ServiceError as error:
            async with self:
                self.loading, self.missing_org = False, isinstance(error, NotFound)
                self.error = "" if self.missing_org else str(error)
            return None
        unlinked = await self._unlinked_rows(principal) if tenant is None else []
        async with self:
            self._show(tenant, form, unlinked)
        return TenantState.check_agreement if tenant else None

    async def _unlinked_rows(self, principal: Principal) -> list[dict[str, str]]:
        if not principal.is_broker:
            return []
        try:
            return [c.as_row() for c in await tenants.unlinked_customers(actor=principal)]
        except ServiceError:
            return []

    def _show(
        self,
        tenant: tenants.TenantView | None,
        form: tenants.NewTenantForm | None,
        unlinked: list[dict[str, str]],
    ) -> None:
        self.loading, self.unlinked = False, unlinked
        self.tenant = tenant.as_row() if tenant else {}
        if form is not None:
            self.org_name = form.company_name
            self.info = {
                "company": form.company_name,
                "address": form.address,
                "contact": form.contact,
                "email": form.email,
                "phone": form.phone,
                "registration_number": form.registration_number,
                "registration_needed": "yes" if form.registration_number_needed else "",
            }
            self.may_edit_org = form.may_edit_organization
            self.missing = [{"field": m.field, "message": m.message} for m in form.missing]
            self.unfinished_domain = form.unfinished_domain
            self.prefix = self.prefix or form.suggested_prefix

    @rx.event
    def set_prefix(self, value: str) -> rx.event.EventSpec:
        """Remember the typed prefix and check it (the input is debounced)."""
        self.prefix, self.domain_taken = value, False
        self.field_errors = {}
        return TenantState.check_prefix

    @rx.event(background=True)
    async def check_prefix(self) -> None:
        """Ask Partner Center whether `<prefix>.onmicrosoft.com` is free."""
        async with self:
            principal, prefix = self._principal(), self.prefix
        if principal is None or not prefix.strip():
            return
        try:
            check = await tenants.check_domain(actor=principal, prefix=prefix)
        except ServiceError as error:
            async with self:
                self.domain_message, self.domain_available = str(error), False
            return
        async with self:
            if self.prefix == prefix:  # a later keystroke wins
                self.domain_message, self.domain_available = check.message, check.available
                self.domain_taken = check.taken

    @rx.event(background=True)
    async def create(self, form: dict[str, str]) -> rx.event.EventSpec | None:
        """Add service: create the tenant; every failure gets a message, nothing is lost."""
        async with self:
            principal, org_id = self._principal(), self.org_id
            self.prefix = str(form.get("prefix", self.prefix))
            self.creating, self.error, self.field_errors = True, "", {}
            prefix, contact = self.prefix, self.info.get("email", "the contact")
        if principal is None:
            return rx.redirect(routes.login_url(routes.m365_service_url(org_id)))
        try:
            view = await tenants.create_tenant(
                actor=principal, organization_id=org_id, prefix=prefix
            )
        except ServiceError as error:
            async with self:
                self._failed(error)
            return None
        async with self:
            self.creating, self.tenant = False, view.as_row()
        return rx.toast.success(
            f"Tenant {view.domain} created. The administrator sign-in was e-mailed to {contact}."
        )

    def _failed(self, error: ServiceError) -> None:
        self.creating = False
        if isinstance(error, InvalidInput):
            self.field_errors = error.field_errors
        elif isinstance(error, tenants.DomainTaken):
            self.domain_taken, self.domain_available = True, False
            self.domain_message = str(error)
        elif isinstance(error, tenants.AddressIncomplete):
            self.missing = [{"field": m.field, "message": m.message} for m in error.missing]
        else:
            self.error = str(error)

    @rx.event(background=True)
    async def show_link(self) -> None:
        """Fetch the reseller-relationship link to send to the tenant's administrator."""
        async with self:
            principal = self._principal()
        if principal is None:
            return
        try:
            url, message = await tenants.relationship_link(actor=principal), ""
        except ServiceError as error:
            url, message = "", str(error)
        async with self:
            self.link_url, self.link_error = url, message

    @rx.event
    def set_link_domain(self, value: str) -> None:
        """Remember the typed tenant domain."""
        self.link_domain = value

    @rx.event(background=True)
    async def link_domain_now(self) -> rx.event.EventSpec | None:
        """Link the tenant whose domain was typed (it must have accepted the relationship)."""
        async with self:
            principal, org_id, domain = self._principal(), self.org_id, self.link_domain
            self.linking, self.link_error = True, ""
            self.field_errors = {k: v for k, v in self.field_errors.items() if k != "link_domain"}
        return await self._link(principal, org_id, domain=domain)

    @rx.event(background=True)
    async def link_customer(self, customer_id: str) -> rx.event.EventSpec | None:
        """Broker: link one of the unlinked Partner Center customers."""
        async with self:
            principal, org_id = self._principal(), self.org_id
            self.linking, self.link_error = True, ""
        return await self._link(principal, org_id, customer_id=customer_id)

    async def _link(
        self, principal: Principal | None, org_id: int, *, domain: str = "", customer_id: str = ""
    ) -> rx.event.EventSpec | None:
        if principal is None:
            return rx.redirect(routes.login_url(routes.m365_service_url(org_id)))
        try:
            if customer_id:
                view = await tenants.link_customer(
                    actor=principal, organization_id=org_id, customer_id=customer_id
                )
            else:
                view = await tenants.link_by_domain(
                    actor=principal, organization_id=org_id, domain=domain
                )
        except InvalidInput as invalid:
            async with self:
                message = invalid.field_errors.get("domain", str(invalid))
                self.linking, self.field_errors = (
                    False,
                    self.field_errors | {"link_domain": message},
                )
            return None
        except ServiceError as error:
            async with self:
                self.linking, self.link_error = False, str(error)
            return None
        async with self:
            self.linking, self.tenant, self.unlinked = False, view.as_row(), []
        return [rx.toast.success(f"Linked {view.domain}."), TenantState.check_agreement]
