"""My Services -> Approvals: customers' orders and subscription changes waiting for the broker.

Each card and the decision dialog show what is asked: product, seats, term, billing, the price
and total approving would charge, and cost and margin; for a change of a subscription (seats,
renewal, cancellation) the dialog shows its cost preview as of now. Approve places (or
schedules) the order or makes the change in Partner Center, so it runs as a background event;
Reject needs a comment. Both e-mail the
customer through the outbox. The list follows the live feed: a request asked, decided or
withdrawn anywhere shows without a reload (ui/live.py).
"""

from __future__ import annotations

import asyncio

import reflex as rx

from o365portal.services import changes, ordering, subscriptions
from o365portal.services.principal import Principal
from o365portal.ui import live, routes, styles
from o365portal.ui.components.layout import page_shell
from o365portal.ui.events import data_event
from o365portal.ui.ordering.request_card import request_details
from o365portal.ui.session import SessionState
from o365portal.ui.subscriptions.change_dialog import preview_panel


class ApprovalsState(SessionState):
    """Pending requests and the decision dialog."""

    rows: list[ordering.RequestView] = []  # a broker's: BrokerRequestView, with cost and margin
    dialog_open: bool = False
    deciding: ordering.RequestView | None = None
    change_preview: subscriptions.ChangePreview | None = None  # a broker's: with cost, margin
    comment: str = ""
    errors: dict[str, str] = {}
    working: bool = False

    def _reload(self, principal: Principal) -> None:
        self.rows = []
        self.rows = ordering.list_requests(actor=principal)

    @data_event
    def load(self, principal: Principal) -> None:
        """on_load: every pending request, newest first."""
        self.dialog_open, self.working = False, False
        self._reload(principal)

    @data_event
    def refresh(self, principal: Principal) -> None:
        """The live feed moved: read the pending requests again (an open dialog stays)."""
        self._reload(principal)

    @data_event
    def open_decision(self, principal: Principal, request_id: int) -> None:
        """Open the dialog for one request, with everything its card shows and, for a change
        of a subscription, its cost preview as of now."""
        self.deciding = next((row for row in self.rows if row.id == request_id), None)
        self.comment, self.errors, self.dialog_open = "", {}, self.deciding is not None
        self.change_preview = None
        if self.deciding is not None and self.deciding.kind != "order":
            self.change_preview = subscriptions.preview_request(
                actor=principal, request_id=request_id
            )

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        """Close the dialog (not while an approval is being placed)."""
        if not self.working:
            self.dialog_open = value

    @rx.event
    def set_comment(self, value: str) -> None:
        """Type the comment."""
        self.comment = value

    @data_event
    def reject(self, principal: Principal) -> rx.event.EventSpec:
        """Reject with the comment; the customer is told why."""
        request_id = self.deciding.id if self.deciding else 0
        ordering.reject(actor=principal, request_id=request_id, comment=self.comment)
        self.dialog_open = False
        self._reload(principal)
        return rx.toast.success("Rejected; the customer was told.")

    @data_event(background=True, form="")  # the dialog's only field is the comment
    async def approve(self, principal: Principal) -> rx.event.EventSpec | None:
        """Approve: the order is placed (or scheduled), or the change is made, now."""
        async with self:
            if self.working:
                return None
            self.working, comment = True, self.comment
            request_id = self.deciding.id if self.deciding else 0
        try:
            outcome = await subscriptions.approve_request(
                actor=principal, request_id=request_id, comment=comment
            )
        finally:
            async with self:
                self.working = False
        pending = await asyncio.to_thread(ordering.list_requests, actor=principal)
        async with self:
            self.dialog_open, self.rows = False, pending
        return rx.toast.success(f"Approved. {outcome.message}")


def _row(row: rx.Var[ordering.RequestView]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.link(
                    row.organization_name,
                    href=routes.subscriptions_url(row.organization_id),
                    weight="medium",
                ),
                request_details(row),
                rx.text(
                    "Asked by ",
                    row.requested_by,
                    " on ",
                    row.requested_at,
                    size="2",
                    color=styles.MUTED,
                ),
                spacing="2",
            ),
            rx.spacer(),
            rx.button(
                "Decide",
                on_click=ApprovalsState.open_decision(row.id),
                aria_label="Decide on " + row.summary,
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="0.75rem",
            width="100%",
        ),
        role="group",
        aria_label="Request for " + row.summary,
        width="100%",
    )


def _dialog() -> rx.Component:
    s = ApprovalsState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Approve or reject"),
            rx.vstack(
                rx.text(s.deciding.organization_name, weight="medium"),
                request_details(s.deciding),
                rx.cond(
                    s.change_preview,
                    preview_panel(s.change_preview.to(subscriptions.ChangePreview)),
                ),
                rx.el.label(rx.text("Comment", size="2", weight="medium"), html_for="comment"),
                rx.text_area(id="comment", value=s.comment, on_change=s.set_comment, width="100%"),
                rx.cond(
                    s.errors.contains("comment"),
                    rx.text(s.errors["comment"], color="var(--red-11)", size="2", role="alert"),
                ),
                rx.hstack(
                    rx.button(
                        "Reject",
                        color_scheme="red",
                        variant="soft",
                        on_click=s.reject,
                        disabled=s.working,
                    ),
                    rx.button("Approve", loading=s.working, on_click=s.approve),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
            ),
            max_width="min(36rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=s.dialog_open,
        on_open_change=s.set_dialog_open,
    )


@routes.page(routes.APPROVALS, ApprovalsState.load)
def approvals_page() -> rx.Component:
    """The broker's pending approval requests."""
    return page_shell(
        "Approvals",
        rx.cond(
            ApprovalsState.rows.length() > 0,
            rx.vstack(rx.foreach(ApprovalsState.rows, _row), width="100%", spacing="2"),
            rx.text("Nothing is waiting for approval.", color=styles.MUTED),
        ),
        _dialog(),
        live.watch(ApprovalsState.refresh, changes.APPROVALS),
    )
