"""My Services -> Outbox (brokers): every e-mail the portal sent, is sending or gave up on.

With no SMTP server configured nothing leaves the portal, and this page shows what would have
been sent. One-time secrets appear as dots: the portal never shows or keeps them.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import outbox
from o365portal.services.principal import Principal
from o365portal.ui import routes, styles
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.pager import pager
from o365portal.ui.events import data_event
from o365portal.ui.paging import PagedList
from o365portal.ui.session import SessionState


class OutboxState(PagedList, SessionState):
    """The visible page of the outbox."""

    page_size: int = 20
    rows: list[outbox.OutboxItem] = []
    delivery_enabled: bool = True

    def _empty_summary(self) -> str:
        return "No e-mails yet."

    def _reload(self, principal: Principal) -> None:
        self.rows, self.total = [], 0
        result = outbox.list_outbox(actor=principal, page=self.page, page_size=self.page_size)
        self.rows = result.items
        self.total, self.delivery_enabled = result.total, result.delivery_enabled

    @data_event
    def load(self, principal: Principal) -> None:
        """on_load: the newest messages."""
        self.page = 1
        self._reload(principal)


def _status(row: rx.Var[outbox.OutboxItem]) -> rx.Component:
    colour = rx.match(
        row.status,
        ("queued", "blue"),
        ("sending", "blue"),
        ("sent", "green"),
        ("failed", "red"),
        "gray",
    )
    return rx.badge(row.status, color_scheme=colour)


def _message(row: rx.Var[outbox.OutboxItem]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(row.subject, weight="medium"),
                rx.spacer(),
                _status(row),
                gap="0.5rem",
                wrap="wrap",
                width="100%",
            ),
            rx.text("To ", row.to_address, " · ", row.created_at, size="2", color=styles.MUTED),
            rx.cond(
                row.last_error != "",
                rx.text(
                    "Attempt ",
                    row.attempts,
                    " failed: ",
                    row.last_error,
                    size="2",
                    color="var(--red-11)",
                ),
            ),
            rx.el.details(
                rx.el.summary("Show message", cursor="pointer"),
                rx.el.pre(
                    row.body, white_space="pre-wrap", font_size="0.875rem", margin_top="0.5rem"
                ),
            ),
            spacing="2",
            width="100%",
        ),
        role="article",
        aria_label="E-mail to " + row.to_address,
        width="100%",
    )


@routes.page(routes.OUTBOX, OutboxState.load)
def outbox_page() -> rx.Component:
    """The broker's outbox."""
    return page_shell(
        "Outbox",
        rx.cond(
            ~OutboxState.delivery_enabled,
            rx.callout(
                "No SMTP server is configured: nothing is sent. These are the e-mails the "
                "portal would send (see docs/configuration.md, SMTP_HOST).",
                icon="info",
                margin_bottom="1rem",
            ),
        ),
        rx.vstack(rx.foreach(OutboxState.rows, _message), spacing="3", width="100%"),
        pager(
            OutboxState.summary,
            OutboxState.has_previous,
            OutboxState.has_next,
            OutboxState.previous_page,
            OutboxState.next_page,
        ),
    )
