"""Licences for many users at once: one Partner Center call per user, each user's result.

A failure (no usage location, no free seat, a refusal) stops only that user; the others go on.
Seats are counted as the run goes, so users beyond the free seats are told so without a call;
the report then offers the seats missing for them (`_offer.py`). The portal's copy is written
and the pages told once, at the end. `progress(done, total)` is awaited after each user, for a
progress bar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from o365portal.db.engine import session_scope
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import changes
from o365portal.services.errors import InvalidInput, ServiceError
from o365portal.services.licences import _offer as offering
from o365portal.services.licences import _write as writing
from o365portal.services.licences._assign import change_for
from o365portal.services.licences._offer import SeatOffer
from o365portal.services.licences._seats import Holder, Tenancy, load_holders
from o365portal.services.principal import Principal

Progress = Callable[[int, int], Awaitable[None]]
MAX_USERS = 1000


@dataclass(frozen=True)
class UserResult:
    """What happened to one user: done, or why not."""

    user_id: int
    name: str
    done: bool
    message: str  # "Done", "Nothing to change" or why not


@dataclass(frozen=True)
class BulkReport:
    """A bulk run: each user's result, a summary line, and seats to buy for the users left."""

    results: list[UserResult]
    summary: str  # "118 of 120 users done; 2 not."
    offers: list[SeatOffer] = field(default_factory=list)

    @property
    def failed(self) -> list[UserResult]:
        """The users not done."""
        return [result for result in self.results if not result.done]


async def assign_in_bulk(
    *,
    actor: Principal,
    user_ids: list[int],
    subscription_ids: list[int],
    progress: Progress | None = None,
    pc: PartnerCenterClient | None = None,
) -> BulkReport:
    """Give every user a seat of each subscription (ids), user after user."""
    return await _run(actor, user_ids, subscription_ids, [], progress, pc)


async def remove_in_bulk(
    *,
    actor: Principal,
    user_ids: list[int],
    subscription_ids: list[int],
    progress: Progress | None = None,
    pc: PartnerCenterClient | None = None,
) -> BulkReport:
    """Take each subscription's seat (ids) from every user, user after user."""
    return await _run(actor, user_ids, [], subscription_ids, progress, pc)


async def _run(
    actor: Principal,
    user_ids: list[int],
    assign: list[int],
    remove: list[int],
    progress: Progress | None,
    pc: PartnerCenterClient | None,
) -> BulkReport:
    if not (assign or remove):
        raise InvalidInput({"subscriptions": "Choose at least one subscription."})
    if len(user_ids) > MAX_USERS:
        raise InvalidInput({"users": f"Choose at most {MAX_USERS} users at a time."})
    with session_scope() as session:
        tenancy, holders = load_holders(session, actor, user_ids)
    run = _Run(actor, tenancy, assign, remove, progress, len(holders))
    async with writing.client(pc) as client:
        await run.all(client, holders)
    return run.report()


class _Run:
    """One bulk run's state: seats left per SKU, results, written changes."""

    def __init__(
        self,
        actor: Principal,
        tenancy: Tenancy,
        assign: list[int],
        remove: list[int],
        progress: Progress | None,
        total: int,
    ) -> None:
        self.actor, self.tenancy, self.assign, self.remove = actor, tenancy, assign, remove
        self.progress, self.total = progress, total
        self.free = dict(tenancy.free)
        self.short: Counter[str] = Counter()
        self.results: list[UserResult] = []
        self.written: list[writing.Change] = []

    async def all(self, pc: PartnerCenterClient, holders: list[Holder]) -> None:
        try:
            for holder in holders:
                self.results.append(await self.one(pc, holder))
                if self.progress is not None:
                    await self.progress(len(self.results), self.total)
        finally:  # what Microsoft did is recorded even when the run is cut short
            if self.written:
                with session_scope() as session:
                    writing.record(session, self.actor, self.tenancy, self.written)
                changes.announce(self.tenancy.organization_id, changes.USERS, changes.SUBSCRIPTIONS)

    async def one(self, pc: PartnerCenterClient, holder: Holder) -> UserResult:
        if not holder.active:
            return UserResult(holder.id, holder.name, False, "The user is deleted.")
        try:
            change = change_for(self.tenancy, holder, self.assign, self.remove)
        except InvalidInput as error:
            return UserResult(holder.id, holder.name, False, " ".join(error.field_errors.values()))
        except ServiceError as error:
            return UserResult(holder.id, holder.name, False, str(error))
        if change.empty:
            return UserResult(holder.id, holder.name, True, "Nothing to change")
        lacking = [sku for sku in change.assign if self._none_free(sku)]
        if lacking:
            self.short.update(lacking)
            return UserResult(holder.id, holder.name, False, self._no_seat(lacking))
        try:
            await writing.write(pc, self.tenancy, change)
        except writing.NoFreeSeat:  # the portal's counts were behind: no more calls for it
            self.free.update(dict.fromkeys(change.assign, 0))
            self.short.update(change.assign)
            return UserResult(holder.id, holder.name, False, self._no_seat(list(change.assign)))
        except ServiceError as error:
            return UserResult(holder.id, holder.name, False, str(error))
        for skus, step in ((change.assign, -1), (change.remove, 1)):
            for sku in skus:
                if (free := self.free.get(sku)) is not None:
                    self.free[sku] = free + step
        self.written.append(change)
        return UserResult(holder.id, holder.name, True, "Done")

    def _none_free(self, sku: str) -> bool:
        free = self.free.get(sku)
        return free is not None and free <= 0

    def _no_seat(self, skus: list[str]) -> str:
        names = [
            self.tenancy.of_sku(sku)[0].friendly_name for sku in skus if self.tenancy.of_sku(sku)
        ]
        return f"No free seat of {', '.join(names) or 'that licence'}."

    def report(self) -> BulkReport:
        done = sum(result.done for result in self.results)
        left = len(self.results) - done
        summary = f"{done} of {len(self.results)} users done" + (f"; {left} not." if left else ".")
        offers = offering.offers(self.actor, self.tenancy, dict(self.short)) if self.short else []
        return BulkReport(self.results, summary, offers)
