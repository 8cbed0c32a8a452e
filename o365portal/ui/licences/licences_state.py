"""The state of the licences dialogs: one user's subscriptions (ticks, save, buy the missing
seats), and many users' at once (choose, run with progress, each user's result).

Saving and buying call Partner Center, so they run as background events; the Users and
Subscriptions pages follow through the live feed (services announce USERS and SUBSCRIPTIONS).
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import licences
from o365portal.services.principal import Principal
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class LicencesState(SessionState):
    """One user's licences being changed (Users page: Actions -> Subscriptions)."""

    open: bool = False
    user_id: int = 0
    view: licences.UserLicences | None = None
    ticked: list[int] = []  # the subscriptions the user should hold a seat of
    offers: list[licences.SeatOffer] = []  # seats to buy before the change can be made
    message: str = ""  # the offer's words, or that the purchase waits for approval
    working: bool = False
    errors: dict[str, str] = {}
    plans: list[licences.LicencePlans] = []  # the held licences' service plans (Partner Center)
    plans_loading: bool = False
    off: list[str] = []  # the plans to have off: "subscription id:plan id"
    plans_saving: int = 0  # the subscription whose plans are being saved; 0 none

    @data_event(form="errors")
    def open_for(self, principal: Principal, user_id: int) -> rx.event.EventSpec:
        """Open the dialog for a user: each subscription ticked when the user has it; the
        service plans of its licences are read from Partner Center next."""
        self.view = licences.user_licences(actor=principal, user_id=user_id)
        self.user_id, self.offers, self.message, self.errors = user_id, [], "", {}
        self.ticked = [line.subscription_id for line in self.view.lines if line.assigned]
        self.plans, self.off, self.plans_loading = [], [], True
        self.open = True
        return LicencesState.load_plans

    @data_event(background=True, form="errors")
    async def load_plans(self, principal: Principal) -> None:
        """Read the service plans of the user's licences (one Partner Center call)."""
        async with self:
            user_id, self.plans_loading = self.user_id, True
        try:
            found = await licences.user_plans(actor=principal, user_id=user_id)
        finally:
            async with self:
                self.plans_loading = False
        async with self:
            if self.user_id == user_id:
                self.plans, self.off = found, _off(found)

    @rx.event
    def switch_plan(self, key: str, on: bool) -> None:
        """A service plan switched on or off ("subscription id:plan id")."""
        rest = [k for k in self.off if k != key]
        self.off = rest if on else [*rest, key]

    @rx.var
    def plans_changed(self) -> list[int]:
        """The subscriptions whose switches differ from the plans Partner Center has on."""
        now, was = set(self.off), set(_off(self.plans))
        return [p.subscription_id for p in self.plans if _of(now, p) != _of(was, p)]

    @data_event(background=True, form="errors")
    async def save_plans(
        self, principal: Principal, subscription_id: int
    ) -> rx.event.EventSpec | None:
        """Save one licence's service plan switches in Partner Center, then read them again."""
        async with self:
            if self.plans_saving:
                return None
            self.plans_saving, self.errors, user_id = subscription_id, {}, self.user_id
            prefix = f"{subscription_id}:"
            disabled = [k.removeprefix(prefix) for k in self.off if k.startswith(prefix)]
        try:
            said = await licences.set_plans(
                actor=principal, user_id=user_id, subscription_id=subscription_id, disabled=disabled
            )
            found = await licences.user_plans(actor=principal, user_id=user_id)
        finally:
            async with self:
                self.plans_saving = 0
        async with self:
            self.plans, self.off = found, _off(found)
        return rx.toast.success(said)

    @rx.event
    def tick(self, subscription_id: int, value: bool) -> None:
        """A subscription ticked or unticked (the offer, if any, no longer applies)."""
        rest = [i for i in self.ticked if i != subscription_id]
        self.ticked = [*rest, subscription_id] if value else rest
        self.offers, self.message = [], ""

    @rx.var
    def changed(self) -> bool:
        """Whether the ticks differ from what the user holds."""
        held = (
            {line.subscription_id for line in self.view.lines if line.assigned}
            if self.view
            else set()
        )
        return held != set(self.ticked)

    def _wanted(self) -> tuple[list[int], list[int]]:
        held = (
            {line.subscription_id for line in self.view.lines if line.assigned}
            if self.view
            else set()
        )
        return sorted(set(self.ticked) - held), sorted(held - set(self.ticked))

    @rx.event
    def forget(self) -> None:
        """The page (re)loaded: the dialog starts closed."""
        if not self.working:
            self.open, self.view, self.offers = False, None, []
            self.plans, self.off = [], []

    @rx.event
    def set_open(self, value: bool) -> None:
        """Close the dialog (not while saving)."""
        if not self.working:
            self.open = value

    @data_event(background=True, form="errors")
    async def save(self, principal: Principal) -> rx.event.EventSpec | None:
        """Save the ticks in Partner Center; a missing seat shows the offer instead."""
        return await self._run(principal, buy=False)

    @data_event(background=True, form="errors")
    async def buy(self, principal: Principal) -> rx.event.EventSpec | None:
        """Accept the offer: buy the missing seats, then save the ticks."""
        return await self._run(principal, buy=True)

    async def _run(self, principal: Principal, *, buy: bool) -> rx.event.EventSpec | None:
        async with self:
            if self.working:
                return None
            self.working, self.errors = True, {}
            user_id, (assign, remove) = self.user_id, self._wanted()
        do = licences.buy_and_assign if buy else licences.set_licences
        try:
            outcome = await do(actor=principal, user_id=user_id, assign=assign, remove=remove)
        finally:
            async with self:
                self.working = False
        async with self:
            self.offers, self.message = outcome.offers, outcome.message
            if outcome.kind in ("done", "approval"):  # nothing left to do in the dialog
                self.open, self.offers, self.message = False, [], ""
                toast = rx.toast.success if outcome.kind == "done" else rx.toast.info
                return toast(outcome.message)
        return None


