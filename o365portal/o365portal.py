"""The Reflex app: every page registered from the route table, with its guard first."""

from __future__ import annotations

import reflex as rx

from o365portal.jobs.portal_jobs import run_portal_jobs
from o365portal.ui import routes
from o365portal.ui.pages.login import LoginState, login_page
from o365portal.ui.pages.organization import OrganizationState, organization_page
from o365portal.ui.pages.organizations import OrganizationsState, organizations_page
from o365portal.ui.pages.settings import SettingsState, settings_page
from o365portal.ui.session import SessionState


def _home() -> rx.Component:
    return rx.center(rx.spinner(size="3"), min_height="100vh")


app = rx.App()
app.register_lifespan_task(run_portal_jobs)  # background loops, one lease-holder each
app.add_page(
    login_page, route=routes.LOGIN, title="Sign in · o365portal", on_load=LoginState.on_load_login
)
app.add_page(_home, route=routes.HOME, title="o365portal", on_load=SessionState.go_home)
app.add_page(
    organization_page,
    route=routes.ORGANIZATION,
    title="Organization · o365portal",
    on_load=[SessionState.require_session, OrganizationState.load],
)
app.add_page(
    organizations_page,
    route=routes.ORGANIZATIONS,
    title="Organizations · o365portal",
    on_load=[SessionState.require_broker, OrganizationsState.load],
)
app.add_page(
    settings_page,
    route=routes.SETTINGS,
    title="Settings · o365portal",
    on_load=[SessionState.require_broker, SettingsState.load],
)
