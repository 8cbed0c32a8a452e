"""Organisation -> Microsoft 365 CSP Direct -> Users: the tenant's Microsoft 365 users.

A table on desktops and cards on phones (users_table.py), searched and paged in the database;
New user, Import from the portal and Export to the portal above it, Edit / Reset password /
Delete / Restore in each row's menu (users_dialogs.py). The list follows the live feed.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import changes
from o365portal.ui import live, routes, styles
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.notices import organization_not_found
from o365portal.ui.components.pager import pager
from o365portal.ui.licences import BulkLicencesState, bulk_licences_dialog, licences_dialog
from o365portal.ui.users.directory_state import DirectoryState
from o365portal.ui.users.new_user_state import NewUserState
from o365portal.ui.users.users_dialogs import directory_dialog, new_user_dialog, row_dialog
from o365portal.ui.users.users_state import UsersState as S
from o365portal.ui.users.users_table import cards, table


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.button(rx.icon("user-plus", size=16), "New user", on_click=NewUserState.open_dialog),
        rx.button(
            rx.icon("download", size=16),
            "Import from portal",
            variant="soft",
            on_click=DirectoryState.open_import,
        ),
        rx.button(
            rx.icon("upload", size=16),
            "Export to portal",
            variant="soft",
            on_click=DirectoryState.open_export,
        ),
        rx.button(
            rx.icon("badge-check", size=16),
            "Assign subscriptions",
            variant="soft",
            disabled=S.selected.length() == 0,
            on_click=BulkLicencesState.open_for_users(S.selected, "assign"),
        ),
        rx.button(
            rx.icon("badge-minus", size=16),
            "Remove subscriptions",
            variant="soft",
            disabled=S.selected.length() == 0,
            on_click=BulkLicencesState.open_for_users(S.selected, "remove"),
        ),
        rx.button(
            rx.icon("refresh-cw", size=16),
            "Sync now",
            variant="ghost",
            loading=S.syncing,
            on_click=S.sync_now,
        ),
        gap="0.5rem",
        wrap="wrap",
        align="center",
        width="100%",
    )


def _search() -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        placeholder="Search name or user name",
        aria_label="Search users",
        default_value=S.search,
        on_change=S.set_search.debounce(300),
        width="100%",
    )


def _unused() -> rx.Component:
    """Seats bought and not used, and until when each subscription can give them back."""
    return rx.cond(
        S.unused.length() > 0,
        rx.callout(
            rx.vstack(
                rx.text("Seats bought and not used", weight="bold"),
                rx.foreach(
                    S.unused,
                    lambda seats: rx.text(rx.el.strong(seats.friendly_name), " · ", seats.words),
                ),
                rx.cond(
                    S.unused_more != "",
                    rx.text(
                        S.unused_more, " ", rx.link("See Subscriptions", href=S.subscriptions_url)
                    ),
                ),
                spacing="1",
            ),
            icon="info",
            color_scheme="amber",
            size="1",
            width="100%",
            role="region",
            aria_label="Unused seats",
        ),
    )


def _list() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        _unused(),
        _search(),
        rx.cond(S.rows.length() > 0, rx.fragment(table(), cards())),
        pager(S.summary, S.has_previous, S.has_next, S.previous_page, S.next_page),
        rx.cond(
            S.synced_at != "",
            rx.text("Last read from Microsoft: ", S.synced_at, size="1", color=styles.MUTED),
            rx.text(
                "The users have not been read from Microsoft yet: use Sync now.",
                size="2",
                color=styles.MUTED,
            ),
        ),
        new_user_dialog(),
        row_dialog(),
        directory_dialog(),
        licences_dialog(),
        bulk_licences_dialog(),
        live.watch(S.refresh, changes.USERS),
        spacing="3",
        width="100%",
    )


def _no_tenant() -> rx.Component:
    return rx.callout(
        "This organization has no Microsoft 365 tenant yet: add one on the organization's "
        "Microsoft 365 page first.",
        icon="info",
        width="100%",
    )


@routes.page(routes.USERS, S.load)
def users_page() -> rx.Component:
    """An organization's Microsoft 365 users."""
    return page_shell(
        "Microsoft 365 users",
        rx.cond(S.missing, organization_not_found(), rx.cond(S.no_tenant, _no_tenant(), _list())),
    )
