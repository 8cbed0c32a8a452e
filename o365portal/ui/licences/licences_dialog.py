"""The licences dialogs of Microsoft 365 users.

`licences_dialog()`: one user's subscriptions, each with a tick and its seats (bought, in use,
free); Save writes the change to Partner Center. Under each licence the user holds, a "Service
plans" disclosure lists the SKU's plans with a switch each (on = enabled, as Partner Center
reads them when the dialog opens) and its own Save. When a seat is missing the dialog shows the
offer instead — how many seats on which subscription, with the cost preview of adding them —
and a Buy button that buys them and then saves (a customer's purchase may wait for the broker's
approval; the dialog says so). `bulk_licences_dialog()`: subscriptions given to, or taken from,
many users, with a progress bar and each user's result.

A page mounts both dialogs once and opens them with `LicencesState.open_for(user_id)` and
`BulkLicencesState.open_for_users(user_ids)`.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import licences, subscriptions
from o365portal.ui import styles
from o365portal.ui.licences.licences_state import BulkLicencesState, LicencesState
from o365portal.ui.subscriptions.change_dialog import preview_panel


def _seat_words(line: rx.Var[licences.LicenceLine]) -> rx.Component:
    return rx.text(line.product, " · ", line.usage, size="1", color=styles.MUTED)


def _plan_switch(
    held: rx.Var[licences.LicencePlans], plan: rx.Var[licences.PlanLine]
) -> rx.Component:
    key = f"{held.subscription_id}:{plan.plan_id}"
    return rx.el.label(
        rx.flex(
            rx.switch(
                checked=~LicencesState.off.contains(key),
                on_change=lambda on: LicencesState.switch_plan(key, on),
                aria_label=plan.name,
                size="2",
            ),
            rx.text(plan.name, size="2"),
            align="center",
            gap="0.5rem",
            min_height="2.25rem",  # a finger's room on a phone
        ),
    )


def _service_plans(held: rx.Var[licences.LicencePlans]) -> rx.Component:
    """The disclosure of one held licence's service plans: a switch each (on = enabled)."""
    return rx.el.details(
        rx.el.summary("Service plans", cursor="pointer", font_size="0.875rem"),
        rx.vstack(
            rx.foreach(held.plans, lambda plan: _plan_switch(held, plan)),
            rx.button(
                "Save service plans",
                size="2",
                disabled=~LicencesState.plans_changed.contains(held.subscription_id),
                loading=LicencesState.plans_saving == held.subscription_id,
                on_click=LicencesState.save_plans(held.subscription_id),
            ),
            spacing="1",
            padding_top="0.5rem",
        ),
        aria_label="Service plans of " + held.friendly_name,
    )


def _plans_of(line: rx.Var[licences.LicenceLine]) -> rx.Component:
    return rx.cond(
        line.assigned,
        rx.fragment(
            rx.cond(
                LicencesState.plans_loading,
                rx.text("Reading the service plans…", size="1", color=styles.MUTED),
            ),
            rx.foreach(
                LicencesState.plans,
                lambda held: rx.cond(
                    held.subscription_id == line.subscription_id, _service_plans(held)
                ),
            ),
        ),
    )


def _licence_row(line: rx.Var[licences.LicenceLine]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.checkbox(
                line.friendly_name,
                checked=LicencesState.ticked.contains(line.subscription_id),
                on_change=lambda value: LicencesState.tick(line.subscription_id, value),
                disabled=~line.assignable & ~line.assigned,
                size="2",
            ),
            _seat_words(line),
            _plans_of(line),
            spacing="1",
        ),
        size="1",
        width="100%",
    )


def _offer(offer: rx.Var[licences.SeatOffer]) -> rx.Component:
    return rx.vstack(
        rx.text(offer.words, weight="medium", size="2"),
        preview_panel(offer.preview.to(subscriptions.ChangePreview)),
        spacing="2",
        width="100%",
    )


