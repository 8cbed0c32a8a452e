"""Every path of the portal, the URL builders, and the navigation generated from them.

Pages never hard-code a path: they use the constants and builders here. The navigation is the
subset of `NAVIGATION` whose roles include the signed-in principal's role.
"""

from __future__ import annotations

from dataclasses import dataclass

LOGIN = "/login"
HOME = "/"
ORGANIZATIONS = "/organizations"
ORGANIZATION = "/organizations/[org_id]"
SETTINGS = "/settings"
PRICE_LISTS = "/price-lists"
PRICE_LIST = "/price-lists/[list_id]"  # "global" or a customer list's id
GLOBAL_PRICE_LIST = "/price-lists/global"
ESTORE = "/organizations/[org_id]/estore"
M365_SERVICE = "/organizations/[org_id]/estore/microsoft-365"
UNLINKED_TENANTS = "/unlinked-tenants"
OUTBOX = "/outbox"
SUBSCRIPTIONS = "/organizations/[org_id]/estore/microsoft-365/subscriptions"
ADD_SUBSCRIPTION = "/organizations/[org_id]/estore/microsoft-365/subscriptions/add"
APPROVALS = "/approvals"

BROKER = "broker"
CUSTOMER = "customer"


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


def add_subscription_url(org_id: int | str) -> str:
    """URL of the add-subscription form of an organization."""
    return f"{subscriptions_url(org_id)}/add"


def is_local_path(path: str) -> bool:
    """A path on this site (not `//other.example` or `/\\other.example`): safe to redirect to."""
    return path.startswith("/") and not path.startswith(("//", "/\\"))


def login_url(next_path: str | None = None) -> str:
    """URL of the sign-in page, returning to `next_path` afterwards."""
    return f"{LOGIN}?next={next_path}" if next_path and next_path != LOGIN else LOGIN


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation: a section heading groups entries."""

    section: str
    label: str
    path: str
    icon: str
    roles: tuple[str, ...]
    badge: str = ""  # a key of ui/components/nav_badges.BADGES: a count shown beside the entry


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Manage Organizations", "Organizations", ORGANIZATIONS, "building-2", (BROKER,)),
    NavItem(
        "Manage Organizations",
        "Unlinked tenants",
        UNLINKED_TENANTS,
        "link",
        (BROKER,),
        badge="unlinked_tenants",
    ),
    NavItem("My Services", "Price lists", PRICE_LISTS, "tags", (BROKER,)),
    NavItem("My Services", "Approvals", APPROVALS, "clipboard-check", (BROKER,), badge="approvals"),
    NavItem("My Services", "Settings", SETTINGS, "settings", (BROKER,)),
    NavItem("My Services", "Outbox", OUTBOX, "mail", (BROKER,), badge="failed_mail"),
)


def navigation_for(role: str) -> list[NavItem]:
    """The navigation entries the given role may see."""
    return [item for item in NAVIGATION if role in item.roles]
