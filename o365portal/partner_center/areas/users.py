"""Customer users and their licences (reference §8). App+User only."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence

from pydantic import SecretStr

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.models.base import Attributes, Collection
from o365portal.partner_center.models.users import (
    CustomerUser,
    License,
    LicenseAssignment,
    LicenseUpdate,
    PasswordProfile,
    SubscribedSku,
    UserState,
)
from o365portal.partner_center.paging import iterate_seek

_USER = Attributes(object_type="CustomerUser")


class UsersArea(Area):
    """`client.users`: users of a customer's tenant."""

    kind = TokenKind.APP_USER

    async def create(self, customer_id: str, user: CustomerUser) -> CustomerUser:
        """Create a user (with `password_profile`)."""
        body = user.model_copy(update={"attributes": _USER}).to_wire()
        return await self._send(
            "POST", f"/v1/customers/{customer_id}/users", CustomerUser, body=body
        )

    def iterate(
        self, customer_id: str, *, deleted: bool = False, size: int = 100
    ) -> AsyncIterator[CustomerUser]:
        """The tenant's users, or its soft-deleted ones."""
        params: dict[str, str | int] = {"size": size}
        if deleted:
            search = {"Field": "UserState", "Value": "Inactive", "Operator": "equals"}
            params["filter"] = json.dumps(search)
        path = f"/v1/customers/{customer_id}/users"
        return iterate_seek(self._pipeline, path, CustomerUser, params=params, kind=self.kind)

    async def get(self, customer_id: str, user_id: str) -> CustomerUser:
        """One user."""
        return await self._get(f"/v1/customers/{customer_id}/users/{user_id}", CustomerUser)

    async def update(self, customer_id: str, user_id: str, changes: CustomerUser) -> CustomerUser:
        """PATCH the fields set in `changes` (e.g. display name, usage location)."""
        body = changes.model_copy(update={"attributes": _USER}).to_wire()
        path = f"/v1/customers/{customer_id}/users/{user_id}"
        return await self._send("PATCH", path, CustomerUser, body=body)

    async def delete(self, customer_id: str, user_id: str) -> None:
        """Soft-delete a user (restorable for 30 days)."""
        await self._pipeline.request(
            "DELETE", f"/v1/customers/{customer_id}/users/{user_id}", kind=self.kind
        )

    async def restore(self, customer_id: str, user_id: str) -> CustomerUser:
        """Restore a soft-deleted user."""
        return await self.update(customer_id, user_id, CustomerUser(state=UserState.ACTIVE))

    async def reset_password(
        self, customer_id: str, user_id: str, password: SecretStr, *, force_change: bool = True
    ) -> CustomerUser:
        """Set a new password for the user."""
        profile = PasswordProfile(password=password, force_change_password=force_change)
        body = CustomerUser(password_profile=profile, attributes=_USER).to_wire()
        path = f"/v1/customers/{customer_id}/users/{user_id}/resetpassword"
        return await self._send("PATCH", path, CustomerUser, body=body)


class LicensesArea(Area):
    """`client.licenses`: a tenant's seats per SKU and each user's licences."""

    kind = TokenKind.APP_USER

    async def subscribed_skus(self, customer_id: str) -> list[SubscribedSku]:
        """Seats per SKU: active (bought), consumed (assigned), available."""
        path = f"/v1/customers/{customer_id}/subscribedskus"
        return (await self._get(path, Collection[SubscribedSku])).items

    async def of_user(self, customer_id: str, user_id: str) -> list[License]:
        """The licences assigned to a user."""
        path = f"/v1/customers/{customer_id}/users/{user_id}/licenses"
        return (await self._get(path, Collection[License])).items

    async def update(
        self,
        customer_id: str,
        user_id: str,
        *,
        assign: Sequence[str | LicenseAssignment] = (),
        remove: Sequence[str] = (),
    ) -> LicenseUpdate:
        """Assign and remove licences (by Entra skuId) of one licence group."""
        update = LicenseUpdate(
            licenses_to_assign=[_assignment(item) for item in assign],
            licenses_to_remove=list(remove),
            attributes=Attributes(object_type="LicenseUpdate"),
        )
        path = f"/v1/customers/{customer_id}/users/{user_id}/licenseupdates"
        return await self._send("POST", path, LicenseUpdate, body=update.to_wire())


def _assignment(item: str | LicenseAssignment) -> LicenseAssignment:
    return item if isinstance(item, LicenseAssignment) else LicenseAssignment(sku_id=item)
