"""Messages say the truth (issue 9 item 7): a short phone number is "too short", a huge price is
"too large", an empty tenant domain asks for the domain; and searches take `%` and `_`
literally (item 6), on each database backend."""

from __future__ import annotations

import pytest

from o365portal.services.errors import InvalidInput
from o365portal.services.number_format import number_format
from o365portal.services.organizations import _organizations as organizations
from o365portal.services.organizations._input import OrganizationInput
from o365portal.services.pricing import _rows as price_rows
from o365portal.services.pricing._lists import parse_price
from o365portal.services.tenants import _links as tenant_links
from o365portal.services.validation import parse_input
from tests.builders import new_broker, new_customer, new_organization, unique
from tests.services.pricing_support import new_catalog_item


def _phone_message(phone: str) -> str | None:
    try:
        parse_input(OrganizationInput, {"company_name": "A", "country": "US", "phone": phone})
    except InvalidInput as invalid:
        return invalid.field_errors["phone"]
    return None


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("1234", "This phone number is too short: enter at least 5 digits, with the area code."),
        ("12-34", "This phone number is too short: enter at least 5 digits, with the area code."),
        ("1" * 25, "This phone number is too long (at most 24 characters)."),
        ("call me", "Enter a phone number with digits, spaces and an optional leading +."),
        ("+1 425 555 0100", None),
        ("12345", None),
    ],
)
def test_a_phone_number_is_refused_for_what_is_wrong_with_it(
    phone: str, message: str | None
) -> None:
    assert _phone_message(phone) == message


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9" * 20, "This price is too large: at most 99,999,999,999,999."),
        ("0", "Enter a price above zero (a missing price means not for sale)."),
        ("-1", "Enter the amount without a sign."),
    ],
)
def test_a_price_is_refused_for_what_is_wrong_with_it(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message.replace('(', '.').replace(')', '.')}$"):
        parse_price(typed, number_format("en_US"))


@pytest.mark.usefixtures("portal_env")
async def test_linking_without_a_domain_asks_for_the_domain() -> None:
    broker = new_broker()
    organization = new_organization(broker.principal)
    customer = new_customer(organization.id)
    for actor in (broker.principal, customer.principal):
        with pytest.raises(InvalidInput) as refused:
            await tenant_links.link_by_domain(
                actor=actor, organization_id=organization.id, domain="   "
            )
        assert refused.value.field_errors == {
            "domain": "Enter the tenant's domain, such as contoso.onmicrosoft.com."
        }


@pytest.mark.usefixtures("portal_env")
def test_organization_search_takes_percent_and_underscore_literally() -> None:
    broker = new_broker()
    tag = unique("Lit")
    names = [f"{tag} 50% Off", f"{tag} 50 Percent", f"{tag} A_B", f"{tag} AxB", f"{tag} C/D"]
    for name in names:
        new_organization(broker.principal, company_name=name)

    def found(text: str) -> list[str]:
        page = organizations.search_organizations(actor=broker.principal, query=text)
        return [item.company_name for item in page.items]

    assert found(tag) == sorted(names, key=str.lower)
    assert found(f"{tag} 50%") == [f"{tag} 50% Off"]
    assert found(f"{tag} a_b") == [f"{tag} A_B"]
    assert found(f"{tag} c/d") == [f"{tag} C/D"]
    assert found(f"{tag}%Percent") == []


@pytest.mark.usefixtures("portal_env")
def test_price_list_search_takes_underscore_literally() -> None:
    broker = new_broker()
    tag = unique("Lit")
    wanted = new_catalog_item(title=f"{tag} X_Y")
    new_catalog_item(title=f"{tag} XzY")
    page = price_rows.price_rows(
        actor=broker.principal,
        list_id=None,
        filters=price_rows.PriceFilters(text=f"{tag} x_y"),
        page_size=50,
    )
    assert [row.item for row in page.rows] == [wanted]
