"""The one error tree of the service layer; the UI turns each into a message in one helper.

ServiceError
├── NotAllowed        the actor may not do this (never says whether the thing exists)
├── NotFound          the thing does not exist (or is not visible to the actor)
├── InvalidInput      field-level messages: {field: message}
├── SignInRefused     bad credentials or throttled; the message is deliberately generic
└── NotForSale        no sales price is in force for an item (never a zero price)
"""

from __future__ import annotations


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
