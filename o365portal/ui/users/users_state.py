"""State of an organization's Microsoft 365 Users page: one page of users (searched in the
database, paged), and the row actions Edit, Reset password, Delete and Restore.

Rows come from `services.users.list_users` (the portal's copy of Partner Center's users, kept
by sync and updated at once after a change made here). The list follows the live feed
(changes.USERS): a user created, changed or deleted anywhere shows without a reload. Every
action awaits Partner Center, so it runs as a background event with short `async with self`
blocks; field messages go to the dialog's `errors`.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import licences, organizations, sync, users
from o365portal.services.errors import NoTenant, NotFound
from o365portal.services.principal import Principal
from o365portal.ui import routes
from o365portal.ui.events import data_event
from o365portal.ui.paging import PagedList
from o365portal.ui.session import SessionState

COUNTRY_OPTIONS = [(code, f"{name} ({code})") for code, name in organizations.COUNTRY_OPTIONS]


class UsersState(PagedList, SessionState):
    """What the Users page shows, and the row action being done."""

    page_size: int = 25
    org_id: int = 0
    missing: bool = False
    no_tenant: bool = False
    rows: list[users.UserRow] = []
    domains: list[str] = []
    search: str = ""
    synced_at: str = ""
    syncing: bool = False
    # the row dialog: edit | reset | delete | restore
    action: str = ""
    action_open: bool = False
    target: users.UserRow | None = None
    selected: list[int] = []  # users ticked for a bulk licence change
    unused: list[licences.UnusedSeats] = []  # the first of the subscriptions with free seats
    unused_more: str = ""  # "And 195 more subscriptions with 812 free seats."
    errors: dict[str, str] = {}
    working: bool = False

    def _empty_summary(self) -> str:
        return "No users match." if self.search else "No users yet."

    def _reload(self, principal: Principal) -> None:
        self._show(_read(principal, self.org_id, self.search, self.page, self.page_size))
        found = licences.unused_seats(actor=principal, organization_id=self.org_id)
        self.unused, self.unused_more = _first_unused(found)

    def _show(self, listed: users.UsersPage) -> None:
        self.rows, self.total, self.domains = listed.rows, listed.total, listed.domains
        self.synced_at = listed.synced_at

    @rx.var
    def subscriptions_url(self) -> str:
        """The organization's subscriptions (the seats licences come from)."""
        return routes.subscriptions_url(self.org_id)

    @data_event(show_in="missing")
    def load(self, principal: Principal) -> None:
        """on_load: the first page of the organization named in the URL."""
        self.missing, self.no_tenant, self.rows, self.action_open = False, False, [], False
        org_id = routes.organization_id(self)
        if org_id != self.org_id:
            self.search = ""
        self.org_id, self.page = org_id, 1
        try:
            self._reload(principal)
        except NoTenant:
            self.no_tenant = True

    @data_event(quiet=True)
    def refresh(self, principal: Principal) -> None:
        """The live feed moved: read the page again (an open dialog stays as it is)."""
        if self.org_id and not self.missing and not self.no_tenant:
            self._reload(principal)

    @data_event
    def set_search(self, principal: Principal, text: str) -> None:
        """Search name and user name (the input is debounced): from the first page."""
        self.search, self.page = text, 1
        self._reload(principal)

    @data_event(background=True)
    async def sync_now(self, principal: Principal) -> list[rx.event.EventSpec]:
        """Bring the copy in line with Partner Center now (users made elsewhere)."""
        async with self:
            self.syncing, org_id = True, self.org_id
        try:
            report = await sync.sync_tenant_now(actor=principal, organization_id=org_id)
        finally:
            async with self:
                self.syncing = False
        if report.error:
            return [rx.toast.error(f"The sync did not finish: {report.error}")]
        return [rx.toast.success("The users are up to date with Microsoft."), UsersState.refresh]

    # --- row actions -------------------------------------------------------------------

    @rx.event
    def tick(self, user_id: int, value: bool) -> None:
        """A user ticked or not for Assign / Remove subscriptions."""
        rest = [i for i in self.selected if i != user_id]
        self.selected = [*rest, user_id] if value else rest

    @rx.event
    def tick_all(self, value: bool) -> None:
        """Tick (or untick) every active user of this page."""
        self.selected = [row.id for row in self.rows if not row.deleted] if value else []

    def _open(self, action: str, user_id: int) -> None:
        found = [row for row in self.rows if row.id == user_id]
        self.target = found[0] if found else None
        self.action, self.errors, self.working = action, {}, False
        self.action_open = self.target is not None

    @rx.event
    def open_edit(self, user_id: int) -> None:
        """Actions -> Edit."""
        self._open("edit", user_id)

    @rx.event
    def open_reset(self, user_id: int) -> None:
        """Actions -> Reset password."""
        self._open("reset", user_id)

    @rx.event
    def open_delete(self, user_id: int) -> None:
        """Actions -> Delete."""
        self._open("delete", user_id)

    @rx.event
    def open_restore(self, user_id: int) -> None:
        """Actions -> Restore."""
        self._open("restore", user_id)

    @rx.event
    def set_action_open(self, value: bool) -> None:
        """Close the row dialog (Cancel, Escape)."""
        self.action_open = value and self.action_open

    @data_event(background=True)
    async def do_action(
        self, principal: Principal, form: dict[str, str]
    ) -> list[rx.event.EventSpec]:
        """Do the row dialog's action in Partner Center; the list follows."""
        async with self:
            self.working, self.errors = True, {}
            action, org_id = self.action, self.org_id
            target = self.target
        if target is None:
            return [rx.toast.error("Choose a user first.")]
        try:
            done = await _act(principal, action, org_id, target, form)
        except NotFound:
            async with self:
                self.action_open = False
            raise
        finally:
            async with self:
                self.working = False
        async with self:
            self.action_open = False
        return [rx.toast.success(done), UsersState.refresh]


def _read(
    principal: Principal, org_id: int, search: str, page: int, page_size: int
) -> users.UsersPage:
    return users.list_users(
        actor=principal, organization_id=org_id, search=search, page=page, page_size=page_size
    )


async def _act(
    principal: Principal, action: str, org_id: int, target: users.UserRow, form: dict[str, str]
) -> str:
    ids = {"actor": principal, "organization_id": org_id, "user_id": target.id}
    if action == "edit":
        row = await users.update_user(**ids, form=dict(form))
        return f"{row.display_name} was saved."
    if action == "reset":
        send_to = str(form.get("send_to", ""))
        await users.reset_password(**ids, send_to=send_to)
        return f"A new password for {target.user_principal_name} is being e-mailed to {send_to}."
    if action == "delete":
        row = await users.delete_user(**ids)
        return f"{row.display_name} was deleted; it can be restored until {row.restorable_until}."
    row = await users.restore_user(**ids)
    return f"{row.display_name} was restored."


UNUSED_SHOWN = 5


def _first_unused(found: list[licences.UnusedSeats]) -> tuple[list[licences.UnusedSeats], str]:
    """The subscriptions with free seats the page names, those that can still give seats back
    first (soonest deadline first), then the most free seats; and a sentence for the rest."""
    ordered = sorted(found, key=lambda s: (s.reducible == 0, s.reduce_until, -s.free))
    rest = ordered[UNUSED_SHOWN:]
    if not rest:
        return ordered, ""
    seats = sum(s.free for s in rest)
    more = f"And {len(rest)} more subscriptions with {seats} free seats in all."
    return ordered[:UNUSED_SHOWN], more
