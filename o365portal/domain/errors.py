"""The domain's one error tree: each error names the business rule that stopped the action.

    DomainError
    ├── CurrencyMismatch            money of two currencies combined
    ├── UnknownCatalogValue         a term or billing cycle Partner Center does not define
    ├── InvalidCatalogItem          a billing cycle longer than the term
    ├── InvalidPriceList            two prices for one item on the same day
    ├── SeatReductionNotAllowed     seats outside their 168-hour window
    ├── CancellationWindowClosed    cancellation after 168 hours
    ├── InvalidSubscriptionHistory  events that cannot happen in that order
    ├── PasswordPolicyViolation     a password that breaks the tenant password policy
    └── UnreadableAmount            typed amount text that is not a number in the locale
        └── AmbiguousAmount         text two number formats would read as different amounts

Services translate these once at their edge; the message is written for the person who acted.
"""

from datetime import date, datetime


class DomainError(Exception):
    """A business rule refused the request; `str(error)` explains which rule."""


class CurrencyMismatch(DomainError):
    """Two amounts in different currencies were added, subtracted or compared."""

    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"Cannot combine {left} with {right}: amounts must share one currency.")
        self.left = left
        self.right = right


class UnknownCatalogValue(DomainError):
    """A term or billing cycle string that Partner Center does not define."""

    def __init__(self, kind: str, value: str, allowed: list[str]) -> None:
        super().__init__(f"Unknown {kind} {value!r}; expected one of {', '.join(allowed)}.")


class InvalidCatalogItem(DomainError):
    """A catalog item whose billing cycle is longer than its term."""


class InvalidPriceList(DomainError):
    """A price list that would answer two different prices for one item on one day."""


class SeatReductionNotAllowed(DomainError):
    """Seats can only be removed within 168 hours of when they were added (NCE, §7.4)."""

    def __init__(self, requested: int, reducible: int, next_chance: date) -> None:
        super().__init__(
            f"Cannot remove {requested} seat(s): only {reducible} seat(s) were added within the "
            "last 168 hours. Remaining seats can be reduced at renewal on "
            f"{next_chance.isoformat()}."
        )
        self.requested = requested
        self.reducible = reducible
        self.next_chance = next_chance


class CancellationWindowClosed(DomainError):
    """NCE subscriptions can only be cancelled within 168 hours of purchase or renewal (§7.4)."""

    def __init__(self, closed_at: datetime) -> None:
        super().__init__(
            "The subscription can no longer be cancelled: the 168-hour cancellation window after "
            f"purchase or renewal closed at {closed_at.isoformat()}."
        )
        self.closed_at = closed_at


class InvalidSubscriptionHistory(DomainError):
    """A subscription history with events that cannot happen in that order."""


class PasswordPolicyViolation(DomainError):
    """A password that breaks one or more rules of the password policy."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("Password rejected: " + " ".join(messages))
        self.messages = messages


class UnreadableAmount(DomainError):
    """Text typed as an amount that is not a number in the broker's number format."""


class AmbiguousAmount(UnreadableAmount):
    """Text such as `1.234` that one number format reads as 1234 and another as 1.234."""
