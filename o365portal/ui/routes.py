"""Every page of the portal: its path, title, who may open it and its navigation entry; the
URL builders; the values of a route's `[segments]`; and the navigation generated from the pages.

`PAGES` is the one registry. A page module registers its component and on_load handlers for a
route with `@routes.page(ROUTE, *on_load)`; `o365portal.py` adds every page with the guard its
roles give (`SessionState.guard_for`) first. Pages never hard-code a path or parse one: they use
the constants and builders here, and read a `[segment]` through `organization_id(state)` or
`price_list_key(state)`. The navigation is the pages with a `nav` entry whose roles include the
signed-in principal's role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import reflex as rx

APP_NAME = "o365portal"
ORGANIZATION_ID = "organization_id"  # a route segment: the organization's id
LIST_ID = "list_id"  # a route segment: "global" or a customer price list's id

LOGIN = "/login"
HOME = "/"
ORGANIZATIONS = "/organizations"
ORGANIZATION = f"/organizations/[{ORGANIZATION_ID}]"
SETTINGS = "/settings"
PRICE_LISTS = "/price-lists"
PRICE_LIST = f"/price-lists/[{LIST_ID}]"
ESTORE = f"{ORGANIZATION}/estore"
M365_SERVICE = f"{ESTORE}/microsoft-365"
UNLINKED_TENANTS = "/unlinked-tenants"
OUTBOX = "/outbox"
SYNC = "/sync"
SUBSCRIPTIONS = f"{M365_SERVICE}/subscriptions"
ADD_SUBSCRIPTION = f"{SUBSCRIPTIONS}/add"
USERS = f"{M365_SERVICE}/users"
BILLING = f"{M365_SERVICE}/billing"
BROKER_BILLING = "/billing"
APPROVALS = "/approvals"
GLOBAL_PRICE_LIST = "/price-lists/global"  # a URL (not a route): the global list's editor

BROKER = "broker"
CUSTOMER = "customer"
ANYONE: tuple[str, ...] = ()  # the page's own on_load looks at the session
SIGNED_IN = (BROKER, CUSTOMER)
BROKERS = (BROKER,)


def organization_url(org_id: int | str) -> str:
    """URL of one organization's page."""
    return f"{ORGANIZATIONS}/{org_id}"


def price_list_url(list_id: int | str) -> str:
    """URL of one price list's editor ("global" for the global list)."""
    return f"{PRICE_LISTS}/{list_id}"


def estore_url(org_id: int | str) -> str:
    """URL of an organization's e-store."""
    return f"{ORGANIZATIONS}/{org_id}/estore"


def m365_service_url(org_id: int | str) -> str:
    """URL of the Microsoft 365 CSP Direct service screen of an organization."""
    return f"{estore_url(org_id)}/microsoft-365"


def subscriptions_url(org_id: int | str) -> str:
    """URL of an organization's Microsoft 365 subscription list."""
    return f"{m365_service_url(org_id)}/subscriptions"


def users_url(org_id: int | str) -> str:
    """URL of an organization's Microsoft 365 users."""
    return f"{m365_service_url(org_id)}/users"


def billing_url(org_id: int | str) -> str:
    """URL of an organization's Microsoft 365 billing report."""
    return f"{m365_service_url(org_id)}/billing"


def add_subscription_url(org_id: int | str) -> str:
    """URL of the add-subscription form of an organization."""
    return f"{subscriptions_url(org_id)}/add"


def is_local_path(path: str) -> bool:
    """A path on this site (not `//other.example` or `/\\other.example`): safe to redirect to."""
    return path.startswith("/") and not path.startswith(("//", "/\\"))


def login_url(next_path: str | None = None) -> str:
    """URL of the sign-in page, returning to `next_path` afterwards."""
    return f"{LOGIN}?next={next_path}" if next_path and next_path != LOGIN else LOGIN


def route_arg(state: rx.State, name: str) -> str:
    """The value of the `[name]` segment of the page's route, "" when the route has none.

    Reflex gives each `[segment]` declared in a registered route a var of that name on every
    state, filled from the URL of the page being loaded.
    """
    return str(getattr(state, name, "") or "")


def organization_id(state: rx.State) -> int:
    """The organization id of an `/organizations/[organization_id]/...` page (0 if not a number)."""
    raw = route_arg(state, ORGANIZATION_ID)
    return int(raw) if raw.isdigit() else 0


