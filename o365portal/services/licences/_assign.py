"""One user's licences: which subscriptions it holds a seat of, and changing them.

A licence is a seat of a subscription, but Entra assigns per SKU: a user "has" a subscription
when it holds that subscription's Entra SKU. `set_licences` writes the change to Partner Center
at once; when a seat is missing it changes nothing and answers with an offer to buy the seats
(`_offer.py`), which `buy_and_assign` accepts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from o365portal.db.engine import session_scope
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import changes
from o365portal.services.errors import InvalidInput, NotFound
from o365portal.services.licences import _offer as offering
from o365portal.services.licences import _write as writing
from o365portal.services.licences._offer import SeatOffer
from o365portal.services.licences._seats import (
    Holder,
    Seat,
    Tenancy,
    UsageLocationMissing,
    load_holders,
)
from o365portal.services.principal import Principal
from o365portal.services.subscriptions._words import UNKNOWN

PENDING = "assign_licences"  # a seat request's `then`: the licence change it is for (_pending.py)


@dataclass(frozen=True)
class LicenceLine:
    """One subscription of the user's tenant, and whether the user holds a seat of it."""

    subscription_id: int
    friendly_name: str
    product: str  # "Microsoft 365 Business Basic"
    entra_sku: str  # Entra's skuId
    bought: int  # seats bought
    consumed: str  # seats in use: "2"; "—" when never synced
    available: str  # free seats: "1"; "—" when never synced
    usage: str  # "3 bought · 2 in use · 1 free"
    assigned: bool  # the user holds this subscription's licence
    assignable: bool  # active (a suspended subscription's seats cannot be assigned)


@dataclass(frozen=True)
class UserLicences:
    """The licences dialog of one user."""

    user_id: int
    name: str
    user_principal_name: str
    usage_location: str  # "" when none
    lines: list[LicenceLine]
    note: str  # e.g. why nothing can be assigned; ""


@dataclass(frozen=True)
class LicenceOutcome:
    """What a licence change did: `done`, `offer` (seats missing, nothing changed: buy them
    with `buy_and_assign`), or `approval` (the seats bought wait for the broker)."""

    kind: str
    message: str
    offers: list[SeatOffer] = field(default_factory=list)


def _line(seat: Seat, holder: Holder) -> LicenceLine:
    consumed = UNKNOWN if seat.consumed is None else str(seat.consumed)
    free = UNKNOWN if seat.consumed is None else str(max(seat.quantity - seat.consumed, 0))
    return LicenceLine(
        subscription_id=seat.subscription_id,
        friendly_name=seat.friendly_name,
        product=seat.product,
        entra_sku=seat.entra_sku,
        bought=seat.quantity,
        consumed=consumed,
        available=free,
        usage=f"{seat.quantity} bought · {consumed} in use · {free} free",
        assigned=seat.entra_sku in holder.skus,
        assignable=seat.status == "active",
    )


def user_licences(*, actor: Principal, user_id: int) -> UserLicences:
    """Each subscription of the user's tenant with its seats, and whether the user has it."""
    with session_scope() as session:
        tenancy, [holder] = load_holders(session, actor, [user_id])
    note = ""
    if not holder.active:
        note = f"{holder.name} is deleted: restore the user to change licences."
    elif not holder.usage_location:
        note = UsageLocationMissing(holder.name).args[0]
    elif not tenancy.seats:
        note = "This tenant has no subscription with licences to assign."
    return UserLicences(
        user_id=holder.id,
        name=holder.name,
        user_principal_name=holder.user_principal_name,
        usage_location=holder.usage_location or "",
        lines=[_line(seat, holder) for seat in tenancy.seats],
        note=note,
    )


