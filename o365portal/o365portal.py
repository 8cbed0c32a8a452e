"""The Reflex app: every page registered from the route table, with its guard first."""

from __future__ import annotations

import reflex as rx

from o365portal.jobs.portal_jobs import run_portal_jobs
from o365portal.ui import routes
from o365portal.ui.accounts.login import LoginState, login_page
from o365portal.ui.accounts.settings import SettingsState, settings_page
from o365portal.ui.ordering.add_subscription import add_subscription_page
from o365portal.ui.ordering.add_subscription_state import AddSubscriptionState
from o365portal.ui.ordering.approvals import ApprovalsState, approvals_page
from o365portal.ui.organizations.organization import OrganizationState, organization_page
from o365portal.ui.organizations.organizations import OrganizationsState, organizations_page
from o365portal.ui.outbox.outbox import OutboxState, outbox_page
from o365portal.ui.pricing.price_lists import PriceListsState, price_lists_page
from o365portal.ui.pricing.price_lists_assign import PriceAssignState
from o365portal.ui.pricing.price_lists_editor import price_list_page
from o365portal.ui.pricing.price_lists_state import PriceListState
from o365portal.ui.session import SessionState
from o365portal.ui.subscriptions.subscriptions import subscriptions_page
from o365portal.ui.subscriptions.subscriptions_state import SubscriptionsState
from o365portal.ui.tenants.estore import EstoreState, estore_page
from o365portal.ui.tenants.tenant import tenant_page
from o365portal.ui.tenants.tenant_state import TenantState
from o365portal.ui.tenants.unlinked_customers import UnlinkedState, unlinked_customers_page


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
app.add_page(
    price_lists_page,
    route=routes.PRICE_LISTS,
    title="Price lists · o365portal",
    on_load=[SessionState.require_broker, PriceListsState.load],
)
app.add_page(
    price_list_page,
    route=routes.PRICE_LIST,
    title="Price list · o365portal",
    on_load=[SessionState.require_broker, PriceListState.load, PriceAssignState.load_assigned],
)
app.add_page(
    estore_page,
    route=routes.ESTORE,
    title="E-store · o365portal",
    on_load=[SessionState.require_session, EstoreState.load],
)
app.add_page(
    tenant_page,
    route=routes.M365_SERVICE,
    title="Microsoft 365 CSP Direct · o365portal",
    on_load=[SessionState.require_session, TenantState.load],
)
app.add_page(
    unlinked_customers_page,
    route=routes.UNLINKED_TENANTS,
    title="Unlinked tenants · o365portal",
    on_load=[SessionState.require_broker, UnlinkedState.load],
)
app.add_page(
    outbox_page,
    route=routes.OUTBOX,
    title="Outbox · o365portal",
    on_load=[SessionState.require_broker, OutboxState.load],
)
app.add_page(
    subscriptions_page,
    route=routes.SUBSCRIPTIONS,
    title="Subscriptions · o365portal",
    on_load=[SessionState.require_session, SubscriptionsState.load],
)
app.add_page(
    add_subscription_page,
    route=routes.ADD_SUBSCRIPTION,
    title="Add subscription · o365portal",
    on_load=[SessionState.require_session, AddSubscriptionState.load],
)
app.add_page(
    approvals_page,
    route=routes.APPROVALS,
    title="Approvals · o365portal",
    on_load=[SessionState.require_broker, ApprovalsState.load],
)
