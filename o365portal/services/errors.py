"""The one error tree of the service layer, and the one translation of Partner Center's errors.

Every error a service raises on purpose is a leaf of this tree, named after the rule it
enforces; its `str()` is the message a person reads (and can act on). Feature packages add
leaves in their private modules (marked with their module below); the rest live here::

    ServiceError
    ├── NotAllowed                the actor may not do this (never says whether the thing exists)
    ├── NotFound                  the thing does not exist (or is not visible to the actor)
    ├── InvalidInput              field-level messages: {field: message}
    │   ├── BelowCost             pricing/_lists: a price under Microsoft's cost, not confirmed
    │   └── CsvRejected           pricing/_csv: a price file refused whole, every bad cell listed
    ├── SignInRefused             bad credentials or throttled; the message is deliberately generic
    ├── NotForSale                no sales price is in force for an item (never a zero price)
    ├── NoTenant                  the organization has no Microsoft 365 tenant yet
    ├── TenantExists              tenants/_errors: the organization already has a tenant
    ├── TenantAlreadyLinked       tenants/_errors: a Partner Center customer is linked already
    ├── RelationshipNotAccepted   tenants/_errors: no customer with that domain accepted the broker
    ├── DomainTaken               tenants/_errors: the onmicrosoft.com domain belongs to a tenant
    ├── AddressIncomplete         tenants/_errors: the record lacks what Microsoft requires
    ├── AlreadyDecided            ordering/_approvals: the approval request is no longer pending
    ├── CannotApprove             ordering/_approve: the requested order can't be placed as it is
    ├── AlreadyPlacing            ordering/_scheduling: a scheduled order is being placed now
    ├── SyncBusy                  sync/_runs: a sync with Partner Center is running already
    ├── DriftResolved             sync/_drift: the drift alert was resolved already
    ├── WebhookRefused            sync/_webhooks: an event without Partner Center's signature
    ├── NotChangeable             subscriptions/_subject: not provisioned, failed or cancelled
    ├── UsageLocationMissing      licences/_seats: Microsoft assigns no licence without one
    ├── NotRestorable             users/_users: deleted over 30 days ago, Microsoft removed it
    └── PartnerCenterFailed       Partner Center did not do it; `retryable` if later may work
        ├── PartnerCenterUnavailable   no answer in time, or throttled: try again in a moment
        ├── PartnerCenterBusy          another change to the customer is running: try again later
        ├── PartnerCenterRefused       Partner Center understood and said no, and says why
        ├── PartnerCenterSignInFailed  the portal's Partner Center connection settings are wrong
        └── PurchaseFailed        ordering/_partner_center: the checkout produced no usable order

`translate()` is the one table from the Partner Center client's errors
(`o365portal.partner_center.errors`) to these: each use case says what it was doing and what
the failure left unchanged, and every translation says it in the same words.
`storage_unreachable()` tells the failures no rule raises that mean the database or Redis is out
of reach, so the pages can say so without knowing their drivers.
"""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from o365portal.partner_center.errors import (
    AccessDenied,
    AuthenticationError,
    McaRequired,
    OperationInProgress,
    PartnerCenterError,
    RejectedError,
    ThrottledError,
)


class ServiceError(Exception):
    """Base of every error a service function raises on purpose; `str()` is user-facing."""


class NotAllowed(ServiceError):
    """The acting principal may not perform this operation."""

    def __init__(self, message: str = "You are not allowed to do that.") -> None:
        super().__init__(message)


class NotFound(ServiceError):
    """The requested record does not exist, or the actor may not see it."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(f"The {what} was not found.")


class InvalidInput(ServiceError):
    """Input failed validation; `field_errors` maps a field name to its message."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        self.field_errors = field_errors
        super().__init__("Please correct the highlighted fields.")


class SignInRefused(ServiceError):
    """Sign-in failed: wrong credentials, disabled account or too many attempts."""


