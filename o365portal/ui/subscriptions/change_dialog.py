"""The dialog of a subscription's changes: quantity, cancel, suspend, activate, renewal settings.

Opening it for an action shows the cost preview at once (services/subscriptions/_previews.py):
the lines the change bills now (a broker also sees Microsoft's amount and the margin), the cost
per cycle before and after, whether and until when it can be undone, Microsoft's rules that
apply, and — when NCE forbids the change now — why, with the way out (a reduction past its
7-day windows can be scheduled for the renewal instead). Typing a quantity (previewed
PREVIEW_DEBOUNCE_MS after the last key) or changing a renewal setting updates the preview. The
confirm button does the change in Partner Center (a background event), or sends it for the
broker's approval when the broker requires approvals; the table follows through the live feed.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import subscriptions
from o365portal.ui import styles
from o365portal.ui.subscriptions.change_state import ChangeState

# A typed quantity is previewed this long after the last key (the input's own debounce; the
# preview is one quick server call, so the pause only spares a call per key of a fast typist).
PREVIEW_DEBOUNCE_MS = 120


def _line(line: rx.Var[subscriptions.ChargeLine], broker: rx.Var[bool]) -> rx.Component:
    costs = line.to(subscriptions.BrokerChargeLine)
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(line.what, weight="medium", size="2"),
                rx.text(
                    line.period,
                    " · ",
                    line.quantity,
                    " × ",
                    line.unit_price,
                    size="1",
                    color=styles.MUTED,
                ),
                rx.cond(
                    broker & line.contains("cost"),
                    rx.text(
                        "Microsoft: ",
                        costs.cost,
                        " · margin ",
                        costs.margin,
                        size="1",
                        color=styles.MUTED,
                    ),
                ),
                spacing="0",
            ),
            rx.spacer(),
            rx.text(line.amount, weight="bold", size="2", white_space="nowrap"),
            gap="0.5rem",
            align="start",
        ),
        size="1",
        width="100%",
    )


def _fact(label: str, value: rx.Var[str]) -> rx.Component:
    return rx.cond(
        value != "",
        rx.data_list.item(
            rx.data_list.label(label, min_width="8rem"),
            rx.data_list.value(value),
        ),
    )


def preview_panel(preview: rx.Var[subscriptions.ChangePreview]) -> rx.Component:
    """A change's preview: refusal, lines, money now, per cycle, undo and Microsoft's rules."""
    broker = preview.contains("now_cost")
    costs = preview.to(subscriptions.BrokerChangePreview)
    return rx.vstack(
        rx.cond(
            ~preview.allowed,
            rx.callout(preview.refusal, icon="circle-alert", color_scheme="red", role="alert"),
        ),
        rx.foreach(preview.lines, lambda line: _line(line, broker)),
        rx.data_list.root(
            _fact("Now", preview.now),
            rx.cond(broker, _fact("Microsoft", costs.now_cost)),
            rx.cond(broker, _fact("Margin", costs.now_margin)),
            _fact("Per cycle today", preview.per_cycle_before),
            _fact("Per cycle after", preview.per_cycle_after),
            _fact("Undo", preview.undo),
            _fact("Term ends", preview.term_ends),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            size="2",
            gap="0.4rem",
        ),
        rx.foreach(
            preview.notes,
            lambda note: rx.callout(note, icon="info", color_scheme="amber", size="1"),
        ),
        spacing="2",
        width="100%",
    )


def _quantity_form() -> rx.Component:
    return rx.vstack(
        rx.el.label("New quantity", html_for="change-quantity", font_weight="500"),
        rx.input(
            id="change-quantity",
            value=ChangeState.quantity,
            on_change=ChangeState.set_quantity,
            debounce_timeout=PREVIEW_DEBOUNCE_MS,
            input_mode="numeric",
            size="3",
            width="10rem",
            aria_invalid=rx.cond(ChangeState.errors.contains("quantity"), "true", "false"),
        ),
        rx.cond(
            ChangeState.errors.contains("quantity"),
            rx.text(ChangeState.errors["quantity"], color="var(--red-11)", size="2", role="alert"),
        ),
        spacing="1",
    )


def _select(
    label: str,
    name: str,
    value: rx.Var[str],
    choices: rx.Var[list[subscriptions.Choice]],
    on_change: rx.EventHandler,
) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=name, font_weight="500"),
        rx.el.select(
            rx.foreach(choices, lambda c: rx.el.option(c.label, value=c.value)),
            id=name,
            value=value,
            on_change=on_change,
            style={"padding": "0.5rem", "border_radius": "6px", "min_width": "9rem"},
        ),
        spacing="1",
    )


def _renewal_form() -> rx.Component:
    settings = ChangeState.settings.to(subscriptions.RenewalSettings)
    return rx.vstack(
        rx.el.label(
            rx.hstack(
                rx.switch(
                    id="auto-renew",
                    checked=ChangeState.auto_renew,
                    on_change=ChangeState.set_auto_renew,
                ),
                rx.text("Renew automatically at the term end"),
                align="center",
            ),
        ),
        rx.cond(
            ChangeState.auto_renew,
            rx.flex(
                rx.vstack(
                    rx.el.label("Seats next term", html_for="renewal-quantity", font_weight="500"),
                    rx.input(
                        id="renewal-quantity",
                        value=ChangeState.renewal_quantity,
                        on_change=ChangeState.set_renewal_quantity,
                        debounce_timeout=PREVIEW_DEBOUNCE_MS,
                        input_mode="numeric",
                        size="3",
                        width="8rem",
                    ),
                    spacing="1",
                ),
                _select(
                    "Term",
                    "renewal-term",
                    ChangeState.renewal_term,
                    settings.terms,
                    ChangeState.set_renewal_term,
                ),
                _select(
                    "Billing",
                    "renewal-cycle",
                    ChangeState.renewal_cycle,
                    settings.cycles,
                    ChangeState.set_renewal_cycle,
                ),
                gap="1rem",
                wrap="wrap",
            ),
        ),
        rx.cond(
            ChangeState.errors.length() > 0,
            rx.foreach(
                ChangeState.errors.values(),
                lambda message: rx.text(message, color="var(--red-11)", size="2", role="alert"),
            ),
        ),
        spacing="3",
        width="100%",
    )


def change_dialog() -> rx.Component:
    """The one change dialog of the Subscriptions page."""
    preview = ChangeState.preview.to(subscriptions.ChangePreview)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(ChangeState.preview, preview.title, "Change")),
            rx.vstack(
                rx.cond(ChangeState.action == "quantity", _quantity_form()),
                rx.cond(ChangeState.action == "renewal", _renewal_form()),
                rx.cond(ChangeState.preview, preview_panel(preview)),
                rx.flex(
                    rx.cond(
                        ChangeState.preview & preview.schedule_offer,
                        rx.button(
                            "Schedule for the renewal instead",
                            variant="soft",
                            on_click=ChangeState.schedule_instead,
                        ),
                    ),
                    rx.spacer(),
                    rx.dialog.close(
                        rx.button("Keep as it is", variant="soft", color_scheme="gray")
                    ),
                    rx.button(
                        ChangeState.confirm_label,
                        color_scheme=rx.cond(
                            (ChangeState.action == "cancel") | (ChangeState.action == "suspend"),
                            "red",
                            "accent",
                        ),
                        disabled=~ChangeState.can_confirm,
                        loading=ChangeState.working,
                        on_click=ChangeState.confirm,
                    ),
                    gap="0.75rem",
                    wrap="wrap",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="min(40rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=ChangeState.open,
        on_open_change=ChangeState.set_open,
        on_mount=ChangeState.forget,
    )