def _offers() -> rx.Component:
    return rx.cond(
        LicencesState.message != "",
        rx.vstack(
            rx.callout(LicencesState.message, icon="info", color_scheme="amber", role="status"),
            rx.foreach(LicencesState.offers, _offer),
            spacing="2",
            width="100%",
        ),
    )


def _errors(errors: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.foreach(
        errors.values(),
        lambda message: rx.text(message, color="var(--red-11)", size="2", role="alert"),
    )


def licences_dialog() -> rx.Component:
    """One user's subscriptions: ticks, seats, save, and the offer when a seat is missing."""
    view = LicencesState.view.to(licences.UserLicences)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(LicencesState.view, view.name, "Subscriptions")),
            rx.dialog.description(
                rx.cond(LicencesState.view, view.user_principal_name, ""),
                size="2",
                color=styles.MUTED,
            ),
            rx.vstack(
                rx.cond(
                    LicencesState.view & (view.note != ""),
                    rx.callout(view.note, icon="circle-alert", color_scheme="amber"),
                ),
                rx.cond(LicencesState.view, rx.foreach(view.lines, _licence_row)),
                _offers(),
                _errors(LicencesState.errors),
                rx.flex(
                    rx.spacer(),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    rx.cond(
                        LicencesState.offers.length() > 0,
                        rx.button(
                            "Buy and assign",
                            loading=LicencesState.working,
                            on_click=LicencesState.buy,
                        ),
                        rx.button(
                            "Save",
                            disabled=~LicencesState.changed,
                            loading=LicencesState.working,
                            on_click=LicencesState.save,
                        ),
                    ),
                    gap="0.75rem",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="min(40rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=LicencesState.open,
        on_open_change=LicencesState.set_open,
        on_mount=LicencesState.forget,
    )


def _choice(line: rx.Var[licences.LicenceLine]) -> rx.Component:
    return rx.vstack(
        rx.checkbox(
            line.friendly_name,
            checked=BulkLicencesState.chosen.contains(line.subscription_id),
            on_change=lambda value: BulkLicencesState.choose(line.subscription_id, value),
            size="2",
        ),
        _seat_words(line),
        spacing="1",
    )


def _result(result: rx.Var[licences.UserResult]) -> rx.Component:
    return rx.text(rx.el.strong(result.name), ": ", result.message, size="2")


def _report() -> rx.Component:
    report = BulkLicencesState.report.to(licences.BulkReport)
    return rx.cond(
        BulkLicencesState.report,
        rx.vstack(
            rx.text(report.summary, weight="medium", role="status"),
            rx.foreach(BulkLicencesState.not_done, _result),
            rx.foreach(report.offers, lambda offer: rx.text(offer.words, size="2")),
            spacing="1",
            width="100%",
        ),
    )


def bulk_licences_dialog() -> rx.Component:
    """Subscriptions for many users: choose, run with a progress bar, then each user's result."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Subscriptions of ", BulkLicencesState.user_ids.length(), " users"),
            rx.vstack(
                rx.radio_group.root(
                    rx.radio_group.item("Assign", value="assign"),
                    rx.radio_group.item("Remove", value="remove"),
                    value=BulkLicencesState.mode,
                    on_change=BulkLicencesState.set_mode,
                    direction="row",
                    spacing="4",
                ),
                rx.foreach(BulkLicencesState.lines, _choice),
                rx.cond(
                    BulkLicencesState.working | BulkLicencesState.report,
                    rx.vstack(
                        rx.progress(value=BulkLicencesState.percent, aria_label="Progress"),
                        rx.text(BulkLicencesState.done, " of ", BulkLicencesState.total, size="1"),
                        width="100%",
                    ),
                ),
                _report(),
                _errors(BulkLicencesState.errors),
                rx.flex(
                    rx.spacer(),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    rx.button(
                        rx.cond(BulkLicencesState.mode == "remove", "Remove", "Assign"),
                        disabled=BulkLicencesState.chosen.length() == 0,
                        loading=BulkLicencesState.working,
                        on_click=BulkLicencesState.run,
                    ),
                    gap="0.75rem",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="min(40rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=BulkLicencesState.open,
        on_open_change=BulkLicencesState.set_open,
    )
