"""Writing one change of a subscription to Partner Center, once, with words for every refusal.

Partner Center wants the whole subscription in a PATCH, guarded by its ETag. When the answer to
a PATCH is lost (timeout, 5xx after the work was done), the client's retry meets a changed ETag
or repeats a change already made; either way `write()` reads the subscription again and, if it
already holds what was asked, takes that as done: a change is never applied twice. An approved
change reads first (`check_first`), as its approval may be carried out again after a crash. Refusals
become service errors that say what Microsoft's rule is, what was left as it was, and what to do
(`800090` seats past their window, `900213` cancellation window, `800082` renewal in progress).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from o365portal.partner_center import PartnerCenterClient, PartnerCenterError
from o365portal.partner_center.errors import (
    CancellationWindowClosed,
    ConflictError,
    RejectedError,
    SeatReductionNotAllowed,
    StaleEtag,
    TransientError,
)
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.services.errors import PartnerCenterBusy, PartnerCenterRefused, ServiceError
from o365portal.services.errors import translate as translate_error

Change = Callable[[PartnerCenterClient], Awaitable[PcSubscription]]
Done = Callable[[PcSubscription], bool]

_RENEWING = 800082
_WORDS: dict[int, str] = {
    2011: "Microsoft has already cancelled this subscription; nothing changed.",
    900279: "This subscription has ended; Microsoft accepts no more changes to it.",
    800091: "Microsoft accepts no change to a suspended subscription but activating it.",
    2001: "The seat count of a suspended subscription cannot change; activate it first.",
    800095: "The seat count of a trial cannot change; buy the paid subscription instead.",
    800096: "Microsoft does not allow this status change for this subscription.",
    2002: "Microsoft does not sell this many seats of this product; nothing changed.",
}


def refusal(error: PartnerCenterError, action: str) -> ServiceError:
    """The service error a person can act on for Partner Center's refusal of `action`."""
    code = error.code if isinstance(error, RejectedError) else None
    if isinstance(error, SeatReductionNotAllowed):
        return PartnerCenterRefused(
            "Microsoft refused the reduction: these seats are past their 7-day window (800090). "
            "Nothing changed. Schedule the lower quantity for the renewal instead."
        )
    if isinstance(error, CancellationWindowClosed):
        return PartnerCenterRefused(
            "Microsoft refused the cancellation: the 7-day window after the purchase or renewal "
            "has passed. Nothing changed. Turn auto-renew off so it ends at the term end."
        )
    if code == _RENEWING or (isinstance(error, ConflictError) and code is None):
        return PartnerCenterBusy(
            "Microsoft is processing this subscription's renewal or another change right now; "
            "nothing changed. Please try again in a few minutes."
        )
    if code in _WORDS:
        return PartnerCenterRefused(_WORDS[code])
    return translate_error(error, action=action, unchanged="nothing changed")


async def write(
    pc: PartnerCenterClient,
    customer_id: str,
    subscription_id: str,
    change: Change,
    done: Done,
    *,
    action: str,
    check_first: bool = False,
) -> PcSubscription:
    """Apply `change`; if its answer was lost, read again and accept the state `done` asks for.
    With `check_first` (a change that may have been made before a crash), read first and make
    the change only if the subscription does not already hold it."""
    held = await _held(pc, customer_id, subscription_id, done, action) if check_first else None
    if held is not None:
        return held
    try:
        return await change(pc)
    except (StaleEtag, TransientError):
        held = await _held(pc, customer_id, subscription_id, done, action)
        if held is not None:
            return held
        try:
            return await change(pc)
        except PartnerCenterError as error:
            raise refusal(error, action) from error
    except PartnerCenterError as error:
        raise refusal(error, action) from error


async def _held(
    pc: PartnerCenterClient, customer_id: str, subscription_id: str, done: Done, action: str
) -> PcSubscription | None:
    """The subscription as Partner Center has it now, if it holds what `done` asks for."""
    try:
        current = await pc.subscriptions.get(customer_id, subscription_id)
    except PartnerCenterError as error:
        raise refusal(error, action) from error
    return current if done(current) else None


def holds(**wanted: Any) -> Done:
    """A `done` test: the subscription's fields (model names) have the wanted values."""

    def check(subscription: PcSubscription) -> bool:
        return all(_same(getattr(subscription, name), value) for name, value in wanted.items())

    return check


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, str):
        return str(actual).lower() == wanted.lower()
    return bool(actual == wanted)
