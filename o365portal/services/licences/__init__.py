"""Microsoft 365 licences: which subscriptions' seats a user holds and changing them (one user
or many at once), seats to buy when none is free (and the licence change that waits for the
broker's approval of them), the seats bought and not used, and the service plans of a user's
licences switched on and off."""

from __future__ import annotations

from o365portal.services.licences._assign import (
    LicenceLine,
    LicenceOutcome,
    UserLicences,
    buy_and_assign,
    set_licences,
    user_licences,
)
from o365portal.services.licences._bulk import (
    BulkReport,
    Progress,
    UserResult,
    assign_in_bulk,
    remove_in_bulk,
)
from o365portal.services.licences._offer import SeatOffer
from o365portal.services.licences._pending import complete_pending_licences
from o365portal.services.licences._plans import LicencePlans, PlanLine, set_plans, user_plans
from o365portal.services.licences._seats import UsageLocationMissing
from o365portal.services.licences._unused import UnusedSeats, unused_seats

__all__ = [
    "BulkReport",
    "LicenceLine",
    "LicenceOutcome",
    "LicencePlans",
    "PlanLine",
    "Progress",
    "SeatOffer",
    "UnusedSeats",
    "UsageLocationMissing",
    "UserLicences",
    "UserResult",
    "assign_in_bulk",
    "buy_and_assign",
    "complete_pending_licences",
    "remove_in_bulk",
    "set_licences",
    "set_plans",
    "unused_seats",
    "user_licences",
    "user_plans",
]
