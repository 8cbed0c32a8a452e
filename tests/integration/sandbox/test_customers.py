"""Customers, domains, country rules and the MCA, as the portal sees them over HTTPS."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from o365portal.sandbox.core.server import SandboxInfo
from o365portal.sandbox.directory.passwords import password_problem
from tests.integration.sandbox.helpers import (
    PC_SCOPE,
    client_with,
    create_customer,
    customer_body,
    request_token,
    unique_domain,
)

RECORDED = Path(__file__).resolve().parents[4] / "shared/fixtures/partner-center-recorded/responses"


def test_domain_head_tells_taken_from_free_domains(pc_app: httpx.Client) -> None:
    domain = unique_domain()

    assert pc_app.head("/v1/domains/contoso.onmicrosoft.com").status_code == 200
    assert pc_app.head(f"/v1/domains/{domain}").status_code == 404
    create_customer(pc_app, domain=domain)
    taken = pc_app.head(f"/v1/domains/{domain.upper()}")
    assert taken.status_code == 200
    assert taken.content == b""


def test_creating_a_customer_returns_its_tenant_and_admin_credentials(
    pc_app: httpx.Client,
) -> None:
    domain = unique_domain()
    customer = create_customer(pc_app, domain=domain)

    assert customer["id"] == customer["companyProfile"]["tenantId"]
    assert customer["companyProfile"]["domain"] == domain
    assert customer["relationshipToPartner"] == "reseller"
    assert customer["attributes"]["objectType"] == "Customer"
    assert customer["billingProfile"]["defaultAddress"]["postalCode"] == "98052"
    assert customer["userCredentials"]["userName"] == "admin"
    assert password_problem(customer["userCredentials"]["password"], f"admin@{domain}") is None
    assert "mcaAccepted" not in customer


def test_the_admin_user_exists_in_the_new_tenant(pc: httpx.Client) -> None:
    customer = create_customer(pc)

    users = pc.get(f"/v1/customers/{customer['id']}/users").json()["items"]

    assert [u["userPrincipalName"] for u in users] == [
        f"admin@{customer['companyProfile']['domain']}"
    ]


def test_request_bodies_are_read_case_insensitively_and_tolerate_a_bom(
    pc_app: httpx.Client,
) -> None:
    body = customer_body()
    pascal = {
        "CompanyProfile": {"Domain": body["companyProfile"]["domain"]},
        "BillingProfile": {k[:1].upper() + k[1:]: v for k, v in body["billingProfile"].items()},
    }
    raw = b"\xef\xbb\xbf" + json.dumps(pascal).encode()

    response = pc_app.post(
        "/v1/customers", content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 201, response.text


def test_a_taken_domain_is_refused_with_a_conflict(pc_app: httpx.Client) -> None:
    response = pc_app.post("/v1/customers", json=customer_body(domain="contoso.onmicrosoft.com"))

    assert response.status_code == 409
    assert response.json()["source"] == "PartnerFD"


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ({"postalCode": "ABC"}, 2000),
        ({"state": "ZZ"}, 2000),
        ({"country": "XX"}, 2000),
        ({"country": "IN", "state": "KA", "postalCode": "560001", "phoneNumber": ""}, 600051),
        ({"country": "IN", "state": "KA", "postalCode": "560001"}, 600049),
    ],
)
def test_addresses_are_checked_against_country_rules(
    pc_app: httpx.Client, address: dict[str, str], code: int
) -> None:
    body = customer_body(**address)
    if address.get("country") == "IN":
        body["billingProfile"]["culture"] = "en-IN"

    response = pc_app.post("/v1/customers", json=body)

    assert response.status_code == 400
    assert response.json()["code"] == code


def test_registration_numbers_are_refused_where_the_country_has_none(
    pc_app: httpx.Client,
) -> None:
    body = customer_body()
    body["companyProfile"]["organizationRegistrationNumber"] = "12345"

    assert pc_app.post("/v1/customers", json=body).json()["code"] == 600002


def test_profiles_are_served_separately(pc: httpx.Client, pc_app: httpx.Client) -> None:
    customer = create_customer(pc)
    base = f"/v1/customers/{customer['id']}/profiles"

    company = pc.get(f"{base}/company").json()
    assert {k: v for k, v in company.items() if k not in ("address", "email")} == customer[
        "companyProfile"
    ]
    assert pc_app.get(f"{base}/billing").json() == customer["billingProfile"]
    assert pc_app.get(f"{base}/company").json()["code"] == 900329


def test_get_and_delete_a_customer(pc_app: httpx.Client) -> None:
    customer = create_customer(pc_app)

    fetched = pc_app.get(f"/v1/customers/{customer['id']}").json()
    assert fetched["billingProfile"] == customer["billingProfile"]
    assert "userCredentials" not in fetched

    assert pc_app.delete(f"/v1/customers/{customer['id']}").status_code == 204
    missing = pc_app.get(f"/v1/customers/{customer['id']}")
    assert missing.status_code == 404
    assert missing.json()["code"] == 1000


def test_the_customer_list_pages_with_continuation_tokens(pc_app: httpx.Client) -> None:
    created = [create_customer(pc_app, company=f"Paging {n}")["id"] for n in range(5)]

    page = pc_app.get("/v1/customers?size=2").json()
    seen = [item["id"] for item in page["items"]]
    while "next" in page["links"]:
        nxt = page["links"]["next"]
        assert nxt["uri"] == "/v1/customers?size=2&seekOperation=Next"
        headers = {h["key"]: h["value"] for h in nxt["headers"]}
        assert headers["MS-ContinuationToken"] == page["continuationToken"]
        page = pc_app.get(nxt["uri"], headers=headers).json()
        seen += [item["id"] for item in page["items"]]

    assert seen == created
    assert "billingProfile" not in page["items"][0]


def test_seeking_past_the_last_page_answers_400_code_2000(pc_app: httpx.Client) -> None:
    for n in range(3):
        create_customer(pc_app, company=f"Seek {n}")
    first = pc_app.get("/v1/customers?size=2").json()
    token = first["continuationToken"]
    pc_app.delete(f"/v1/customers/{first['items'][0]['id']}")
    pc_app.delete(f"/v1/customers/{first['items'][1]['id']}")

    response = pc_app.get(
        "/v1/customers?size=2&seekOperation=Next", headers={"MS-ContinuationToken": token}
    )

    assert response.status_code == 400
    assert response.json()["code"] == 2000


def test_customers_can_be_found_by_company_name_or_domain_prefix(pc_app: httpx.Client) -> None:
    wanted = create_customer(pc_app, company="Northwind Traders", domain=unique_domain("nwt"))
    create_customer(pc_app, company="Southwind Ltd")

    def search(field: str, value: str) -> list[str]:
        query = json.dumps({"Field": field, "Value": value, "Operator": "starts_with"})
        return [
            c["id"] for c in pc_app.get("/v1/customers", params={"filter": query}).json()["items"]
        ]

    assert search("CompanyName", "NORTH") == [wanted["id"]]
    assert search("Domain", "nwt") == [wanted["id"]]
    assert search("CompanyName", "wind") == []


def test_a_filtered_listing_keeps_its_filter_across_pages(pc_app: httpx.Client) -> None:
    for n in range(3):
        create_customer(pc_app, company=f"Alpha {n}")
    create_customer(pc_app, company="Beta")
    query = json.dumps({"Field": "CompanyName", "Value": "alpha", "Operator": "starts_with"})

    first = pc_app.get("/v1/customers", params={"size": 2, "filter": query}).json()
    nxt = first["links"]["next"]
    second = pc_app.get(nxt["uri"], headers={h["key"]: h["value"] for h in nxt["headers"]}).json()

    names = [c["companyProfile"]["companyName"] for c in first["items"] + second["items"]]
    assert names == ["Alpha 0", "Alpha 1", "Alpha 2"]


def test_relationship_request_link_names_the_partner(
    pc: httpx.Client, sandbox: SandboxInfo
) -> None:
    body = pc.get("/v1/customers/relationshiprequests").json()

    assert f"partnerId={sandbox.partner_tenant_id}" in body["url"]
    assert body["url"].startswith("https://admin.microsoft.com/")


@pytest.mark.parametrize("country", ["US", "GB", "DE"])
def test_country_rules_match_the_recorded_partner_center_answers(
    pc_app: httpx.Client, country: str
) -> None:
    if not RECORDED.is_dir():
        pytest.skip("the recorded Partner Center fixtures are not checked out beside the repo")
    recorded = json.loads(
        (RECORDED / f"GetCountryValidationRules-{country}.json").read_text(encoding="utf-8-sig")
    )

    served = pc_app.get(f"/v1/countryvalidationrules/{country.lower()}").json()

    assert served.pop("attributes") == {"objectType": "CountryValidationRules"}
    assert served == recorded


@pytest.mark.parametrize("country", ["NL", "FR", "CA", "AU", "IN", "BR"])
def test_country_rules_exist_for_the_brokers_markets(pc_app: httpx.Client, country: str) -> None:
    rules = pc_app.get(f"/v1/countryvalidationrules/{country}").json()

    assert rules["iso2Code"] == country
    assert re.compile(rules["postalCodeRegex"])
    assert rules["defaultCulture"] in rules["supportedCulturesList"]


def test_unknown_countries_have_no_rules(pc_app: httpx.Client) -> None:
    response = pc_app.get("/v1/countryvalidationrules/QQ")

    assert response.status_code == 400
    assert response.json()["code"] == 2000


def test_the_mca_is_confirmed_once_and_recorded_on_the_customer(
    pc: httpx.Client, sandbox: SandboxInfo
) -> None:
    customer = create_customer(pc)
    templates = pc.get("/v1/agreements?agreementType=MicrosoftCustomerAgreement").json()
    template_id = templates["items"][0]["templateId"]
    agreement = {
        "primaryContact": {"firstName": "Jane", "lastName": "Doe", "email": "j@example.com"},
        "templateId": template_id,
        "dateAgreed": "2026-11-01T00:00:00Z",
        "type": "MicrosoftCustomerAgreement",
    }
    path = f"/v1/customers/{customer['id']}/agreements"

    assert sandbox.state.table("customers")[customer["id"]]["mcaAccepted"] is False
    assert pc.post(path, json=agreement).status_code == 201
    assert sandbox.state.table("customers")[customer["id"]]["mcaAccepted"] is True
    duplicate = pc.post(path, json=agreement)
    assert duplicate.json()["code"] == 600061
    listed = pc.get(path).json()["items"]
    assert [a["templateId"] for a in listed] == [template_id]


def test_mca_routes_need_an_app_user_token(pc_app: httpx.Client) -> None:
    response = pc_app.get("/v1/agreements?agreementType=MicrosoftCustomerAgreement")

    assert response.json()["code"] == 900329


def test_customers_created_in_microsofts_portal_appear_like_any_other(
    pc_app: httpx.Client, sandbox: SandboxInfo
) -> None:
    token = request_token(
        sandbox,
        grant_type="client_credentials",
        client_id=sandbox.portal_client_id,
        client_secret=sandbox.portal_client_secret,
        scope=PC_SCOPE,
    )["access_token"]
    with client_with(sandbox, token) as microsoft_portal:
        outside = create_customer(microsoft_portal, company="Made Elsewhere")

    listed = [c["id"] for c in pc_app.get("/v1/customers").json()["items"]]
    [record] = pc_app.get("/v1/auditrecords").json()["items"]

    assert listed == [outside["id"]]
    assert record["applicationId"] == sandbox.portal_client_id
    assert record["userPrincipalName"].startswith("admin@")


def test_the_company_profile_shows_the_billing_address_and_email_as_microsofts_sample(
    pc: httpx.Client,
) -> None:
    customer = create_customer(pc, addressLine2="Building 92")

    company = pc.get(f"/v1/customers/{customer['id']}/profiles/company").json()

    assert company["address"] == {
        "country": "US",
        "region": "WA",
        "city": "Redmond",
        "addressLine1": "1 Microsoft Way",
        "addressLine2": "Building 92",
        "postalCode": "98052",
        "phoneNumber": "4255550100",
    }
    assert company["email"] == "jane@example.com"
    assert company["attributes"] == {"objectType": "CustomerCompanyProfile"}
