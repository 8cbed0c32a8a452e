"""The tenant use cases' leaves of the error tree (`services/errors.py` draws it), each saying
what stopped the user and what to do next."""

from __future__ import annotations

from o365portal.services.errors import ServiceError
from o365portal.services.tenants._address import MissingItem

# What a failed Partner Center call leaves for a retry: tenant creation resumes where it stopped.
RESUMABLE = "nothing was lost, and trying again continues where this attempt stopped"


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


class TenantAlreadyLinked(ServiceError):
    """A Partner Center customer belongs to one organization only."""

    def __init__(self, domain: str) -> None:
        super().__init__(f"The tenant {domain} is already linked to an organization.")


class RelationshipNotAccepted(ServiceError):
    """Only a tenant that accepted the broker as its reseller can be linked."""

    def __init__(self, domain: str) -> None:
        super().__init__(
            f"No tenant {domain} has accepted the reseller relationship yet. "
            "Send the relationship link to the tenant's administrator first."
        )
