"""State of the New user dialog: the form, the password mode (generated and e-mailed, or
chosen here with the policy checked as it is typed), and creating the user in Partner Center
(a background event; field messages, Partner Center's included, go to `errors`)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import users
from o365portal.services.principal import Principal
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState
from o365portal.ui.users.users_state import UsersState

GENERATE_LABEL = "Generate one and e-mail the sign-in details"
CHOOSE_LABEL = "Choose the password now"


class NewUserState(SessionState):
    """The New user dialog."""

    open: bool = False
    password_mode: str = "generate"  # generate | choose
    user_name: str = ""
    domain: str = ""
    names: dict[str, str] = {}  # first_name, last_name, display_name as typed
    password: str = ""
    problems: list[str] = []
    acceptable: bool = False
    errors: dict[str, str] = {}
    working: bool = False

    @rx.event
    async def open_dialog(self) -> None:
        """New user: an empty form on the tenant's first domain."""
        page = await self.get_state(UsersState)
        self.domain = page.domains[0] if page.domains else ""
        self.password_mode, self.user_name, self.names, self.password = "generate", "", {}, ""
        self.problems, self.acceptable, self.errors, self.working = [], False, {}, False
        self.open = True

    @rx.event
    def set_open(self, value: bool) -> None:
        """Close the dialog (Cancel, Escape)."""
        self.open = value

    @rx.var
    def mode_label(self) -> str:
        """The password choice's words."""
        return CHOOSE_LABEL if self.password_mode == "choose" else GENERATE_LABEL

    @rx.event
    def set_mode_label(self, label: str) -> None:
        """Generated password (e-mailed) or one chosen here."""
        self.password_mode = "choose" if label == CHOOSE_LABEL else "generate"

    def _check(self, principal: Principal) -> None:
        if not self.password:
            self.problems, self.acceptable = [], False
            return
        check = users.check_password(
            actor=principal,
            password=self.password,
            user_name=self.user_name,
            domain=self.domain,
            full_name=" ".join(self.names.values()),
        )
        self.problems, self.acceptable = check.problems, check.acceptable

    @data_event(quiet=True)
    def set_password(self, principal: Principal, value: str) -> None:
        """The chosen password typed: check it against the policy (debounced)."""
        self.password = value
        self._check(principal)

    @data_event(quiet=True)
    def set_names(self, principal: Principal, form_field: str, value: str) -> None:
        """A name or the user name typed: the password must not contain it."""
        if form_field == "user_name":
            self.user_name = value
        elif form_field == "domain":
            self.domain = value
        else:
            self.names = self.names | {form_field: value}
        self._check(principal)

    @data_event(background=True)
    async def create(self, principal: Principal, form: dict[str, str]) -> list[rx.event.EventSpec]:
        """Create the user in Microsoft 365; the list follows."""
        async with self:
            self.working, self.errors = True, {}
            page = await self.get_state(UsersState)
            org_id = page.org_id
            data = dict(form) | {"password_mode": self.password_mode, "password": self.password}
        try:
            row = await users.create_user(actor=principal, organization_id=org_id, form=data)
        finally:
            async with self:
                self.working = False
        async with self:
            self.open = False
        sent = (
            f" The sign-in details are being e-mailed to {form.get('send_to', '')}."
            if data["password_mode"] == "generate"
            else ""
        )
        done = rx.toast.success(f"{row.user_principal_name} was created.{sent}")
        return [done, UsersState.refresh]
