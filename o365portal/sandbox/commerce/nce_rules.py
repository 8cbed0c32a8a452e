"""Microsoft's NCE subscription rules: seat lots, 168-hour windows, PATCH checks (pure).

Sources (reference §7.3, §7.4): cancellation only within 7 days (168 h) of purchase or renewal
(`900213`); each seat addition opens its own 168-h reduction window, reported in
`refundableQuantity.details[].allowedUntilDateTime`; a larger reduction fails `800090`; suspended
subscriptions can't change quantity (`2001`) or other settings (`800091`); deleted ones can't
be updated (`2011`); quantity outside min/max `2002`; PATCHes during renewal processing get
`409 800082`.
Times are timezone-aware UTC datetimes passed in by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

WINDOW = timedelta(hours=168)
FULL_REFUND = timedelta(hours=24)
CANCELLABLE_STATUSES = {"active", "suspended"}


class NceRuleError(Exception):
    """A request Microsoft refuses, carrying the HTTP status and Partner Center error code."""

    def __init__(self, status: int, code: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description


def iso(moment: datetime) -> str:
    """UTC wire form with seven fractional digits, as Partner Center writes datetimes."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def parse_iso(text: str) -> datetime:
    """Parse a wire datetime back (accepts `Z` and up to seven fractional digits)."""
    head, _, fraction = text.rstrip("Z").partition(".")
    moment = datetime.fromisoformat(head + ("." + fraction[:6] if fraction else ""))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SeatLot:
    """Seats added by one purchase, renewal or addition, reducible until `allowed_until`."""

    quantity: int
    allowed_until: datetime

    def as_wire(self) -> dict[str, Any]:
        """The `refundableQuantity.details[]` entry."""
        return {"quantity": self.quantity, "allowedUntilDateTime": iso(self.allowed_until)}


def open_lot(quantity: int, now: datetime) -> SeatLot:
    """A new lot of seats whose reduction window closes 168 hours from now."""
    return SeatLot(quantity, now + WINDOW)


def open_lots(lots: list[SeatLot], now: datetime) -> list[SeatLot]:
    """Lots whose reduction window is still open."""
    return [lot for lot in lots if lot.allowed_until > now and lot.quantity > 0]


def refundable_quantity(lots: list[SeatLot], now: datetime) -> dict[str, Any]:
    """The subscription's `refundableQuantity` object."""
    still_open = open_lots(lots, now)
    return {
        "totalQuantity": sum(lot.quantity for lot in still_open),
        "details": [lot.as_wire() for lot in still_open],
    }


def remove_seats(lots: list[SeatLot], reduction: int, now: datetime) -> list[SeatLot]:
    """Take `reduction` seats back from the newest still-open lots, or refuse with 800090."""
    if sum(lot.quantity for lot in open_lots(lots, now)) < reduction:
        raise NceRuleError(400, 800090, "Subscription quantity cannot be decreased.")
    remaining, result = reduction, []
    for lot in reversed(lots):
        taken = min(lot.quantity, remaining) if lot.allowed_until > now else 0
        remaining -= taken
        if lot.quantity - taken > 0:
            result.append(SeatLot(lot.quantity - taken, lot.allowed_until))
    return list(reversed(result))


def check_cancellation(window_start: datetime, now: datetime) -> None:
    """Refuse a cancellation more than 168 hours after purchase or renewal (900213)."""
    if now >= window_start + WINDOW:
        raise NceRuleError(
            400,
            900213,
            "Cannot cancel subscription because you have passed your 168-hour cancellation window.",
        )


def check_updatable(status: str, renewing: bool) -> None:
    """Refuse any PATCH on a deleted or ended subscription, or while its renewal is processed."""
    if status == "deleted":
        raise NceRuleError(400, 2011, "Subscription is deleted and cannot be updated.")
    if status in {"expired", "disabled"}:
        raise NceRuleError(400, 900279, "Updates are no longer allowed for this subscription.")
    if renewing:
        raise NceRuleError(
            409, 800082, "Subscription is not ready to be updated. Please try again later."
        )


def check_quantity(quantity: int, minimum: int, maximum: int) -> None:
    """Refuse a quantity outside the SKU's minimum and maximum (2002)."""
    if not minimum <= quantity <= maximum:
        raise NceRuleError(
            400, 2002, f"Quantity must be between {minimum} and {maximum} for this offer."
        )


def check_suspended_change(quantity_changed: bool, settings_changed: bool) -> None:
    """A suspended subscription only takes status and nickname changes (2001 / 800091)."""
    if quantity_changed:
        raise NceRuleError(400, 2001, "Quantity cannot be changed while suspended.")
    if settings_changed:
        raise NceRuleError(400, 800091, "Subscription is suspended and cannot be updated.")


def check_status_change(current: str, requested: str) -> None:
    """Allowed NCE transitions: active↔suspended, active/suspended→deleted (3000 otherwise)."""
    allowed = {("active", "suspended"), ("suspended", "active")}
    if requested == "deleted" and current in CANCELLABLE_STATUSES:
        return
    if (current, requested) not in allowed:
        raise NceRuleError(400, 800096, f"Cannot change subscription status to {requested}.")


def check_trial_change(is_trial: bool, quantity_changed: bool, status_changed: bool) -> None:
    """Trials are fixed: no quantity or status change (800095 / 800096)."""
    if is_trial and quantity_changed:
        raise NceRuleError(400, 800095, "Cannot update the number of seats of a trial.")
    if is_trial and status_changed:
        raise NceRuleError(400, 800096, "Cannot update the status of a trial.")


def check_scheduled_instructions(auto_renew: bool, status: str) -> None:
    """Scheduled next-term changes need an active subscription with auto-renew on."""
    if not auto_renew or status != "active":
        raise NceRuleError(
            400,
            900280,
            "scheduledNextTermInstructions need an active subscription with autoRenewEnabled.",
        )


def full_refund_due(window_start: datetime, now: datetime) -> bool:
    """Cancelling within 24 hours of purchase or renewal refunds the whole charge."""
    return now < window_start + FULL_REFUND
