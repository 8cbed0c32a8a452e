"""The commitment ledger of a subscription: its seat lots and their 7-day windows.

Each lot shows when it was bought, until when its seats can be removed (counting down live in
the browser when under a day is left), and how many are still refundable; above them the
cancellation window, if still open, and the renewal date.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import subscriptions
from o365portal.services.principal import Principal
from o365portal.ui import styles
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class LedgerState(SessionState):
    """The ledger being shown."""

    open: bool = False
    ledger: subscriptions.Ledger | None = None

    @data_event
    def open_ledger(self, principal: Principal, subscription_id: int) -> None:
        """Actions -> Seat lots."""
        self.ledger = subscriptions.commitment_ledger(
            actor=principal, subscription_id=subscription_id
        )
        self.open = True

    @rx.event
    def forget(self) -> None:
        """The page (re)loaded: the dialog starts closed, whatever this tab's state held."""
        self.open, self.ledger = False, None

    @rx.event
    def set_open(self, value: bool) -> None:
        """Close the dialog."""
        self.open = value


def _countdown(iso: rx.Var[str]) -> rx.Component:
    return rx.moment(date=iso, from_now=True, interval=30000)


def _lot(lot: rx.Var[subscriptions.LotLine]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(lot.reason, " · ", lot.seats, weight="medium", size="2"),
                rx.text("Bought ", lot.added_at, size="1", color=styles.MUTED),
                rx.text(
                    rx.cond(lot.refundable > 0, "Removable until ", "Window closed "),
                    lot.deadline,
                    rx.cond(
                        lot.closing_soon,
                        rx.el.strong(" (closes ", _countdown(lot.deadline_iso), ")"),
                    ),
                    size="1",
                    color=rx.cond(lot.closing_soon, "var(--amber-11)", styles.MUTED),
                ),
                spacing="0",
            ),
            rx.spacer(),
            rx.badge(
                lot.refundable.to_string() + " refundable",
                color_scheme=rx.cond(lot.refundable > 0, "green", "gray"),
                variant="soft",
            ),
            align="start",
            gap="0.5rem",
        ),
        size="1",
        width="100%",
    )


def ledger_dialog() -> rx.Component:
    """The Seat lots dialog of the Subscriptions page."""
    ledger = LedgerState.ledger.to(subscriptions.Ledger)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Seat lots of ", ledger.friendly_name),
            rx.cond(
                LedgerState.ledger,
                rx.vstack(
                    rx.text(
                        ledger.quantity.to_string(),
                        " seats, ",
                        ledger.refundable.to_string(),
                        " of them removable now. ",
                        "The term ends ",
                        ledger.term_ends,
                        ".",
                        size="2",
                    ),
                    rx.cond(
                        ledger.cancel_until != "",
                        rx.callout(
                            rx.text(
                                "Can be cancelled until ",
                                ledger.cancel_until,
                                " (",
                                _countdown(ledger.cancel_until_iso),
                                ").",
                            ),
                            icon="clock",
                            color_scheme="amber",
                            size="1",
                        ),
                    ),
                    rx.foreach(ledger.lots, _lot),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    spacing="2",
                    align="end",
                    width="100%",
                ),
            ),
            max_width="min(34rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=LedgerState.open,
        on_open_change=LedgerState.set_open,
        on_mount=LedgerState.forget,
    )
