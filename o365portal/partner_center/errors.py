"""Every error the Partner Center client raises, and the one table that maps responses to them.

Split by what the caller can do about it (the httpx model)::

    PartnerCenterError                    anything the client raises
    ├── TransientError                    network error, timeout or 5xx, still failing after retries
    ├── ThrottledError                    429 still returned after retries (.retry_after seconds)
    ├── AuthenticationError               401, token acquisition failed, wrong kind of token
    │   └── AppUserRequired               900316 / 900329: the call needs an App+User token
    └── RejectedError                     a 4xx: Partner Center understood and said no
        ├── InvalidRequest                bad input (400 2000, 3000, 800002, 900268, ...)
        ├── NotFoundError                 404 (1000, 20000, 20003, 60002, 400019, ...)
        ├── ConflictError                 409
        │   ├── OperationInProgress       retry later (800060, 800064, 800082, 900278, renewal)
        │   └── AlreadyExists             600061 MCA, 600008 domain, 60007 user name taken
        ├── AccessDenied                  403 (900308, 900309, 20002, ...)
        ├── PurchaseNotAllowed            offer, limit or eligibility rules (2085, 800018, ...)
        │   └── McaRequired               13605: accept the Microsoft Customer Agreement first
        ├── SubscriptionChangeNotAllowed  the subscription's state forbids it (2001, 800091, ...)
        │   ├── SeatReductionNotAllowed   800090 / 900214 / 900257: reduction window passed
        │   └── CancellationWindowClosed  900213 / 900117: cancellation window passed
        ├── OutOfLicenses                 60012: no free seat to assign
        ├── StaleEtag                     2055 / 412: re-read the resource and retry
        └── CartAlreadySubmitted          800065

Each error carries Partner Center's `code`, `description`, `data`, the HTTP `status_code` and the
call's `request_id` and `correlation_id`. `ERROR_TABLE` maps (status, code) to a class; codes are
from reference §11.3 (Microsoft's error-codes.md).
"""

from __future__ import annotations

import json
from typing import Any

import httpx


