"""The Reflex app: every page of `ui/routes.PAGES`, each with the guard its roles give first."""

from __future__ import annotations

import reflex as rx

from o365portal.jobs.portal_jobs import run_portal_jobs
from o365portal.ui import live, routes

# Importing a page module registers its pages (`@routes.page`); `routes.views()` says if one is
# missing.
from o365portal.ui.accounts import login, settings  # noqa: F401
from o365portal.ui.billing import billing  # noqa: F401
from o365portal.ui.failures import on_backend_error
from o365portal.ui.hardening import hardened
from o365portal.ui.ordering import add_subscription, approvals  # noqa: F401
from o365portal.ui.organizations import organization, organizations  # noqa: F401
from o365portal.ui.outbox import outbox  # noqa: F401
from o365portal.ui.pricing import price_lists, price_lists_editor  # noqa: F401
from o365portal.ui.session import guard_for
from o365portal.ui.subscriptions import subscriptions  # noqa: F401
from o365portal.ui.sync import sync_page  # noqa: F401
from o365portal.ui.sync.events_endpoint import events_api
from o365portal.ui.tenants import estore, tenant, unlinked_customers  # noqa: F401
from o365portal.ui.users import users  # noqa: F401

# + Partner Center's webhook events, then security headers and the websocket origin check
app = rx.App(api_transformer=[events_api(), hardened], backend_exception_handler=on_backend_error)
app.register_lifespan_task(run_portal_jobs)  # background loops, one lease-holder each
app.register_lifespan_task(live.relay_changes)  # changes to the open pages (ui/live.py)
for view in routes.views():
    app.add_page(
        view.component,
        route=view.page.route,
        title=view.page.full_title,
        on_load=[*guard_for(view.page.roles), *view.on_load],
    )
