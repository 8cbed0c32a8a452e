"""Count badges in the navigation ("3 unlinked tenants", later "pending approvals").

A badge is a key in `BADGES` mapping to a service function `(actor=Principal) -> int`; a
`NavItem(badge=key)` shows the count beside its label when it is above zero. The counts are
fetched in a background event when a page shell mounts, so a slow source never blocks a page,
and again whenever the live feed says they moved (a change anywhere, ui/live.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import reflex as rx

from o365portal.services import changes, outbox, sync
from o365portal.services.errors import ServiceError
from o365portal.services.ordering import pending_approvals
from o365portal.services.principal import Principal
from o365portal.services.tenants import unlinked_count
from o365portal.ui import live
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState

CountSource = Callable[..., Awaitable[int]]
BADGES: dict[str, CountSource] = {
    "unlinked_tenants": unlinked_count,
    "approvals": pending_approvals,
    "failed_mail": outbox.failed_count,
    "drift_alerts": sync.open_drift_count,
}


class NavBadgeState(SessionState):
    """The current counts, by badge key (only counts: nothing else about the data)."""

    counts: dict[str, int] = {}

    @data_event(background=True, quiet=True)
    async def refresh(self, principal: Principal) -> None:
        """Fetch every badge's count for the signed-in account."""
        counts = {key: await _count(source, principal) for key, source in BADGES.items()}
        async with self:
            self.counts = counts


async def _count(source: CountSource, principal: Principal) -> int:
    try:
        return await source(actor=principal)
    except ServiceError:
        return 0  # a badge is a hint; the page itself reports the failure


def nav_badge(key: str) -> rx.Component:
    """The count for `key`, shown only when above zero."""
    count = NavBadgeState.counts.get(key, 0)
    return rx.cond(
        count > 0,
        rx.badge(count.to(str), color_scheme="orange", variant="solid", radius="full"),
    )


def badge_loader() -> rx.Component:
    """An invisible element that refreshes the counts when a page shell mounts, and (brokers:
    customers have no badges) whenever the live feed moves them."""
    return rx.fragment(
        rx.box(display="none", on_mount=NavBadgeState.refresh),
        rx.cond(SessionState.is_broker, live.watch(NavBadgeState.refresh, changes.BADGES)),
    )
