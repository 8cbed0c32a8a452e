"""Builders for the integration tests: unique customers, MCA acceptance, catalog items and
completed purchases, all made through the client itself."""

from __future__ import annotations

import uuid

from pydantic import SecretStr

from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.models import (
    Address,
    AgreementContact,
    BillingProfile,
    CartLineItem,
    CompanyProfile,
    Customer,
    CustomerUser,
    PasswordProfile,
    Subscription,
)
from tests.integration.partner_center.conftest import SandboxControl

BUSINESS_BASIC = ("CFQ7TTC0LH18", "0001")


def unique_domain(prefix: str = "test") -> str:
    """A fresh `<prefix><hex>.onmicrosoft.com`."""
    return f"{prefix}{uuid.uuid4().hex[:12]}.onmicrosoft.com"


def new_customer_request(domain: str, company: str = "Contoso Ltd") -> Customer:
    """A create-customer body with a valid US address."""
    return Customer(
        company_profile=CompanyProfile(domain=domain),
        billing_profile=BillingProfile(
            email="billing@contoso.example",
            culture="en-US",
            language="en",
            company_name=company,
            default_address=Address(
                first_name="Jane",
                last_name="Doe",
                address_line1="1 Microsoft Way",
                city="Redmond",
                state="WA",
                postal_code="98052",
                country="US",
                phone_number="4255550100",
            ),
        ),
    )


def new_user(domain: str, name: str) -> CustomerUser:
    """A create-user body `<name>.<hex>@<domain>` with a strong password."""
    return CustomerUser(
        user_principal_name=f"{name}.{uuid.uuid4().hex[:6]}@{domain}",
        first_name=name.title(),
        last_name="Tester",
        display_name=f"{name.title()} Tester",
        usage_location="US",
        password_profile=PasswordProfile(
            password=SecretStr("Xk9!mQ2#vL7p"), force_change_password=True
        ),
    )


async def create_customer(pc: PartnerCenterClient, company: str = "Contoso Ltd") -> Customer:
    """A new customer that has accepted the Microsoft Customer Agreement."""
    customer = await pc.customers.create(new_customer_request(unique_domain(), company))
    assert customer.id is not None
    contact = AgreementContact(
        first_name="Jane", last_name="Doe", email="jane@contoso.example", phone_number="4255550100"
    )
    await pc.agreements.accept_mca(customer.id, contact)
    return customer


async def catalog_item_id(
    pc: PartnerCenterClient,
    product_sku: tuple[str, str] = BUSINESS_BASIC,
    term: str = "P1Y",
    cycle: str = "monthly",
) -> str:
    """The catalog item id of a SKU sold with `term` and `cycle` in the US."""
    for availability in await pc.catalog.availabilities(*product_sku, "US"):
        for offered in availability.terms:
            if offered.duration == term and offered.billing_cycle == cycle:
                assert availability.catalog_item_id is not None
                return availability.catalog_item_id
    raise AssertionError(f"{product_sku} is not sold as {term}/{cycle}")


def line(
    catalog_item: str, quantity: int, term: str = "P1Y", cycle: str = "monthly"
) -> CartLineItem:
    """A cart line."""
    return CartLineItem(
        catalog_item_id=catalog_item, quantity=quantity, term_duration=term, billing_cycle=cycle
    )


async def buy(
    pc: PartnerCenterClient,
    control: SandboxControl,
    customer_id: str,
    quantity: int = 5,
    term: str = "P1Y",
    cycle: str = "monthly",
) -> Subscription:
    """Purchase Business Basic, let the sandbox provision it, and return the subscription."""
    item = await catalog_item_id(pc, term=term, cycle=cycle)
    result = await pc.orders.purchase(customer_id, [line(item, quantity, term, cycle)])
    assert result.order_errors == [] and len(result.orders) == 1
    order_id = result.orders[0].id
    assert order_id is not None
    control.advance("PT1M")
    order = await pc.orders.wait_until_completed(customer_id, order_id, interval=0, attempts=3)
    subscription_id = order.line_items[0].subscription_id
    assert subscription_id is not None, order
    return await pc.subscriptions.get(customer_id, subscription_id)