def change_for(
    tenancy: Tenancy, holder: Holder, assign: list[int], remove: list[int]
) -> writing.Change:
    """The SKUs to assign and remove for subscription ids; InvalidInput for an unknown one."""
    if set(assign) & set(remove):
        raise InvalidInput({"licences": "A subscription cannot be assigned and removed at once."})
    seats = {}
    for subscription_id in [*assign, *remove]:
        seat = tenancy.seat(subscription_id)
        if seat is None:
            raise InvalidInput({"licences": "That subscription has no licences in this tenant."})
        seats[subscription_id] = seat
    gets = [seats[i].entra_sku for i in assign if seats[i].entra_sku not in holder.skus]
    for i in assign:
        if seats[i].status != "active" and seats[i].entra_sku not in holder.skus:
            raise InvalidInput(
                {"licences": f"{seats[i].friendly_name} is {seats[i].status}: assign none of it."}
            )
    loses = [seats[i].entra_sku for i in remove if seats[i].entra_sku in holder.skus]
    if gets and not holder.usage_location:
        raise UsageLocationMissing(holder.name)
    return writing.Change(holder, tuple(dict.fromkeys(gets)), tuple(dict.fromkeys(loses)))


async def set_licences(
    *,
    actor: Principal,
    user_id: int,
    assign: list[int],
    remove: list[int],
    pc: PartnerCenterClient | None = None,
) -> LicenceOutcome:
    """Assign and remove seats of subscriptions (ids) for one user, in Partner Center and in
    the portal's copy; an `offer` instead when a seat is missing (nothing changed then)."""
    with session_scope() as session:
        tenancy, [holder] = load_holders(session, actor, [user_id])
    if not holder.active:
        raise NotFound("user")
    change = change_for(tenancy, holder, assign, remove)
    if change.empty:
        return LicenceOutcome("done", f"{holder.name}'s licences are as chosen already.")
    missing = offering.missing_seats(tenancy, Counter(change.assign))
    if missing:
        return _offer(actor, tenancy, missing)
    try:
        await _write(pc, tenancy, change)
    except writing.NoFreeSeat:  # the portal's counts were behind Microsoft's: read them
        tenancy = await _recounted(pc, tenancy)
        wanted = Counter(change.assign)
        return _offer(actor, tenancy, offering.missing_seats(tenancy, wanted) or dict(wanted))
    with session_scope() as session:
        writing.record(session, actor, tenancy, [change])
    changes.announce(tenancy.organization_id, changes.USERS, changes.SUBSCRIPTIONS)
    return LicenceOutcome("done", f"{holder.name}'s licences are saved.")


async def _write(pc: PartnerCenterClient | None, tenancy: Tenancy, change: writing.Change) -> None:
    async with writing.client(pc) as client:
        await writing.write(client, tenancy, change)


async def _recounted(pc: PartnerCenterClient | None, tenancy: Tenancy) -> Tenancy:
    async with writing.client(pc) as client:
        return await writing.recount(client, tenancy)


def _offer(actor: Principal, tenancy: Tenancy, missing: dict[str, int]) -> LicenceOutcome:
    found = offering.offers(actor, tenancy, missing)
    message = (
        "No seat is free: buy the seats below and the licence is assigned with them."
        if found
        else "No seat is free for that licence."
    )
    return LicenceOutcome("offer", message, found)


async def buy_and_assign(
    *,
    actor: Principal,
    user_id: int,
    assign: list[int],
    remove: list[int],
    pc: PartnerCenterClient | None = None,
) -> LicenceOutcome:
    """Accept the offer: buy the missing seats, then make the licence change. A customer's
    purchase that waits for the broker's approval keeps the licence change with the request;
    it is made once the broker has approved and the seats are bought (`_pending.py`)."""
    outcome = await set_licences(actor=actor, user_id=user_id, assign=assign, remove=remove, pc=pc)
    if outcome.kind != "offer":
        return outcome
    then = {PENDING: {"user_id": user_id, "assign": list(assign), "remove": list(remove)}}
    bought = await offering.buy(actor, outcome.offers, pc, then)
    if any(result.kind == "approval" for result in bought):
        return LicenceOutcome(
            "approval",
            "The seats wait for your broker's approval; the licence is assigned as soon as "
            "they are bought.",
            outcome.offers,
        )
    return await set_licences(actor=actor, user_id=user_id, assign=assign, remove=remove, pc=pc)
