"""Demo data for the embedded default (`make run`) only: a broker, two customer organizations,
global sales prices (Microsoft's cost plus 20 %) so the demo can sell at once, and Fabrikam's
Microsoft 365 tenant with subscriptions to manage (one of them an add-on).

Idempotent: running it again leaves existing accounts, organizations and prices alone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import MicrosoftCost, PriceListEntry
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock, ordering, tenants
from o365portal.services.accounts import _sign_in as auth
from o365portal.services.organizations._input import OrganizationInput
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal, Role


@dataclass(frozen=True)
class DemoSignIn:
    """One demo account as the README and the start-up banner list it."""

    role: str
    email: str
    password: str
    organization: str


BROKER = DemoSignIn("broker", "broker@demo-broker.example", "Broker-demo-2026!", "")
_ORGANIZATIONS = (
    (
        DemoSignIn("customer", "anna.berg@fabrikam.example", "Fabrikam-demo-2026!", "Fabrikam Ltd"),
        {
            "company_name": "Fabrikam Ltd",
            "registration_number": "09876543",
            "street_address": "12 Kingsway",
            "postal_code": "WC2B 6AA",
            "city": "London",
            "country": "GB",
            "contact_first_name": "Anna",
            "contact_last_name": "Berg",
            "email": "anna.berg@fabrikam.example",
            "phone": "+44 20 7946 0018",
            "language": "en",
        },
    ),
    (
        DemoSignIn(
            "customer",
            "lars.meyer@northwind.example",
            "Northwind-demo-2026!",
            "Northwind Traders GmbH",
        ),
        {
            "company_name": "Northwind Traders GmbH",
            "registration_number": "HRB 123456",
            "street_address": "Friedrichstraße 100",
            "postal_code": "10117",
            "city": "Berlin",
            "country": "DE",
            "contact_first_name": "Lars",
            "contact_last_name": "Meyer",
            "email": "lars.meyer@northwind.example",
            "phone": "+49 30 901820",
            "language": "de",
        },
    ),
)


DEMO_SIGN_INS = [BROKER, *(sign_in for sign_in, _ in _ORGANIZATIONS)]


def _account_exists(email: str) -> bool:
    with session_scope() as session:
        query = select(PortalAccount.id).where(func.lower(PortalAccount.email) == email.lower())
        return session.exec(query).first() is not None


def _organization_id(fields: dict[str, str]) -> int:
    with session_scope() as session:
        query = select(Organization).where(Organization.company_name == fields["company_name"])
        found = session.exec(query).first()
        if found is None:
            found = Organization(**OrganizationInput.model_validate(fields).model_dump())
            session.add(found)
            session.flush()
        return found.id or 0


def seed_demo_data() -> list[DemoSignIn]:
    """Create the demo broker, organizations and customer accounts if missing; list the sign-ins."""
    if not _account_exists(BROKER.email):
        auth.create_account(
            email=BROKER.email,
            password=BROKER.password,
            first_name="Dana",
            last_name="Broker",
            role=Role.BROKER,
        )
    for sign_in, fields in _ORGANIZATIONS:
        organization_id = _organization_id(fields)
        if not _account_exists(sign_in.email):
            auth.create_account(
                email=sign_in.email,
                password=sign_in.password,
                first_name=fields["contact_first_name"],
                last_name=fields["contact_last_name"],
                role=Role.CUSTOMER,
                organization_id=organization_id,
            )
    return DEMO_SIGN_INS


DEMO_MARKUP = Decimal("1.20")


def _demo_broker() -> Principal:
    with session_scope() as session:
        query = select(PortalAccount).where(PortalAccount.role == Role.BROKER)
        account = session.exec(query.order_by(col(PortalAccount.id))).first()
        if account is None:
            raise LookupError("seed_demo_data() first: there is no broker account")
        name = f"{account.first_name} {account.last_name}"
        return Principal(account.id or 0, account.email, name, Role.BROKER, None)


def _costs_without_a_global_price() -> dict[CatalogItemRef, Decimal]:
    with session_scope() as session:
        currency = price_store.broker_currency(session)
        global_id = price_store.global_list(session).id
        priced = {
            CatalogItemRef.of(entry)
            for entry in session.exec(
                select(PriceListEntry).where(PriceListEntry.price_list_id == global_id)
            )
        }
        now = price_store.start_of(clock.today())
        costs = session.exec(
            select(MicrosoftCost)
            .where(MicrosoftCost.currency == currency, MicrosoftCost.effective_from <= now)
            .order_by(col(MicrosoftCost.effective_from))
        ).all()
        latest = {CatalogItemRef.of(cost): cost.unit_cost for cost in costs}
    return {ref: cost for ref, cost in latest.items() if ref not in priced}


def seed_demo_prices() -> int:
    """Give each catalog item with a Microsoft cost today and no global price a sales price of
    cost plus 20 %, in force from today; returns how many prices were set."""
    broker, today = _demo_broker(), clock.today()
    missing = _costs_without_a_global_price()
    for ref, cost in missing.items():
        price = (cost * DEMO_MARKUP).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        price_lists.set_price(actor=broker, list_id=None, item=ref, price=price, effective=today)
    return len(missing)


DEMO_TENANT_ORGANIZATION = "Fabrikam Ltd"  # the demo organization whose tenant exists already
_DEMO_ORDERS = (  # (product title, term, billing cycle, seats, friendly name, PO number)
    ("Microsoft 365 Business Basic", "P1Y", "monthly", 12, "Office staff", "PO-2026-117"),
    ("Microsoft 365 Business Standard", "P1Y", "annual", 5, "Management", "PO-2026-118"),
    ("Microsoft Teams Premium", "P1Y", "monthly", 3, "Teams Premium for sales", ""),
)


def _catalog_key(title: str, term: str, cycle: str) -> str | None:
    with session_scope() as session:
        found = session.exec(
            select(CatalogItem)
            .where(CatalogItem.title == title)
            .where(CatalogItem.term == term)
            .where(CatalogItem.billing_cycle == cycle)
            .order_by(col(CatalogItem.id))
        ).first()
        return CatalogItemRef.of(found).key if found else None


async def seed_demo_subscriptions() -> int:
    """Fabrikam's Microsoft 365 tenant (created in the sandbox) with a few subscriptions, one of
    them an add-on, so the Subscriptions page has something to manage at once; Microsoft
    provisions them while the portal starts. Only when Fabrikam has no tenant yet; the number
    of orders placed."""
    broker = _demo_broker()
    [fields] = [f for _, f in _ORGANIZATIONS if f["company_name"] == DEMO_TENANT_ORGANIZATION]
    fabrikam = _organization_id(fields)
    with session_scope() as session:
        if session.exec(select(Tenant).where(Tenant.organization_id == fabrikam)).first():
            return 0
    await tenants.create_tenant(actor=broker, organization_id=fabrikam, prefix="fabrikamdemo")
    placed, base = 0, None
    for title, term, cycle, seats, name, po_number in _DEMO_ORDERS:
        key = _catalog_key(title, term, cycle)
        if key is None:
            continue
        form: dict[str, object] = {"item": key, "quantity": str(seats), "friendly_name": name}
        if po_number:
            form["po_number"] = po_number
        elif base is None or not await _provisioned(base):
            continue  # an add-on needs its base active in Microsoft
        else:
            form["base_subscription_id"] = base
        outcome = await ordering.place_order(actor=broker, organization_id=fabrikam, form=form)
        base = base or outcome.record_id
        placed += 1
    return placed


async def _provisioned(subscription_id: int, *, seconds: int = 30) -> bool:
    """Wait (the sandbox provisions an order in 10 s) until the order is active."""
    for _ in range(seconds):
        await ordering.complete_provisioning()
        with session_scope() as session:
            row = session.get(Subscription, subscription_id)
            if row is not None and row.status == "active":
                return True
        await asyncio.sleep(1)
    return False
