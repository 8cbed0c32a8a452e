"""Seats bought and not assigned, and until when they can still be given back.

Under NCE seats can be removed (with a prorated refund) only within 168 hours of the lot that
added them (`subscriptions.commitment_ledger` lists the lots and their deadlines); after that
they stay until the renewal, when the count for the next term can be lowered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.tenants import Tenant
from o365portal.services import subscriptions
from o365portal.services.errors import NotFound
from o365portal.services.licences._seats import load_tenancy
from o365portal.services.ordering._input import seats_label
from o365portal.services.principal import Principal


@dataclass(frozen=True)
class UnusedSeats:
    """A subscription with free seats."""

    subscription_id: int
    friendly_name: str
    product: str
    bought: int
    consumed: int
    free: int
    reducible: int  # free seats that can still be removed with a refund now
    reduce_until: str  # the last instant they can: "2026-12-07 08:36 UTC"; "" when none can
    renews_on: str  # the day a lower count for the next term takes effect
    words: str  # "2 free seats: remove up to 2 until 2026-12-07 08:36 UTC, else at renewal ..."


def _deadline(open_lots: list[subscriptions.LotLine], seats: int) -> str:
    """Until when `seats` can be removed: removals take the newest lots first (the ledger's
    order), so the oldest lot they reach closes first."""
    until, left = "", seats
    for lot in open_lots:
        if left <= 0:
            break
        until, left = lot.deadline, left - lot.refundable
    return until


def unused_seats(*, actor: Principal, organization_id: int) -> list[UnusedSeats]:
    """The organization's active subscriptions with free seats (known from the last sync)."""
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    with session_scope() as session:
        tenants = session.exec(
            select(Tenant)
            .where(Tenant.organization_id == organization_id)
            .where(Tenant.status == TenantStatus.ACTIVE)
        ).all()
        seats = [seat for tenant in tenants for seat in load_tenancy(session, tenant).seats]
    with_free = [
        seat
        for seat in seats
        if seat.status == "active" and seat.consumed is not None and seat.quantity > seat.consumed
    ]
    ledgers = subscriptions.commitment_ledgers(
        actor=actor, subscription_ids=[seat.subscription_id for seat in with_free]
    )
    found = []
    for seat in with_free:
        consumed = seat.consumed or 0
        free = seat.quantity - consumed
        ledger = ledgers[seat.subscription_id]
        open_lots = [lot for lot in ledger.lots if lot.refundable]
        reducible = min(free, sum(lot.refundable for lot in open_lots), seat.quantity - 1)
        until = _deadline(open_lots, reducible)
        renews_on = ledger.term_ends
        words = f"{seats_label(free)} free: " + (
            f"remove up to {reducible} until {until}, else lower the count at the renewal "
            f"after {renews_on}."
            if reducible
            else f"no refund now; lower the count at the renewal after {renews_on}."
        )
        found.append(
            UnusedSeats(
                seat.subscription_id, seat.friendly_name, seat.product, seat.quantity,
                consumed, free, reducible, until, renews_on, words,
            )
        )  # fmt: skip
    return found
