"""The state of the change dialog: which change, its inputs, its preview, and doing it.

Opening the dialog for an action reads its preview (services/subscriptions); typing a quantity
or changing a renewal setting reads it again. Confirm does what the preview showed — the
quantity previewed, not a key pressed since — in Partner Center as a background event, or sends
it for the broker's approval; the table follows through the live feed.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import subscriptions
from o365portal.services.principal import Principal
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState

_CONFIRM = {
    "cancel": "Cancel subscription",
    "suspend": "Suspend",
    "activate": "Activate",
    "renewal": "Save renewal settings",
}


class ChangeState(SessionState):
    """One change being previewed and confirmed."""

    open: bool = False
    action: str = ""  # quantity | cancel | suspend | activate | renewal
    subscription_id: int = 0
    quantity: str = ""
    auto_renew: bool = True
    renewal_quantity: str = ""
    renewal_term: str = ""
    renewal_cycle: str = ""
    settings: subscriptions.RenewalSettings | None = None
    preview: subscriptions.ChangePreview | None = None  # a broker's: BrokerChangePreview
    errors: dict[str, str] = {}
    working: bool = False

    @rx.var
    def confirm_label(self) -> str:
        """The confirm button's words: the action, or sending it for approval."""
        if self.preview is not None and self.preview.approval:
            return "Send for approval"
        if self.action == "quantity" and self.preview is not None and self.preview.quantity:
            return f"Change to {self.preview.quantity}"
        return _CONFIRM.get(self.action, "Confirm")

    @rx.var
    def can_confirm(self) -> bool:
        """Whether the preview allows the change (and nothing is running)."""
        return self.preview is not None and self.preview.allowed and not self.working

    def _start(self, action: str, subscription_id: int) -> None:
        self.action, self.subscription_id = action, subscription_id
        self.preview, self.settings, self.errors, self.working = None, None, {}, False
        self.open = True

    @data_event(form="errors")
    def open_quantity(self, principal: Principal, subscription_id: int, quantity: str) -> None:
        """Actions -> Change quantity: the preview of one seat more, until a number is typed."""
        self._start("quantity", subscription_id)
        self.quantity = str(int(quantity) + 1) if quantity.isdigit() else "1"
        self._preview_quantity(principal)

    def _preview_quantity(self, principal: Principal) -> None:
        self.errors, self.preview = {}, None
        self.preview = subscriptions.preview_quantity(
            actor=principal, subscription_id=self.subscription_id, quantity=self.quantity
        )

    @data_event(form="errors")
    def set_quantity(self, principal: Principal, value: str) -> None:
        """The quantity typed: preview it."""
        self.quantity = value
        self._preview_quantity(principal)

    @data_event(form="errors")
    def open_cancel(self, principal: Principal, subscription_id: int) -> None:
        """Actions -> Cancel: the refund, or why the window has closed."""
        self._start("cancel", subscription_id)
        self.preview = subscriptions.preview_cancel(
            actor=principal, subscription_id=subscription_id
        )

    @data_event(form="errors")
    def open_status(self, principal: Principal, subscription_id: int, status: str) -> None:
        """Actions -> Suspend / Activate (brokers)."""
        self._start("suspend" if status == "suspended" else "activate", subscription_id)
        self.preview = subscriptions.preview_status(
            actor=principal, subscription_id=subscription_id, status=status
        )

    @data_event(form="errors")
    def open_renewal(self, principal: Principal, subscription_id: int) -> None:
        """Actions -> Renewal settings: today's settings and what the next term will cost."""
        self._open_renewal(principal, subscription_id)
        self._preview_renewal(principal)

    def _open_renewal(self, principal: Principal, subscription_id: int) -> None:
        self._start("renewal", subscription_id)
        settings = subscriptions.renewal_settings(actor=principal, subscription_id=subscription_id)
        self.settings, self.auto_renew = settings, settings.auto_renew
        self.renewal_quantity, self.renewal_term = settings.quantity, settings.term
        self.renewal_cycle = settings.billing_cycle

    def _renewal_input(self) -> subscriptions.RenewalInput:
        quantity = subscriptions.parse_quantity(self.renewal_quantity, "renewal_quantity")
        return subscriptions.RenewalInput(
            self.auto_renew, quantity, self.renewal_term, self.renewal_cycle
        )

    def _preview_renewal(self, principal: Principal) -> None:
        self.errors, self.preview = {}, None
        self.preview = subscriptions.preview_renewal(
            actor=principal, subscription_id=self.subscription_id, wanted=self._renewal_input()
        )

    @data_event(form="errors")
    def set_auto_renew(self, principal: Principal, value: bool) -> None:
        """Auto-renew switched."""
        self.auto_renew = value
        self._preview_renewal(principal)

    @data_event(form="errors")
    def set_renewal_quantity(self, principal: Principal, value: str) -> None:
        """The next term's quantity typed."""
        self.renewal_quantity = value
        self._preview_renewal(principal)

    @data_event(form="errors")
    def set_renewal_term(self, principal: Principal, value: str) -> None:
        """The next term chosen."""
        self.renewal_term = value
        self._preview_renewal(principal)

    @data_event(form="errors")
    def set_renewal_cycle(self, principal: Principal, value: str) -> None:
        """The next billing cycle chosen."""
        self.renewal_cycle = value
        self._preview_renewal(principal)

    @data_event(form="errors")
    def schedule_instead(self, principal: Principal) -> None:
        """A refused reduction: open the renewal settings with that quantity for the next term."""
        wanted = self.quantity
        self._open_renewal(principal, self.subscription_id)
        self.auto_renew, self.renewal_quantity = True, wanted
        self._preview_renewal(principal)

    @rx.event
    def forget(self) -> None:
        """The page (re)loaded: the dialog starts closed, whatever this tab's state held."""
        if not self.working:
            self.open, self.preview = False, None

    @rx.event
    def set_open(self, value: bool) -> None:
        """Close the dialog (not while the change is being made)."""
        if not self.working:
            self.open = value

    @data_event(background=True, form="errors")
    async def confirm(self, principal: Principal) -> rx.event.EventSpec | None:
        """Make the change (or send it for approval); the table follows by itself."""
        async with self:
            if self.working or self.preview is None or not self.preview.allowed:
                return None
            self.working = True
            action, subscription_id = self.action, self.subscription_id
            wanted = self._renewal_input() if action == "renewal" else None
            quantity = str(self.preview.quantity)  # what the preview showed, not a later key
        try:
            outcome = await _do(principal, action, subscription_id, quantity, wanted)
        finally:
            async with self:
                self.working = False
        async with self:
            self.open = False
        return rx.toast.success(outcome.message)


async def _do(
    principal: Principal,
    action: str,
    subscription_id: int,
    quantity: str,
    wanted: subscriptions.RenewalInput | None,
) -> subscriptions.ChangeOutcome:
    if action == "quantity":
        return await subscriptions.change_quantity(
            actor=principal, subscription_id=subscription_id, quantity=quantity
        )
    if action == "cancel":
        return await subscriptions.cancel_subscription(
            actor=principal, subscription_id=subscription_id
        )
    if action in ("suspend", "activate"):
        status = "suspended" if action == "suspend" else "active"
        return await subscriptions.set_status(
            actor=principal, subscription_id=subscription_id, status=status
        )
    assert wanted is not None
    return await subscriptions.set_renewal(
        actor=principal, subscription_id=subscription_id, wanted=wanted
    )