def _off(found: list[licences.LicencePlans]) -> list[str]:
    return [
        f"{held.subscription_id}:{plan.plan_id}"
        for held in found
        for plan in held.plans
        if not plan.enabled
    ]


def _of(keys: set[str], held: licences.LicencePlans) -> set[str]:
    return {k for k in keys if k.startswith(f"{held.subscription_id}:")}


class BulkLicencesState(SessionState):
    """Seats of subscriptions given to, or taken from, many users at once."""

    open: bool = False
    user_ids: list[int] = []
    lines: list[licences.LicenceLine] = []  # the tenant's subscriptions
    chosen: list[int] = []
    mode: str = "assign"  # assign | remove
    working: bool = False
    done: int = 0
    total: int = 0
    report: licences.BulkReport | None = None
    errors: dict[str, str] = {}

    @data_event(form="errors")
    def open_for_users(
        self, principal: Principal, user_ids: list[int], mode: str = "assign"
    ) -> None:
        """Open the dialog for the users chosen on the Users page (one tenant's), to assign or
        to remove (`mode`)."""
        if not user_ids:
            return
        view = licences.user_licences(actor=principal, user_id=user_ids[0])
        self.user_ids, self.lines, self.chosen = list(user_ids), view.lines, []
        self.mode = mode if mode in ("assign", "remove") else "assign"
        self.done, self.total, self.report, self.errors = 0, 0, None, {}
        self.open = True

    @rx.event
    def choose(self, subscription_id: int, value: bool) -> None:
        """A subscription chosen or not."""
        rest = [i for i in self.chosen if i != subscription_id]
        self.chosen = [*rest, subscription_id] if value else rest

    @rx.event
    def set_mode(self, value: str) -> None:
        """Assign or remove."""
        self.mode = "remove" if value == "remove" else "assign"

    @rx.var
    def not_done(self) -> list[licences.UserResult]:
        """The users the last run did not change, each with why."""
        return self.report.failed if self.report else []

    @rx.var
    def percent(self) -> int:
        """How far the run is, 0-100."""
        return round(100 * self.done / self.total) if self.total else 0

    @rx.event
    def set_open(self, value: bool) -> None:
        """Close the dialog (not while running)."""
        if not self.working:
            self.open = value

    @data_event(background=True, form="errors")
    async def run(self, principal: Principal) -> rx.event.EventSpec | None:
        """Run the change user by user, moving the progress bar; then show each result."""
        async with self:
            if self.working:
                return None
            self.working, self.report, self.errors = True, None, {}
            self.done, self.total = 0, len(self.user_ids)
            user_ids, chosen, mode = list(self.user_ids), list(self.chosen), self.mode

        async def progress(done: int, total: int) -> None:
            async with self:
                self.done, self.total = done, total

        do = licences.assign_in_bulk if mode == "assign" else licences.remove_in_bulk
        try:
            report = await do(
                actor=principal, user_ids=user_ids, subscription_ids=chosen, progress=progress
            )
        finally:
            async with self:
                self.working = False
        async with self:
            self.report = report
        return rx.toast.info(report.summary)