class PartnerCenterError(Exception):
    """Root of every error raised by the Partner Center client."""

    def __init__(
        self,
        description: str,
        *,
        code: int | str | None = None,
        status_code: int | None = None,
        request_id: str | None = None,
        correlation_id: str | None = None,
        data: list[Any] | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.code = code
        self.status_code = status_code
        self.request_id = request_id
        self.correlation_id = correlation_id
        self.data = data or []
        self.source = source

    def __str__(self) -> str:
        where = f"HTTP {self.status_code}" if self.status_code else "no response"
        code = f" code {self.code}" if self.code is not None else ""
        return f"{self.description} ({where}{code}, request id {self.request_id})"


class TransientError(PartnerCenterError):
    """Network error, timeout or server error that persisted through every retry."""


class ThrottledError(PartnerCenterError):
    """Partner Center kept answering 429; wait `retry_after` seconds before trying again."""

    def __init__(self, description: str, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(description, **kwargs)
        self.retry_after = retry_after


class AuthenticationError(PartnerCenterError):
    """No valid token: Entra refused it, or Partner Center rejected the one sent."""


class AppUserRequired(AuthenticationError):
    """The call needs an App+User token (configure the refresh token)."""


class RejectedError(PartnerCenterError):
    """A 4xx business error: retrying the same request will not help."""


class InvalidRequest(RejectedError):
    """The request's input was invalid."""


class NotFoundError(RejectedError):
    """The customer, subscription, order, user, product or cart does not exist."""


class ConflictError(RejectedError):
    """The resource's current state conflicts with the request."""


class OperationInProgress(ConflictError):
    """Another operation (renewal, order, checkout) is running; retry after a while."""


class AlreadyExists(ConflictError):
    """The thing to create already exists."""


class AccessDenied(RejectedError):
    """The partner may not do this for this customer or resource."""


class PurchaseNotAllowed(RejectedError):
    """An offer, limit or eligibility rule stops the purchase or quantity change."""


class McaRequired(PurchaseNotAllowed):
    """The customer has not accepted the Microsoft Customer Agreement."""


class SubscriptionChangeNotAllowed(RejectedError):
    """The subscription's state or type forbids this change."""


class SeatReductionNotAllowed(SubscriptionChangeNotAllowed):
    """The seats were added more than the allowed window ago and can't be removed now."""


class CancellationWindowClosed(SubscriptionChangeNotAllowed):
    """The subscription can no longer be cancelled (its cancellation window has passed)."""


class OutOfLicenses(RejectedError):
    """No unassigned seat is left for the licence to assign."""


class StaleEtag(RejectedError):
    """The resource changed since it was read; read it again and retry."""


class CartAlreadySubmitted(RejectedError):
    """The cart was already checked out (and failed permanently)."""


_Key = tuple[int | None, int | None]


def _codes(cls: type[PartnerCenterError], *codes: int) -> dict[_Key, type[PartnerCenterError]]:
    return {(None, code): cls for code in codes}


# fmt: off
_INVALID_INPUT = (
    2002, 2054, 2100, 3000, 60000, 60008, 60009, 60010, 60011, 60013, 600002, 600049, 600050,
    600051, 800002, 800004, 800009, 800017, 800071, 800121, 800122, 900169, 900203, 900206,
    900242, 900243, 900244, 900245, 900246, 900268, 900269, 900270, 900275,
)
_PURCHASE_RULES = (
    2006, 2030, 2085, 2091, 4018, 400030, 400036, 400041, 800018, 800020, 800027, 800029,
    800066, 800067, 800069, 800070, 800088, 800089,
)
_SUBSCRIPTION_STATE = (
    2001, 2011, 27009, 800091, 800093, 800095, 800096, 800097, 800098, 800107, 900263, 900277,
    900279, 900280, 900311,
)
# fmt: on

# (HTTP status or None = any, Partner Center code or None = any) -> error class.
# Codes and statuses: reference §11.3 (Microsoft's error-codes.md) and §4, §7, §8.
ERROR_TABLE: dict[_Key, type[PartnerCenterError]] = {
    # status alone, when the code is missing or not listed
    (400, None): InvalidRequest,
    (401, None): AuthenticationError,
    (403, None): AccessDenied,
    (404, None): NotFoundError,
    (405, None): InvalidRequest,
    (406, None): InvalidRequest,
    (408, None): TransientError,
    (409, None): OperationInProgress,
    (412, None): StaleEtag,
    (417, None): InvalidRequest,
    (429, None): ThrottledError,
    # 2000 is the generic code: its meaning comes from the status
    (400, 2000): InvalidRequest,
    (401, 400): AuthenticationError,
    **_codes(AuthenticationError, 800001, 900420),
    **_codes(AppUserRequired, 900316, 900329),
    **_codes(NotFoundError, 1000, 20000, 20003, 60002, 60003, 400013, 400018, 400019, 800008),
    **_codes(InvalidRequest, *_INVALID_INPUT),
    **_codes(OperationInProgress, 800060, 800064, 800082, 900278),
    **_codes(AlreadyExists, 600061, 600008, 60007),
    **_codes(AccessDenied, 20002, 900308, 900309),
    **_codes(PurchaseNotAllowed, *_PURCHASE_RULES),
    **_codes(McaRequired, 13605),
    **_codes(SubscriptionChangeNotAllowed, *_SUBSCRIPTION_STATE),
    **_codes(SeatReductionNotAllowed, 800090, 900214, 900257),
    **_codes(CancellationWindowClosed, 900213, 900117),
    **_codes(OutOfLicenses, 60012),
    **_codes(StaleEtag, 2055),
    **_codes(CartAlreadySubmitted, 800065),
    **_codes(TransientError, 800003, 800005),  # server-side failures that carry a code
}


def error_class_for(status: int, code: int | str | None) -> type[PartnerCenterError]:
    """The error class for an HTTP status and Partner Center code, via `ERROR_TABLE`."""
    numeric = code if isinstance(code, int) else None
    for key in ((status, numeric), (None, numeric), (status, None)):
        if key in ERROR_TABLE:
            return ERROR_TABLE[key]
    return TransientError if status >= 500 else RejectedError


def _normalise_code(code: Any) -> int | str | None:
    if isinstance(code, bool) or code is None:
        return None
    if isinstance(code, int):
        return code
    text = str(code).strip()
    return int(text) if text.isdigit() else (text or None)


def parse_error_body(content: bytes) -> dict[str, Any]:
    """Decode an error body of any of Partner Center's shapes; `{}` when it isn't JSON."""
    try:
        body = json.loads(content.decode("utf-8-sig") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def error_from_response(
    response: httpx.Response,
    *,
    request_id: str | None,
    correlation_id: str | None,
    retry_after: float | None = None,
) -> PartnerCenterError:
    """Build the typed error for a failed response (body already read)."""
    body = parse_error_body(response.content)
    code = _normalise_code(body.get("code"))
    description = str(
        body.get("description") or body.get("message") or response.reason_phrase or "error"
    )
    data = body.get("data")
    fields: dict[str, Any] = {
        "code": code,
        "status_code": response.status_code,
        "request_id": request_id,
        "correlation_id": correlation_id,
        "data": data if isinstance(data, list) else None,
        "source": body.get("source"),
    }
    cls = error_class_for(response.status_code, code)
    if cls is ThrottledError:
        return ThrottledError(description, retry_after=retry_after or 0.0, **fields)
    return cls(description, **fields)
