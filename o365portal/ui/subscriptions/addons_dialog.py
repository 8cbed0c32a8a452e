"""Actions -> Manage add-ons: the add-ons a subscription allows, and adding one.

Each add-on shows its price per seat (brokers also Microsoft's cost and the margin: a customer's
rows have no such fields), the seats the tenant holds already, an information button (a
popover, so a tap opens it on a phone) and a quantity with an Add button. Add first shows what
it will cost and commit to (`subscriptions.preview_addon`); confirming orders it (a background
event: Partner Center answers) and says the result in a toast: ordered, or sent to the broker
for approval, or Partner Center's refusal in words.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import subscriptions
from o365portal.services.errors import InvalidInput
from o365portal.services.principal import Principal
from o365portal.ui import styles
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState
from o365portal.ui.subscriptions.addons_parts import addon_card, preview_panel


class AddonsState(SessionState):
    """The Manage add-ons dialog of the subscription list (one for the whole table)."""

    dialog_open: bool = False
    subscription_id: int = 0
    view: subscriptions.AddonsView | None = None  # a broker's options: BrokerAddonOption
    quantities: dict[str, str] = {}  # typed seats per add-on key
    row_errors: dict[str, str] = {}  # a message per add-on key
    preview: subscriptions.AddonPreview | None = None
    adding: bool = False

    @rx.var
    def title(self) -> str:
        """The dialog's title, naming the subscription."""
        return f"Add-ons for {self.view.friendly_name}" if self.view else "Add-ons"

    @data_event
    def open_for(self, principal: Principal, subscription_id: int) -> None:
        """Actions -> Manage add-ons: read the add-ons the subscription allows."""
        self.subscription_id, self.preview, self.row_errors = subscription_id, None, {}
        self.view = subscriptions.addon_options(actor=principal, subscription_id=subscription_id)
        self.quantities = {option.key: str(option.min_quantity) for option in self.view.options}
        self.dialog_open = True

    @rx.event
    def forget(self) -> None:
        """The page (re)loaded: the dialog starts closed, whatever this tab's state held."""
        self.dialog_open, self.view = False, None

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        """Close the dialog (Close, Escape, outside click)."""
        self.dialog_open = value

    @rx.event
    def set_quantity(self, key: str, value: str) -> None:
        """Type the seats of one add-on."""
        self.quantities = self.quantities | {key: value}
        self.row_errors = {k: v for k, v in self.row_errors.items() if k != key}

    @data_event
    def ask(self, principal: Principal, key: str) -> None:
        """Add: show what the add-on will cost and commit to, or why the seats are refused."""
        try:
            self.preview = subscriptions.preview_addon(
                actor=principal,
                subscription_id=self.subscription_id,
                item=key,
                quantity=self.quantities.get(key, ""),
            )
        except InvalidInput as invalid:  # said at the add-on's own row
            self.row_errors = {key: " ".join(invalid.field_errors.values())}

    @rx.event
    def back(self) -> None:
        """Back from the preview to the list."""
        self.preview = None

    @data_event(background=True)
    async def add(self, principal: Principal) -> rx.event.EventSpec | None:
        """Order the previewed add-on (or ask the broker); the result in a toast."""
        async with self:
            if self.adding or self.preview is None:
                return None
            self.adding, key, seats = True, self.preview.key, self.preview.quantity
        try:
            outcome = await subscriptions.add_addon(
                actor=principal, subscription_id=self.subscription_id, item=key, quantity=seats
            )
        finally:
            async with self:
                self.adding = False
        async with self:
            self.dialog_open, self.preview = False, None
        return rx.toast.success(outcome.message, duration=8000)


S = AddonsState


def addons_menu_item(row_id: rx.Var[int]) -> rx.Component:
    """The Actions menu entry (brokers and customers)."""
    return rx.dropdown_menu.item("Manage add-ons", on_click=S.open_for(row_id))


def _options(view: rx.Var[subscriptions.AddonsView]) -> rx.Component:
    return rx.vstack(
        rx.cond(
            view.approvals_apply,
            rx.callout(
                "Your broker approves each add-on before it is bought.",
                icon="info",
                size="1",
                width="100%",
            ),
        ),
        rx.cond(view.note != "", rx.text(view.note, size="2", color=styles.MUTED)),
        rx.foreach(
            view.options,
            lambda option: addon_card(
                option,
                S.quantities[option.key].to(str),
                S.row_errors,
                S.set_quantity,
                S.ask,
            ),
        ),
        spacing="2",
        width="100%",
    )


def addons_dialog() -> rx.Component:
    """The one Manage add-ons dialog of the subscription list."""
    view = S.view.to(subscriptions.AddonsView)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.title),
            rx.cond(
                S.preview,
                preview_panel(
                    S.preview.to(subscriptions.AddonPreview), S.adding, on_back=S.back, on_add=S.add
                ),
                rx.cond(S.view, _options(view)),
            ),
            rx.cond(
                ~S.preview,  # the preview has its own Back
                rx.flex(
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    justify="end",
                    margin_top="1rem",
                ),
            ),
            max_width="min(40rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=S.dialog_open,
        on_open_change=S.set_dialog_open,
        on_mount=S.forget,
    )
