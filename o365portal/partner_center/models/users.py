"""Customer users and licences: user, directory role, subscribed SKU, user licence and licence
update (reference §8)."""

from __future__ import annotations

from pydantic import Field

from o365portal.partner_center.models.base import (
    Count,
    ListOf,
    OpenEnum,
    Resource,
    UtcDateTime,
    WireModel,
    WireSecret,
)


class UserState(OpenEnum):
    """Active, or soft-deleted (`inactive`, restorable for 30 days)."""

    ACTIVE = "active"
    INACTIVE = "inactive"


class PasswordProfile(WireModel):
    """A password to set; never logged."""

    password: WireSecret
    force_change_password: bool = True


class CustomerUser(Resource):
    """A user of a customer's tenant; also the create/update request body."""

    id: str | None = None
    user_principal_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    usage_location: str | None = None
    immutable_id: str | None = None
    password_profile: PasswordProfile | None = None
    phone_number: str | None = None
    last_directory_sync_time: UtcDateTime = None
    user_domain_type: str | None = None
    state: UserState | None = None
    soft_deletion_time: UtcDateTime = None


class DirectoryRole(Resource):
    """An Entra directory role."""

    id: str | None = None
    name: str | None = None


class ProductSku(WireModel):
    """The Entra SKU behind a licence (`id` = skuId, `sku_part_number` e.g. `EMS`)."""

    id: str
    name: str | None = None
    sku_part_number: str | None = None
    target_type: str | None = None
    license_group_id: str | None = None


class ServicePlan(WireModel):
    """A service plan inside a SKU."""

    id: str | None = None
    display_name: str | None = None
    service_name: str | None = None
    capability_status: str | None = None
    target_type: str | None = None


class SubscribedSku(Resource):
    """Seats of one SKU in a tenant: bought (active), assigned (consumed), free (available)."""

    available_units: Count = None
    active_units: Count = None
    consumed_units: Count = None
    suspended_units: Count = None
    total_units: Count = None
    warning_units: Count = None
    product_sku: ProductSku
    service_plans: ListOf[ServicePlan] = Field(default_factory=list)
    capability_status: str | None = None


class License(Resource):
    """A licence assigned to a user."""

    product_sku: ProductSku
    service_plans: ListOf[ServicePlan] = Field(default_factory=list)


class LicenseAssignment(WireModel):
    """A SKU to assign, optionally with service plans switched off."""

    sku_id: str
    excluded_plans: list[str] | None = None


class LicenseWarning(WireModel):
    """A warning Partner Center attached to a licence update."""

    code: str | None = None
    message: str | None = None
    service_plans: ListOf[str] = Field(default_factory=list)


class LicenseUpdate(Resource):
    """Licences to assign and remove for one user (one licence group per request)."""

    licenses_to_assign: ListOf[LicenseAssignment] = Field(default_factory=list)
    licenses_to_remove: list[str] | None = None
    license_warnings: ListOf[LicenseWarning] = Field(default_factory=list)
