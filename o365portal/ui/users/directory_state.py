"""State of the Import and Export dialogs: people picked from the portal's directory become
Microsoft 365 users, Microsoft 365 users picked here get a portal account. Each person gets a
line of result (done, or not done and why), shown in the dialog after the run."""

from __future__ import annotations

import asyncio

import reflex as rx

from o365portal.services import users
from o365portal.services.principal import Principal
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState
from o365portal.ui.users.users_state import UsersState

PICK = "pick_"  # a checkbox's name: pick_<id>


class DirectoryState(SessionState):
    """The Import (portal -> Microsoft 365) or Export (Microsoft 365 -> portal) dialog."""

    open: bool = False
    mode: str = "import"  # import | export
    people: list[users.PortalPerson] = []
    candidates: list[users.UserRow] = []
    results: list[users.PersonResult] = []
    errors: dict[str, str] = {}
    working: bool = False

    @rx.var
    def title(self) -> str:
        """The dialog's title."""
        if self.mode == "import":
            return "Import portal accounts into Microsoft 365"
        return "Give Microsoft 365 users a portal account"

    @data_event(background=True)
    async def open_import(self, principal: Principal) -> None:
        """Import from the portal: the organization's portal accounts."""
        async with self:
            page = await self.get_state(UsersState)
            org_id = page.org_id
            self._start("import")
        people = await asyncio.to_thread(
            users.portal_people, actor=principal, organization_id=org_id
        )
        async with self:
            self.people = people

    @data_event(background=True)
    async def open_export(self, principal: Principal) -> None:
        """Export to the portal: the tenant's active users."""
        async with self:
            page = await self.get_state(UsersState)
            org_id = page.org_id
            self._start("export")
        listed = await asyncio.to_thread(
            users.list_users, actor=principal, organization_id=org_id, page_size=200
        )
        async with self:
            self.candidates = [row for row in listed.rows if not row.deleted]

    def _start(self, mode: str) -> None:
        self.mode, self.people, self.candidates, self.results = mode, [], [], []
        self.errors, self.working, self.open = {}, False, True

    @rx.event
    def set_open(self, value: bool) -> None:
        """Close the dialog."""
        self.open = value

    @data_event(background=True)
    async def run(self, principal: Principal, form: dict[str, str]) -> list[rx.event.EventSpec]:
        """Import or export the people ticked; every person gets a result line."""
        async with self:
            page = await self.get_state(UsersState)
            org_id, mode = page.org_id, self.mode
            self.working, self.errors, self.results = True, {}, []
        picked = [int(k.removeprefix(PICK)) for k, v in form.items() if k.startswith(PICK) and v]
        send_to = str(form.get("send_to", ""))
        try:
            if mode == "import":
                results = await users.import_from_portal(
                    actor=principal,
                    organization_id=org_id,
                    account_ids=picked,
                    usage_location=str(form.get("usage_location", "")),
                    send_to=send_to,
                )
            else:
                results = await users.export_to_portal(
                    actor=principal, organization_id=org_id, user_ids=picked, send_to=send_to
                )
        finally:
            async with self:
                self.working = False
        async with self:
            self.results = results
        done = sum(1 for result in results if result.done)
        summary = f"{done} of {len(results)} done."
        toast = rx.toast.success(summary) if done == len(results) else rx.toast.warning(summary)
        return [toast, UsersState.refresh]
