"""Errors of the tenant use cases, each saying what stopped the user and what to do next,
and the one translation of Partner Center's errors into them."""

from __future__ import annotations

from o365portal.partner_center.errors import (
    PartnerCenterError,
    RejectedError,
    ThrottledError,
    TransientError,
)
from o365portal.services.errors import InvalidInput, ServiceError
from o365portal.services.tenants._address import MissingItem

# Partner Center codes that point at one field of the organization record.
_FIELD_CODES = {
    600051: ("phone", "Microsoft requires a phone number for this country."),
    600049: ("registration_number", "Microsoft requires a registration number here."),
    600050: ("registration_number", "The registration number has the wrong format."),
    600002: ("registration_number", "Leave the registration number empty for this country."),
}


class DomainTaken(ServiceError):
    """The `<prefix>.onmicrosoft.com` domain already belongs to a Microsoft tenant."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        super().__init__(
            f"A Microsoft 365 tenant already exists with the domain {domain}. If it belongs to "
            "this organization, link the existing tenant instead; otherwise choose another prefix."
        )


class AddressIncomplete(ServiceError):
    """The organization record lacks what Microsoft requires for the country."""

    def __init__(self, missing: list[MissingItem]) -> None:
        self.missing = missing
        details = " ".join(item.message for item in missing)
        super().__init__(f"Complete the organization record first: {details}")


class TenantExists(ServiceError):
    """The organization already has a Microsoft 365 tenant."""

    def __init__(self, domain: str) -> None:
        super().__init__(f"This organization already has the tenant {domain}.")


class PartnerCenterUnavailable(ServiceError):
    """Partner Center failed or did not answer; a retry continues where this attempt stopped."""

    def __init__(self) -> None:
        super().__init__(
            "Microsoft Partner Center did not answer in time. Nothing was lost: try again in a "
            "moment and the portal will continue where it stopped."
        )


class PartnerCenterRefused(ServiceError):
    """Partner Center understood the request and said no."""

    def __init__(self, error: RejectedError) -> None:
        super().__init__(f"Microsoft Partner Center refused: {error.description or error}")


def translate(error: PartnerCenterError) -> ServiceError:
    """The service error a person can act on for a Partner Center error."""
    if isinstance(error, TransientError | ThrottledError):
        return PartnerCenterUnavailable()
    if isinstance(error, RejectedError) and error.code in _FIELD_CODES:
        field, message = _FIELD_CODES[error.code]
        return InvalidInput({field: message})
    if isinstance(error, RejectedError):
        return PartnerCenterRefused(error)
    return ServiceError(
        "The portal could not sign in to Microsoft Partner Center; the broker should check "
        "the Partner Center connection settings."
    )
