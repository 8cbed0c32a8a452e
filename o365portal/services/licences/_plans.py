"""The service plans of one user's licences (Exchange, Teams, SharePoint, … inside a SKU), and
switching plans off per licence.

The plans are read from Partner Center when asked (one call: the user's licences, each with its
SKU's plans and whether each is on for the user); the portal keeps no copy. Switching plans off
re-assigns the SKU the user holds with `excludedPlans`: Microsoft then replaces the plans
switched off and takes no further seat.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import PartnerCenterError
from o365portal.partner_center.models.users import License, LicenseAssignment, ServicePlan
from o365portal.services import changes
from o365portal.services.errors import InvalidInput, NotFound, translate
from o365portal.services.licences import _write as writing
from o365portal.services.licences._plan_names import plan_name
from o365portal.services.licences._seats import Holder, Seat, Tenancy, load_holders
from o365portal.services.principal import Principal

OFF = "disabled"  # a plan's capabilityStatus once excluded (lower case)


@dataclass(frozen=True)
class PlanLine:
    """One service plan of a licence and whether it is on for the user."""

    plan_id: str  # Microsoft's servicePlanId, lower case
    name: str  # "Exchange Online (Plan 1)"; the service name when it has no display name
    enabled: bool


@dataclass(frozen=True)
class LicencePlans:
    """The service plans of one licence the user holds."""

    subscription_id: int
    friendly_name: str
    product: str
    plans: list[PlanLine]


def _name(plan: ServicePlan) -> str:
    return plan_name(plan.id or "", plan.display_name or "", plan.service_name or "")


async def user_plans(
    *, actor: Principal, user_id: int, pc: PartnerCenterClient | None = None
) -> list[LicencePlans]:
    """Each licence the user holds (a subscription of its tenant) with its SKU's service plans
    and whether each is on, as Partner Center lists the user's licences; none for a deleted
    user (its licences cannot be changed until it is restored)."""
    tenancy, holder = _load(actor, user_id)
    if not holder.active:
        return []
    held = await _licences(pc, tenancy, holder)
    found = []
    for seat in _held_seats(tenancy, held):
        plans = [
            PlanLine(
                plan_id=(plan.id or "").lower(),
                name=_name(plan),
                enabled=(plan.capability_status or "").lower() != OFF,
            )
            for plan in held[seat.entra_sku].service_plans
            if plan.id
        ]
        found.append(LicencePlans(seat.subscription_id, seat.friendly_name, seat.product, plans))
    return found


async def set_plans(
    *,
    actor: Principal,
    user_id: int,
    subscription_id: int,
    disabled: list[str],
    pc: PartnerCenterClient | None = None,
) -> str:
    """Switch off exactly the `disabled` plan ids of one licence the user holds (the others
    on): one licence update re-assigning its SKU, no further seat. The words of what was done."""
    tenancy, holder = _load(actor, user_id)
    if not holder.active:
        raise NotFound("user")
    seat = tenancy.seat(subscription_id)
    if seat is None:
        raise InvalidInput({"plans": "That subscription has no licences in this tenant."})
    held = await _licences(pc, tenancy, holder)
    licence = held.get(seat.entra_sku)
    if licence is None:
        raise InvalidInput({"plans": f"{holder.name} holds no licence of {seat.friendly_name}."})
    known = {(plan.id or "").lower(): plan for plan in licence.service_plans if plan.id}
    off = list(dict.fromkeys(plan_id.strip().lower() for plan_id in disabled))
    unknown = [plan_id for plan_id in off if plan_id not in known]
    if unknown:
        raise InvalidInput(
            {"plans": f"Not a service plan of {seat.product}: {', '.join(unknown)}."}
        )
    assignment = LicenseAssignment(sku_id=seat.entra_sku, excluded_plans=off)
    async with writing.client(pc) as client:
        try:
            await client.licenses.update(
                tenancy.customer_id, holder.pc_user_id, assign=[assignment]
            )
        except PartnerCenterError as error:
            raise translate(
                error, action="the service plan change", unchanged="no plan was changed"
            ) from error
    names = sorted(_name(known[plan_id]) for plan_id in off)
    with session_scope() as session:
        _audit(session, actor, tenancy, holder, seat, off, names)
    changes.announce(tenancy.organization_id, changes.USERS)
    if not names:
        return f"All service plans of {seat.friendly_name} are on for {holder.name}."
    return f"Off for {holder.name} on {seat.friendly_name}: {', '.join(names)}."


def _load(actor: Principal, user_id: int) -> tuple[Tenancy, Holder]:
    with session_scope() as session:
        tenancy, [holder] = load_holders(session, actor, [user_id])
    return tenancy, holder


async def _licences(
    pc: PartnerCenterClient | None, tenancy: Tenancy, holder: Holder
) -> dict[str, License]:
    """The user's licences in Partner Center by Entra SKU (lower case)."""
    async with writing.client(pc) as client:
        try:
            found = await client.licenses.of_user(tenancy.customer_id, holder.pc_user_id)
        except PartnerCenterError as error:
            raise translate(error, action="reading the service plans") from error
    return {licence.product_sku.id.lower(): licence for licence in found}


def _held_seats(tenancy: Tenancy, held: dict[str, License]) -> list[Seat]:
    """One subscription per SKU the user holds (the first of the SKU's), in the tenant's order."""
    seats: dict[str, Seat] = {}
    for seat in tenancy.seats:
        if seat.entra_sku in held:
            seats.setdefault(seat.entra_sku, seat)
    return list(seats.values())


def _audit(
    session: Session,
    actor: Principal,
    tenancy: Tenancy,
    holder: Holder,
    seat: Seat,
    off: list[str],
    names: list[str],
) -> None:
    session.add(
        AuditLogEntry(
            actor_account_id=actor.account_id,
            action="m365_user.service_plans",
            entity="m365_user",
            entity_id=str(holder.id),
            details={
                "tenant_id": tenancy.tenant_id,
                "user_principal_name": holder.user_principal_name,
                "origin": ChangeOrigin.PORTAL.value,
                "subscription_id": seat.subscription_id,
                "sku": seat.entra_sku,
                "disabled": sorted(off),
                "disabled_names": names,
            },
        )
    )