class NotForSale(ServiceError):
    """No sales price is in force for the item on the day asked; `reason` says which lists."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"Not for sale: {reason}")


class NoTenant(ServiceError):
    """The organization has no active Microsoft 365 tenant to buy for or ask about."""

    def __init__(self) -> None:
        super().__init__("This organization has no Microsoft 365 tenant yet; add one first.")


class PartnerCenterFailed(ServiceError):
    """Partner Center did not do what was asked; `retryable` when trying later may work."""

    retryable = False


class PartnerCenterUnavailable(PartnerCenterFailed):
    """Partner Center failed or did not answer in time; a retry continues where this stopped."""

    retryable = True


class PartnerCenterBusy(PartnerCenterFailed):
    """Another operation on the customer is running at Partner Center; retry after a while."""

    retryable = True


class PartnerCenterRefused(PartnerCenterFailed):
    """Partner Center understood the request and said no; repeating it will not help."""


class PartnerCenterSignInFailed(PartnerCenterFailed):
    """The portal could not sign in to Partner Center; it works again once the broker fixes
    the connection settings."""

    retryable = True


# Partner Center codes that point at one field of the organization record (customer creation).
_FIELD_CODES = {
    600051: ("phone", "Microsoft requires a phone number for this country."),
    600049: ("registration_number", "Microsoft requires a registration number here."),
    600050: ("registration_number", "The registration number has the wrong format."),
    600002: ("registration_number", "Leave the registration number empty for this country."),
}

# The Partner Center error classes, most specific first, with the service error and its words.
# `{action}` is what was asked ("the order"), `{unchanged}` what the failure left as it was
# ("nothing was bought"), `{why}` Partner Center's own description.
_TABLE: tuple[tuple[type[PartnerCenterError], type[PartnerCenterFailed], str], ...] = (
    (
        McaRequired,
        PartnerCenterRefused,
        "Microsoft Partner Center refused {action}: the customer has not accepted the Microsoft "
        "Customer Agreement. {Unchanged}. Record the acceptance on the tenant page first.",
    ),
    (
        OperationInProgress,
        PartnerCenterBusy,
        "Microsoft Partner Center is still busy with another change for this customer; "
        "{unchanged}. Please try again in a few minutes.",
    ),
    (
        AccessDenied,
        PartnerCenterRefused,
        "Microsoft Partner Center refused {action}: the broker may not do this for this "
        "customer ({why}). {Unchanged}. Check the reseller relationship with the customer.",
    ),
    (
        RejectedError,
        PartnerCenterRefused,
        "Microsoft Partner Center refused {action}: {why}. {Unchanged}.",
    ),
    (
        AuthenticationError,
        PartnerCenterSignInFailed,
        "The portal could not sign in to Microsoft Partner Center; {unchanged}. The broker "
        "should check the Partner Center connection settings.",
    ),
    (
        ThrottledError,
        PartnerCenterUnavailable,
        "Microsoft Partner Center is answering too many requests right now; {unchanged}. "
        "Please try again in a moment.",
    ),
    (
        PartnerCenterError,  # TransientError, and anything the client adds later
        PartnerCenterUnavailable,
        "Microsoft Partner Center did not answer in time; {unchanged}. "
        "Please try again in a moment.",
    ),
)


def translate(
    error: PartnerCenterError, *, action: str = "the request", unchanged: str = "nothing changed"
) -> ServiceError:
    """The service error a person can act on for a Partner Center error.

    `action` names what was asked ("the order"), `unchanged` what the failure left as it was
    ("nothing was bought"); a refused field of the organization record becomes InvalidInput.
    """
    if isinstance(error, RejectedError) and error.code in _FIELD_CODES:
        field, message = _FIELD_CODES[error.code]
        return InvalidInput({field: message})
    for source, target, words in _TABLE:
        if isinstance(error, source):
            why = (error.description or str(error)).strip().rstrip(".")
            return target(
                words.format(
                    action=action,
                    why=why,
                    unchanged=unchanged,
                    Unchanged=unchanged[:1].upper() + unchanged[1:],
                )
            )
    raise TypeError(f"not a Partner Center error: {error!r}")  # pragma: no cover - table's root


_UNREACHABLE = (
    OperationalError,  # the database server is down or restarting, or SQLite's file is busy
    InterfaceError,
    DisconnectionError,
    PoolTimeoutError,  # every pooled connection is taken
    RedisConnectionError,
    RedisTimeoutError,
)


def storage_unreachable(error: BaseException) -> bool:
    """Whether `error` says the database or Redis could not be reached just now."""
    return isinstance(error, _UNREACHABLE)
