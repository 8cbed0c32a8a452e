"""Parts of the Subscriptions page: the requests (waiting or rejected) and the confirmation."""

from __future__ import annotations

import reflex as rx

from o365portal.services import ordering
from o365portal.ui import routes, styles
from o365portal.ui.components.confirm import confirm_dialog
from o365portal.ui.ordering.request_card import request_details, request_status
from o365portal.ui.subscriptions.subscriptions_state import SubscriptionsState as S


def _decision(r: rx.Var[ordering.RequestView]) -> rx.Component:
    return rx.cond(
        r.status == "pending",
        rx.cond(
            S.is_broker,
            rx.link(rx.button("Review", variant="soft"), href=routes.APPROVALS),
            rx.button(
                "Cancel request",
                variant="soft",
                color_scheme="red",
                on_click=S.ask_cancel(r.id),
            ),
        ),
    )


def _request(r: rx.Var[ordering.RequestView]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                request_status(r),
                request_details(r),
                rx.text(
                    "Asked by ",
                    r.requested_by,
                    " on ",
                    r.requested_at,
                    size="2",
                    color=styles.MUTED,
                ),
                spacing="2",
            ),
            rx.spacer(),
            _decision(r),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="0.5rem",
            width="100%",
        ),
        role="group",
        aria_label="Request for " + r.summary,
        width="100%",
    )


def requests_section() -> rx.Component:
    """Requests waiting for the broker, and those rejected lately with the broker's comment."""
    return rx.cond(
        S.requests.length() > 0,
        rx.vstack(
            rx.heading("Requests", size="4"),
            rx.foreach(S.requests, _request),
            width="100%",
            spacing="2",
            margin_top="1.5rem",
        ),
    )


def confirmation() -> rx.Component:
    """The question Suspend and Cancel request ask first."""
    return confirm_dialog(
        title=S.confirm_title,
        text=S.confirm_text,
        keep_label=S.keep_label,
        act_label=S.act_label,
        open_=S.confirm_open,
        on_open_change=S.set_confirm_open,
        on_confirm=S.confirm,
    )
