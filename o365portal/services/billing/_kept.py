"""Kept ratings: each subscription's lines rated once, kept with what they were rated from.

Before a report reads sums, `keep_current` rates again the subscriptions of its scope whose
kept rating is missing or stale: the subscription's `billing_stamp` or the global
`BillingInputs.stamp` moved since (database triggers raise them on every change of a rated
input, db/tables/billing.py), the engine's code changed (`ENGINE_VERSION`), or the report needs
days after the rating's `rated_through`. A rating runs through the end of the billing period
containing today, so the report of any earlier day reads it filtered by charge date: the engine
bills a day from the events up to that day only. The stamps are read before the inputs, so a
change committed meanwhile leaves the rating stale (rated again next time), never wrong.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, insert, or_
from sqlalchemy import select as select_columns
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from o365portal.db.tables.billing import (
    BILLING_INPUTS_ID,
    BillingInputs,
    BillingRatedLine,
    BillingRating,
)
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.domain import money, proration, rating
from o365portal.domain.billing_periods import period_containing
from o365portal.services import clock
from o365portal.services.billing import _lines, _load
from o365portal.services.billing._load import cycle_day, load
from o365portal.services.pricing import _book
from o365portal.services.pricing._store import start_of
from o365portal.services.subscriptions import _events

_CHUNK = 500  # ids per DELETE ... IN


def _engine_version() -> str:
    """A digest of the code that rates: kept ratings of other code are rated again."""
    modules = (rating, proration, money, _lines, _load, _book, _events)
    digest = hashlib.sha256("".join(inspect.getsource(m) for m in modules).encode())
    return digest.hexdigest()[:16]


ENGINE_VERSION = _engine_version()


def _inputs_stamp(session: Session) -> int:
    row = session.get(BillingInputs, BILLING_INPUTS_ID)
    return row.stamp if row is not None else 0


def _stale(
    session: Session, organization_id: int | None, until: date, inputs_stamp: int
) -> dict[int, int]:
    """The subscription ids (with their stamps) whose kept rating a report up to `until` may
    not read."""
    fresh = and_(
        col(BillingRating.subscription_stamp) == col(Subscription.billing_stamp),
        col(BillingRating.inputs_stamp) == inputs_stamp,
        col(BillingRating.engine_version) == ENGINE_VERSION,
        col(BillingRating.rated_through) >= until,
    )
    query = (
        select_columns(col(Subscription.id), col(Subscription.billing_stamp))
        .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
        .outerjoin(BillingRating, col(BillingRating.subscription_id) == col(Subscription.id))
        .where(col(Subscription.pc_subscription_id).is_not(None))
        .where(col(Subscription.started_at) < start_of(date.fromordinal(until.toordinal() + 1)))
        .where(or_(col(BillingRating.subscription_id).is_(None), ~fresh))
    )
    if organization_id is not None:
        query = query.where(col(Tenant.organization_id) == organization_id)
    return {row[0]: row[1] for row in session.execute(query).all()}


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def keep_current(session: Session, organization_id: int | None, until: date) -> int:
    """Rate again the stale subscriptions of one organization (None: all) a report up to
    `until` reads; returns how many were rated. Commits."""
    inputs_stamp = _inputs_stamp(session)
    stale = _stale(session, organization_id, until, inputs_stamp)
    if not stale:
        return 0
    through = max(until, period_containing(clock.today(), cycle_day(session)).end)
    loaded = load(session, organization_id, through, only=set(stale))
    ratings: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for billed in loaded.subscriptions:
        amounts = _lines.rate_amounts(billed, loaded, through, cost=True)
        ratings.append(
            {
                "subscription_id": billed.id,
                "subscription_stamp": stale[billed.id],
                "inputs_stamp": inputs_stamp,
                "engine_version": ENGINE_VERSION,
                "rated_through": through,
                "problem": amounts.problem,
            }
        )
        lines += [
            {
                "subscription_id": billed.id,
                "charge_date": line.start,
                "amount": line.amount.amount,
                "cost": cost.amount.amount if cost is not None else None,
            }
            for line, cost in zip(amounts.sales, amounts.costs, strict=True)
        ]
    ids = sorted(stale)
    try:
        for chunk in _chunks(ids):
            session.execute(
                delete(BillingRatedLine).where(col(BillingRatedLine.subscription_id).in_(chunk))
            )
            session.execute(
                delete(BillingRating).where(col(BillingRating.subscription_id).in_(chunk))
            )
        if ratings:
            session.execute(insert(BillingRating), ratings)
        if lines:
            session.execute(insert(BillingRatedLine), lines)
        session.commit()
    except IntegrityError:
        # Another process kept the same subscriptions meanwhile: theirs stand.
        session.rollback()
    return len(ratings)
