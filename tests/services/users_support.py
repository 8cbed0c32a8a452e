"""A tenant whose Microsoft 365 users the portal's copy holds, and the new-user form."""

from __future__ import annotations

from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.tenants import Tenant
from o365portal.services import sync
from tests.builders import unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import Shop, fast_client, open_shop

CHOSEN_PASSWORD = "Kx9!vTq2#pLm7"


async def users_tenant(sandbox: PartnerCenterFake) -> tuple[Shop, str]:
    """An organization with a tenant whose users the portal's copy holds (after "Sync now");
    its onmicrosoft.com domain."""
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    domain = sandbox.state.table("customers")[shop.customer_id]["companyProfile"]["domain"]
    with session_scope() as session:
        tenant = session.exec(
            select(Tenant).where(Tenant.organization_id == shop.organization_id)
        ).one()
        tenant.domain = domain
        session.add(tenant)
    report = await sync.sync_tenant_now(
        actor=shop.broker.principal, organization_id=shop.organization_id
    )
    assert report.error is None
    return shop, domain


def user_form(domain: str, **fields: str) -> dict[str, object]:
    """The new-user form as the page posts it (a generated password e-mailed by default)."""
    return {
        "first_name": "Ann",
        "last_name": "Lee",
        "display_name": "Ann Lee",
        "user_name": unique("ann."),
        "domain": domain,
        "usage_location": "de",
        "password_mode": "generate",
        "send_to": f"{unique('ann-')}@mail.example",
    } | fields


def chosen(domain: str, **fields: str) -> dict[str, object]:
    """The new-user form with a chosen, acceptable password."""
    return user_form(domain, password_mode="choose", password=CHOSEN_PASSWORD) | fields
