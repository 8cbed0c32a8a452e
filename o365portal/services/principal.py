"""Who is acting: the signed-in portal account as every service function receives it."""

from __future__ import annotations

from dataclasses import dataclass

from o365portal.db.enums import Role

__all__ = ["Principal", "Role"]


@dataclass(frozen=True)
class Principal:
    """The acting portal account, resolved from a valid session."""

    account_id: int
    email: str
    name: str
    role: Role
    organization_id: int | None

    @property
    def is_broker(self) -> bool:
        """Broker staff: every organization, costs and margins, settings."""
        return self.role is Role.BROKER

    def may_see_organization(self, organization_id: int) -> bool:
        """Brokers see every organization; a customer only their own."""
        return self.is_broker or self.organization_id == organization_id
