"""Arrangements for the Subscriptions table tests (service and browser): the catalog rows of a
base offer and an add-on, and what a person does in Microsoft's web portal (buy, give a user a
licence), through the sandbox's "Partner Center portal" app."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import SecretStr
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.partner_center.models import CartLineItem
from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.services.pricing._store import CatalogItemRef
from tests.builders import unique
from tests.sandboxes import Sandbox
from tests.services.ordering_support import BASIC_ANNUAL, BASIC_ENTRA_SKU, BASIC_MONTHLY

STANDARD = CatalogItemRef("CFQ7TTC0LDPB", "0001", "CFQ7TTC0F9TL", "P1Y", "annual")
TEAMS_PREMIUM = CatalogItemRef("CFQ7TTC0RM8K", "0002", "CFQ7TTC08QLM", "P1Y", "monthly")
CATALOG = {  # as the sandbox's catalog has them (a catalog refresh stores the same)
    BASIC_MONTHLY: ("Microsoft 365 Business Basic", BASIC_ENTRA_SKU, []),
    BASIC_ANNUAL: ("Microsoft 365 Business Basic", BASIC_ENTRA_SKU, []),
    STANDARD: ("Microsoft 365 Business Standard", "f245ecc8-75af-4f8e-b61f-27d8114de5f3", []),
    TEAMS_PREMIUM: (
        "Microsoft Teams Premium",
        "36a0f3b3-adb5-49ea-bf66-762134cf063a",
        ["CFQ7TTC0LH18:0001", "CFQ7TTC0LH18:000P", "CFQ7TTC0LDPB:0001"],
    ),
}


def ensure_table_catalog() -> None:
    """The catalog rows of CATALOG, once per database (as a catalog refresh would store them)."""
    with session_scope() as session:
        for ref, (title, entra_sku, prerequisites) in CATALOG.items():
            same = [getattr(CatalogItem, name) == value for name, value in vars(ref).items()]
            if session.exec(select(CatalogItem).where(*same)).first() is None:
                session.add(
                    CatalogItem(
                        **vars(ref), title=title, category="Microsoft 365",
                        product_group="Add-ons" if prerequisites else "Business",
                        is_addon=bool(prerequisites), prerequisite_skus=prerequisites,
                        max_quantity=300, provisioning_sku_id=entra_sku,
                        refreshed_at=datetime.now(UTC),
                    )
                )  # fmt: skip


async def bought_in_partner_center(
    sandbox: Sandbox, customer_id: str, ref: CatalogItemRef, seats: int, name: str
) -> str:
    """`seats` of `ref` bought in Microsoft's web portal; the Partner Center subscription id."""
    line = CartLineItem(
        catalog_item_id=ref.catalog_item_id, quantity=seats, billing_cycle=ref.billing_cycle,
        term_duration=ref.term, friendly_name=name,
    )  # fmt: skip
    async with sandbox.client(portal_app=True) as pc:
        await pc.orders.purchase(customer_id, [line])
    sandbox.post("clock", {"advance": "PT11S"})  # the sandbox provisions orders in 10 s
    async with sandbox.client(portal_app=True) as pc:
        found = [s for s in await pc.subscriptions.list(customer_id) if s.friendly_name == name]
    return found[0].id


async def licensed_user(
    sandbox: Sandbox, customer_id: str, entra_sku: str = BASIC_ENTRA_SKU
) -> None:
    """A user made in Microsoft's web portal and given a licence of `entra_sku` there."""
    domain = sandbox.state.table("customers")[customer_id]["companyProfile"]["domain"]
    user = CustomerUser(
        user_principal_name=f"{unique('ann')}@{domain}", first_name="Ann", last_name="Lee",
        display_name="Ann Lee", usage_location="US",
        password_profile=PasswordProfile(password=SecretStr("Kx9!vTq2#pLm7")),
    )  # fmt: skip
    async with sandbox.client(portal_app=True) as pc:
        made = await pc.users.create(customer_id, user)
        assert made.id is not None
        await pc.licenses.update(customer_id, made.id, assign=[entra_sku])
