"""Vocabularies the portal owns, stored as their string values.

Values that Partner Center owns (subscription status, term, billing cycle, user state,
relationship) are kept as the plain strings Microsoft sends, so a new value from Microsoft
never breaks a sync; only the portal's own workflows get enums here.
"""

from __future__ import annotations

from enum import StrEnum


class AllowedBillingCycles(StrEnum):
    """Which billing cycles the broker offers its customers."""

    MONTHLY = "monthly"
    ANNUAL = "annual"
    BOTH = "both"


class Role(StrEnum):
    """A portal account's role: broker staff see everything, customers one organization."""

    BROKER = "broker"
    CUSTOMER = "customer"


class TenantStatus(StrEnum):
    """Where a tenant stands in the portal: being created/linked, usable, or let go."""

    PENDING = "pending"
    ACTIVE = "active"
    REMOVED = "removed"


class PriceListKind(StrEnum):
    """The global price list applies to everyone without a customer-specific one."""

    GLOBAL = "global"
    CUSTOMER = "customer"


class SeatLotReason(StrEnum):
    """Why seats were added; each lot has its own reduction window."""

    PURCHASE = "purchase"
    RENEWAL = "renewal"
    ADDITION = "addition"


class ChangeOrigin(StrEnum):
    """Who made a recorded change: someone in the portal, Partner Center (sync), or a job."""

    PORTAL = "portal"
    PARTNER_CENTER = "partner_center"
    SYSTEM = "system"


class ScheduledOrderStatus(StrEnum):
    """Lifecycle of a future-dated order placed by the scheduling job."""

    SCHEDULED = "scheduled"
    PLACING = "placing"
    PLACED = "placed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class ApprovalKind(StrEnum):
    """What a customer asked for that needs the broker's decision."""

    ORDER = "order"
    QUANTITY = "quantity"
    ADDON = "addon"
    RENEWAL = "renewal"
    CANCEL = "cancel"


class ApprovalStatus(StrEnum):
    """Where an approval request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    CARRYING_OUT = "carrying_out"  # a change approved, being made in Partner Center
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class MailStatus(StrEnum):
    """Delivery state of an outbox message."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
