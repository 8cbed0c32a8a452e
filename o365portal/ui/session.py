"""The small root state: who is signed in, and the guards every page's on_load starts with.

The session token lives in a cookie (so file downloads under /api can authenticate too); the
account it belongs to is resolved through services.accounts on every data event
(`ui/events.data_event`), never trusted from the browser. Only the account's display name,
role and own organization id are public vars. The guards also link the tab to the live feed of
its account (ui/live.py), so every signed-in page can follow changes.
"""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from o365portal.config import get_settings
from o365portal.services import accounts
from o365portal.services.principal import Principal, Role
from o365portal.ui import live, routes
from o365portal.ui.events import data_event

SESSION_COOKIE = "o365p_session"


def _over_tls() -> bool:
    """Whether the portal is served over https (PORTAL_PUBLIC_URL says so)."""
    return (get_settings().portal_public_url or "").lower().startswith("https://")


class SessionState(rx.State):
    """Root of every page state; keep it tiny (it is loaded with every substate)."""

    session_token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        same_site="strict",
        max_age=accounts.SESSION_LIFETIME_SECONDS,
        secure=_over_tls(),  # never sent in clear when the portal is served over https
    )
    account_name: str = ""
    account_role: str = ""
    account_organization_id: int = 0
    drawer_open: bool = False

    @rx.var
    def is_broker(self) -> bool:
        """Whether the signed-in account is broker staff."""
        return self.account_role == Role.BROKER.value

    @rx.var
    def role_label(self) -> str:
        """The role as shown on screen."""
        return self.account_role.capitalize()

    @rx.var
    def own_organization_url(self) -> str:
        """A customer's own organization page."""
        return routes.organization_url(self.account_organization_id)

    def _remember(self, principal: Principal | None) -> None:
        self.account_name = principal.name if principal else ""
        self.account_role = principal.role.value if principal else ""
        self.account_organization_id = (principal.organization_id or 0) if principal else 0

    def _to_login(self) -> list[rx.event.EventSpec]:
        return self._fresh_tab(routes.login_url(self.router.url.path))

    def _fresh_tab(self, path: str) -> list[rx.event.EventSpec]:
        """Forget this tab's whole state tree and load `path` anew.

        Reflex keys every page state on a per-tab token kept in sessionStorage; without a new
        token, what the previous account loaded (rows, prices, costs) would be sent again to
        whoever signs in next in the same tab.
        """
        self._remember(None)
        target = json.dumps(path)
        return [rx.clear_session_storage(), rx.call_script(f"window.location.replace({target})")]

    @data_event
    async def require_session(self, principal: Principal) -> None:
        """on_load guard: signed-in accounts only; the tab follows its live feed."""
        self._remember(principal)
        await live.follow(self, principal)

    @data_event
    async def require_broker(self, principal: Principal) -> rx.event.EventSpec | None:
        """on_load guard: broker staff only (customers go to their own organization); the tab
        follows the brokers' live feed."""
        self._remember(principal)
        if not principal.is_broker:
            return rx.redirect(routes.organization_url(principal.organization_id or 0))
        await live.follow(self, principal)
        return None

    @data_event
    def go_home(self, principal: Principal) -> rx.event.EventSpec:
        """The landing page: brokers to the organizations, customers to their own."""
        self._remember(principal)
        if principal.is_broker:
            return rx.redirect(routes.ORGANIZATIONS)
        return rx.redirect(routes.organization_url(principal.organization_id or 0))

    @rx.event
    async def sign_out(self) -> list[rx.event.EventSpec]:
        """End the session on the server and start the tab afresh on the sign-in page."""
        if self.session_token:
            await asyncio.to_thread(accounts.sign_out, self.session_token)
        self.session_token = ""
        self.drawer_open = False
        return self._fresh_tab(routes.LOGIN)

    @rx.event
    def set_drawer_open(self, value: bool) -> None:
        """Open or close the navigation drawer (phones and tablets)."""
        self.drawer_open = value

    @rx.event
    def close_drawer(self) -> None:
        """Close the drawer after a navigation click."""
        self.drawer_open = False


def guard_for(roles: tuple[str, ...]) -> list[rx.event.EventHandler]:
    """The on_load guard a page's roles give (routes.Page.roles); it runs before the page's own."""
    if set(roles) == {routes.BROKER}:
        return [SessionState.require_broker]
    if set(roles) == {routes.BROKER, routes.CUSTOMER}:
        return [SessionState.require_session]
    if not roles:
        return []
    raise ValueError(f"no guard admits exactly {roles}")