def price_list_key(state: rx.State) -> str:
    """ "global", or a customer price list's id, of a `/price-lists/[list_id]` page ("0" if
    neither)."""
    raw = route_arg(state, LIST_ID)
    return raw if raw == "global" or raw.isdigit() else "0"


@dataclass(frozen=True)
class Nav:
    """A page's entry in the navigation: a section heading groups entries."""

    section: str
    label: str
    icon: str
    badge: str = ""  # a key of ui/components/nav_badges.BADGES: a count shown beside the entry


@dataclass(frozen=True)
class Page:
    """One page: its route, title and who may open it (the guard follows from `roles`)."""

    route: str
    title: str  # "" for the bare app name
    roles: tuple[str, ...]
    nav: Nav | None = None

    @property
    def full_title(self) -> str:
        """The browser tab's title."""
        return f"{self.title} · {APP_NAME}" if self.title else APP_NAME


PAGES: tuple[Page, ...] = (
    Page(LOGIN, "Sign in", ANYONE),
    Page(HOME, "", ANYONE),  # go_home sends each account to its start page
    Page(
        ORGANIZATIONS,
        "Organizations",
        BROKERS,
        Nav("Manage Organizations", "Organizations", "building-2"),
    ),
    Page(
        UNLINKED_TENANTS,
        "Unlinked tenants",
        BROKERS,
        Nav("Manage Organizations", "Unlinked tenants", "link", badge="unlinked_tenants"),
    ),
    Page(PRICE_LISTS, "Price lists", BROKERS, Nav("My Services", "Price lists", "tags")),
    Page(
        APPROVALS,
        "Approvals",
        BROKERS,
        Nav("My Services", "Approvals", "clipboard-check", badge="approvals"),
    ),
    Page(
        BROKER_BILLING,
        "Billing report",
        BROKERS,
        Nav("My Services", "Billing report", "receipt"),
    ),
    Page(SETTINGS, "Settings", BROKERS, Nav("My Services", "Settings", "settings")),
    Page(OUTBOX, "Outbox", BROKERS, Nav("My Services", "Outbox", "mail", badge="failed_mail")),
    Page(
        SYNC,
        "Partner Center sync",
        BROKERS,
        Nav("My Services", "Partner Center sync", "refresh-cw", badge="drift_alerts"),
    ),
    Page(PRICE_LIST, "Price list", BROKERS),
    Page(ORGANIZATION, "Organization", SIGNED_IN),
    Page(ESTORE, "E-store", SIGNED_IN),
    Page(M365_SERVICE, "Microsoft 365 CSP Direct", SIGNED_IN),
    Page(SUBSCRIPTIONS, "Subscriptions", SIGNED_IN),
    Page(ADD_SUBSCRIPTION, "Add subscription", SIGNED_IN),
    Page(USERS, "Users", SIGNED_IN),
    Page(BILLING, "Billing report", SIGNED_IN),
)
_BY_ROUTE = {p.route: p for p in PAGES}

Component = Callable[[], rx.Component]
C = TypeVar("C", bound=Component)


@dataclass(frozen=True)
class View:
    """A page of `PAGES` with the component and on_load handlers its module registered."""

    page: Page
    component: Component
    on_load: tuple[Any, ...]


_VIEWS: dict[str, View] = {}


def page(route: str, *on_load: Any) -> Callable[[C], C]:
    """Register the decorated component as the view of `route` (a page of `PAGES`), with the
    handlers its on_load runs after the page's guard."""
    if route not in _BY_ROUTE:
        raise KeyError(f"{route} is not a page of routes.PAGES")

    def register(component: C) -> C:
        _VIEWS[route] = View(_BY_ROUTE[route], component, on_load)
        return component

    return register


def views() -> list[View]:
    """Every page's view, in the order of `PAGES` (all page modules must be imported)."""
    missing = [p.route for p in PAGES if p.route not in _VIEWS]
    if missing:
        raise LookupError(f"no component registered for {missing}: import its page module")
    return [_VIEWS[p.route] for p in PAGES]


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation."""

    section: str
    label: str
    path: str
    icon: str
    roles: tuple[str, ...]
    badge: str = ""


NAVIGATION: tuple[NavItem, ...] = tuple(
    NavItem(p.nav.section, p.nav.label, p.route, p.nav.icon, p.roles, p.nav.badge)
    for p in PAGES
    if p.nav is not None
)


def navigation_for(role: str) -> list[NavItem]:
    """The navigation entries the given role may see."""
    return [item for item in NAVIGATION if role in item.roles]
