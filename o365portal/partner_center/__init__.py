"""The Partner Center REST client: MSAL tokens, httpx, typed wire models, paging, retries with
idempotent request ids, and Partner Center error codes as typed exceptions.

Import from here: `PartnerCenterClient`, `PartnerCenterConfig`, the errors, and the models from
`o365portal.partner_center.models`. See docs/partner-center-client.md.
"""

from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.client import PartnerCenterClient
from o365portal.partner_center.config import PartnerCenterConfig, RetryPolicy, Timeouts
from o365portal.partner_center.errors import (
    AccessDenied,
    AlreadyExists,
    AppUserRequired,
    AuthenticationError,
    CancellationWindowClosed,
    CartAlreadySubmitted,
    ConflictError,
    InvalidRequest,
    McaRequired,
    NotFoundError,
    OperationInProgress,
    OutOfLicenses,
    PartnerCenterError,
    PurchaseNotAllowed,
    RejectedError,
    SeatReductionNotAllowed,
    StaleEtag,
    SubscriptionChangeNotAllowed,
    ThrottledError,
    TransientError,
)

__all__ = [
    "AccessDenied",
    "AlreadyExists",
    "AppUserRequired",
    "AuthenticationError",
    "CancellationWindowClosed",
    "CartAlreadySubmitted",
    "ConflictError",
    "InvalidRequest",
    "McaRequired",
    "NotFoundError",
    "OperationInProgress",
    "OutOfLicenses",
    "PartnerCenterClient",
    "PartnerCenterConfig",
    "PartnerCenterError",
    "PurchaseNotAllowed",
    "RejectedError",
    "RetryPolicy",
    "SeatReductionNotAllowed",
    "StaleEtag",
    "SubscriptionChangeNotAllowed",
    "ThrottledError",
    "Timeouts",
    "TokenKind",
    "TransientError",
]
