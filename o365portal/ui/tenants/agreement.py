"""The Microsoft Customer Agreement on a page: the tenant's status read from Partner Center,
and the acceptance fields (the signer's names, e-mail and day, and the confirmation), shared by
the tenant screen (with a dialog to record it) and the add-subscription form (which posts them
with the order, so the acceptance is recorded first).

A page state mixes `AgreementForm` in before its own base and implements
`_agreement_organization()`: the organization shown.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import clock, tenants
from o365portal.services.principal import Principal
from o365portal.services.tenants import ACCEPTANCE_FIELDS, AgreementView
from o365portal.ui.components.forms import errors_not_shown
from o365portal.ui.events import data_event


class AgreementForm(rx.State, mixin=True):
    """The tenant's agreement status as last read, and the acceptance being typed."""

    mca_status: str = ""  # accepted | not_accepted | unknown; "" before the first read
    mca_label: str = ""
    mca_link: str = ""
    mca_values: dict[str, str] = {}
    mca_confirmed: bool = False
    mca_latest_day: str = ""  # the date picker's maximum: today (the service refuses later)
    mca_errors: dict[str, str] = {}
    mca_open: bool = False
    mca_saving: bool = False

    @rx.var
    def mca_needed(self) -> bool:
        """Whether Partner Center said the customer has not accepted the agreement."""
        return self.mca_status == "not_accepted"

    @rx.var
    def mca_other_errors(self) -> list[str]:
        """Messages of the dialog that belong to no acceptance field."""
        return errors_not_shown(self.mca_errors, ACCEPTANCE_FIELDS, {})

    def _agreement_organization(self) -> int:
        raise NotImplementedError

    def _show_agreement(self, view: AgreementView) -> None:
        self.mca_status, self.mca_label = view.mca_status, view.mca_label
        self.mca_link, self.mca_latest_day = view.agreement_link, clock.today().isoformat()
        if view.suggestion and not any(self.mca_values.values()):
            self.mca_values = dict(view.suggestion)

    def _forget_agreement(self) -> None:
        self.mca_status, self.mca_label, self.mca_link, self.mca_errors = "", "", "", {}
        self.mca_values, self.mca_confirmed, self.mca_open, self.mca_saving = (
            {},
            False,
            False,
            False,
        )

    def _acceptance(self) -> dict[str, object]:
        return {**self.mca_values, "mca_confirmed": self.mca_confirmed}

    @rx.event
    def set_mca_value(self, name: str, value: str) -> None:
        """Type one acceptance field."""
        if name in ACCEPTANCE_FIELDS:
            self.mca_values = {**self.mca_values, name: value}

    @rx.event
    def set_mca_confirmed(self, value: bool) -> None:
        """Tick (or untick) that the signer accepted the agreement."""
        self.mca_confirmed = bool(value)

    @rx.event
    def set_mca_open(self, value: bool) -> None:
        """Open or close the dialog that records the acceptance."""
        self.mca_open, self.mca_errors = value, {}

    @data_event(background=True, quiet=True)
    async def check_agreement(self, principal: Principal) -> None:
        """Read the agreement's status from Partner Center (an acceptance is cached); when it
        cannot be read, the status shown stays (an order asks Partner Center again anyway)."""
        async with self:
            organization_id = self._agreement_organization()
        view = await tenants.agreement_status(actor=principal, organization_id=organization_id)
        async with self:
            self._show_agreement(view)

    @data_event(background=True, form="mca_errors")
    async def record_agreement(
        self, principal: Principal, form: dict[str, str]
    ) -> rx.event.EventSpec:
        """Record the typed acceptance in Partner Center (the dialog's Save)."""
        del form  # the typed values are in the state
        async with self:
            organization_id = self._agreement_organization()
            acceptance, self.mca_saving, self.mca_errors = self._acceptance(), True, {}
        try:
            view = await tenants.accept_agreement(
                actor=principal, organization_id=organization_id, form=acceptance
            )
        finally:
            async with self:
                self.mca_saving = False
        async with self:
            self._show_agreement(view)
            self.mca_open = False
        return rx.toast.success("The customer's acceptance of the agreement is recorded.")
