"""Customers and domains (reference §3, §4).

Routes: `HEAD /v1/domains/{domain}` (200 taken / 404 free, empty body);
`POST /v1/customers` (201; creates tenant id, domain, billing profile and the admin user
`admin@<domain>` with a generated password returned once in `userCredentials`);
`GET /v1/customers/{id}/profiles/company` (App+User; adds `address` and `email` from the billing
profile as Microsoft's sample shows) and `/profiles/billing`;
`GET /v1/customers?size=&filter=` (seek paging; filter `CompanyName`/`Domain` +
`starts_with`, case-insensitive; the `next` link is `/v1/customers?size=N&seekOperation=Next`
as the real service sends); `GET /v1/customers/{id}`; `DELETE /v1/customers/{id}` (sandbox
customers only: removes the customer and every row carrying its `customerId`, except audit
records); `GET /v1/customers/relationshiprequests` (App+User).

Table `customers` rows are the wire Customer plus internal keys (`mcaAccepted`, `createdAt`,
`createdBy`) that `render_customer` leaves out. `customer_or_404` is for other modules.
Duplicate domain on create -> 409 code 600008 ([UNVERIFIED]: not documented by Microsoft).
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.audit import record_audit, wire_datetime
from o365portal.sandbox.core.identity import caller, sandbox_state
from o365portal.sandbox.core.rows import (
    AUDIT_RECORDS,
    CUSTOMERS,
    USERS,
    BillingProfile,
    CompanyProfile,
    CustomerRow,
    UserRow,
)
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.wire import (
    CIDict,
    PartnerCenterError,
    link,
    not_found,
    parse_filter,
    pc_json,
    read_body,
    seek_page,
    seek_request,
)
from o365portal.sandbox.directory.countries import validate_address, validate_registration_number
from o365portal.sandbox.directory.passwords import generate_password

INTERNAL_KEYS = ("mcaAccepted", "createdAt", "createdBy")
DOMAIN_SUFFIX = ".onmicrosoft.com"
DOMAIN_PREFIX = re.compile(r"^[a-z0-9]{1,27}$")
DOMAIN_TAKEN_CODE = 600008
WELL_KNOWN_TAKEN = frozenset(
    f"{name}{DOMAIN_SUFFIX}"
    for name in ("contoso", "fabrikam", "microsoft", "adatum", "litware", "wingtiptoys", "tailspin")
)


def customer_or_404(state: SandboxState, customer_id: str) -> CustomerRow:
    """The stored customer row, or Partner Center's 404."""
    customer = state.table(CUSTOMERS).get(customer_id.lower())
    if customer is None:
        raise not_found("Customer", customer_id)
    return customer


def render_customer(customer: CustomerRow) -> dict[str, Any]:
    """The wire form of a stored customer (internal keys removed)."""
    return {k: v for k, v in customer.items() if k not in INTERNAL_KEYS}


def _list_item(customer: CustomerRow) -> dict[str, Any]:
    profile = customer["companyProfile"]
    return {
        "id": customer["id"],
        "commerceId": customer["commerceId"],
        "companyProfile": {
            "tenantId": profile["tenantId"],
            "domain": profile["domain"],
            "companyName": profile["companyName"],
            "links": profile["links"],
            "attributes": profile["attributes"],
        },
        "relationshipToPartner": customer["relationshipToPartner"],
        "links": customer["links"],
        "attributes": customer["attributes"],
    }


def domain_taken(state: SandboxState, domain: str) -> bool:
    """Whether a domain already belongs to a tenant (a customer, the partner, well-known)."""
    domain = domain.strip().lower()
    customers = (c["companyProfile"]["domain"].lower() for c in state.table(CUSTOMERS).values())
    return domain in WELL_KNOWN_TAKEN or domain == state.partner_domain or domain in customers


async def check_domain(request: Request) -> Response:
    """`HEAD /v1/domains/{domain}`: 200 when the domain exists, 404 when it is free."""
    caller(request)
    taken = domain_taken(sandbox_state(request), request.path_params["domain"])
    return Response(status_code=200 if taken else 404)


def _domain(state: SandboxState, profile: CIDict) -> str:
    domain = profile.text("domain").lower()
    prefix = domain.removesuffix(DOMAIN_SUFFIX)
    if not domain.endswith(DOMAIN_SUFFIX) or not DOMAIN_PREFIX.match(prefix):
        raise PartnerCenterError(
            400, 2000, "The domain must be <prefix>.onmicrosoft.com with 1-27 letters or digits."
        )
    if domain_taken(state, domain):
        raise PartnerCenterError(409, DOMAIN_TAKEN_CODE, f"The domain {domain} is already in use.")
    return domain


def _billing_profile(customer_id: str, billing: CIDict, address: dict[str, str]) -> BillingProfile:
    for field in ("email", "companyName"):
        if not billing.text(field):
            raise PartnerCenterError(400, 2000, f"The billing profile field '{field}' is required.")
    return {
        "id": secrets.token_hex(16),
        "firstName": address["firstName"],
        "lastName": address["lastName"],
        "email": billing.text("email"),
        "culture": billing.text("culture"),
        "language": billing.text("language"),
        "companyName": billing.text("companyName"),
        "defaultAddress": address,
        "links": {"self": link(f"/customers/{customer_id}/profiles/billing")},
        "attributes": {"etag": secrets.token_hex(8), "objectType": "CustomerBillingProfile"},
    }


def _address(raw: CIDict) -> dict[str, str]:
    fields = ("country", "city", "state", "addressLine1", "addressLine2", "postalCode")
    address = {f: raw.text(f) for f in fields if raw.text(f)}
    address["country"] = address.get("country", "").upper()
    for field in ("firstName", "lastName", "phoneNumber"):
        if raw.text(field):
            address[field] = raw.text(field)
    return address


def _new_customer(state: SandboxState, body: CIDict, created_by: str) -> CustomerRow:
    billing, profile = body.child("billingProfile"), body.child("companyProfile")
    raw_address = billing.child("defaultAddress")
    rules = validate_address(raw_address, billing.text("culture"), billing.text("language"))
    validate_registration_number(rules, profile.text("organizationRegistrationNumber"))
    domain = _domain(state, profile)
    customer_id = str(uuid.uuid4())
    company: CompanyProfile = {
        "tenantId": customer_id,
        "domain": domain,
        "companyName": billing.text("companyName"),
        "links": {"self": link(f"/customers/{customer_id}/profiles/company")},
        "attributes": {"objectType": "CustomerCompanyProfile"},
    }
    if profile.text("organizationRegistrationNumber"):
        company["organizationRegistrationNumber"] = profile.text("organizationRegistrationNumber")
    return {
        "id": customer_id,
        "commerceId": str(uuid.uuid4()),
        "companyProfile": company,
        "billingProfile": _billing_profile(customer_id, billing, _address(raw_address)),
        "relationshipToPartner": "reseller",
        "allowDelegatedAccess": True,
        "customDomains": [],
        "enableGDAPByDefault": bool(body.get("enableGDAPByDefault")),
        "links": {"self": link(f"/customers/{customer_id}")},
        "attributes": {"objectType": "Customer"},
        "mcaAccepted": False,
        "createdAt": wire_datetime(state.now()),
        "createdBy": created_by,
    }


def _admin_user(state: SandboxState, customer: CustomerRow) -> tuple[UserRow, str]:
    address = customer["billingProfile"]["defaultAddress"]
    upn = f"admin@{customer['companyProfile']['domain']}"
    user_id = str(uuid.uuid4())
    user: UserRow = {
        "id": user_id,
        "customerId": customer["id"],
        "usageLocation": address["country"],
        "userPrincipalName": upn,
        "firstName": address.get("firstName", ""),
        "lastName": address.get("lastName", ""),
        "displayName": customer["companyProfile"]["companyName"],
        "userDomainType": "none",
        "state": "active",
        "licenses": [],
        "createdAt": wire_datetime(state.now()),
    }
    return user, generate_password(upn)


async def create_customer(request: Request) -> Response:
    """`POST /v1/customers` -> 201 Customer with `userCredentials`."""
    state = sandbox_state(request)
    who = caller(request)
    body = await read_body(request)
    with state.lock:
        customer = _new_customer(state, body, who.client_id)
        admin, password = _admin_user(state, customer)
        state.table(CUSTOMERS)[customer["id"]] = customer
        state.table(USERS)[admin["id"]] = admin
        wire = render_customer(customer)
        record_audit(
            state,
            who,
            operation_type="add_customer",
            resource_type="customer",
            customer_id=customer["id"],
            new=wire,
            customized_data={
                "PrimaryDomainName": customer["companyProfile"]["domain"],
                "Relationship": "Reseller",
            },
        )
    credentials = {"userName": "admin", "password": password}
    return pc_json({**wire, "userCredentials": credentials}, status=201)


def _matches(customer: CustomerRow, wanted: CIDict | None) -> bool:
    if wanted is None:
        return True
    field, operator = wanted.text("Field").lower(), wanted.text("Operator").lower()
    if operator != "starts_with" or field not in ("companyname", "domain"):
        raise PartnerCenterError(
            400, 2000, "Only CompanyName or Domain with the starts_with operator are supported."
        )
    profile = customer["companyProfile"]
    value = profile["companyName"] if field == "companyname" else profile["domain"]
    return value.lower().startswith(wanted.text("Value").lower())


async def list_customers(request: Request) -> Response:
    """`GET /v1/customers?size=&filter=` (seek paging)."""
    state = sandbox_state(request)
    caller(request)
    seek = seek_request(request, carried=("filter",), default_size=500)
    wanted = parse_filter(seek.params.get("filter"))
    with state.lock:
        items = [_list_item(c) for c in state.table(CUSTOMERS).values() if _matches(c, wanted)]
    return pc_json(seek_page(items, seek, "/v1/customers"))


async def get_customer(request: Request) -> Response:
    """`GET /v1/customers/{id}`."""
    state = sandbox_state(request)
    caller(request)
    return pc_json(render_customer(customer_or_404(state, request.path_params["customer_id"])))


def _delete_customer_rows(state: SandboxState, customer_id: str) -> None:
    for name in state.table_names():
        table = state.table(name)
        if name == AUDIT_RECORDS.name:
            continue
        for key in [k for k, row in table.items() if row.get("customerId") == customer_id]:
            del table[key]


async def delete_customer(request: Request) -> Response:
    """`DELETE /v1/customers/{id}` (integration-sandbox customers) -> 204."""
    state = sandbox_state(request)
    who = caller(request)
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        record_audit(
            state,
            who,
            operation_type="delete_customer",
            resource_type="customer",
            customer_id=customer["id"],
            old=render_customer(customer),
            customized_data={"PrimaryDomainName": customer["companyProfile"]["domain"]},
        )
        _delete_customer_rows(state, customer["id"])
        del state.table(CUSTOMERS)[customer["id"]]
    return Response(status_code=204)


COMPANY_ADDRESS_FIELDS = (
    ("country", "country"),
    ("region", "state"),
    ("city", "city"),
    ("addressLine1", "addressLine1"),
    ("addressLine2", "addressLine2"),
    ("postalCode", "postalCode"),
    ("phoneNumber", "phoneNumber"),
)


def render_company_profile(customer: CustomerRow) -> dict[str, Any]:
    """The CustomerCompanyProfile as Microsoft's sample shows it: the stored profile plus
    `address` (the billing profile's default address, `state` as `region`, no contact name) and
    `email` (the billing profile's), read at request time so billing-profile edits show."""
    billing, profile = customer["billingProfile"], customer["companyProfile"]
    default = billing["defaultAddress"]
    address = {wire: default[key] for wire, key in COMPANY_ADDRESS_FIELDS if default.get(key)}
    identity = {k: v for k, v in profile.items() if k not in ("links", "attributes")}
    return {
        **identity,
        "address": address,
        "email": billing["email"],
        "links": profile["links"],
        "attributes": profile["attributes"],
    }


async def company_profile(request: Request) -> Response:
    """`GET /v1/customers/{id}/profiles/company` (App+User)."""
    state = sandbox_state(request)
    caller(request, app_user=True)
    customer = customer_or_404(state, request.path_params["customer_id"])
    return pc_json(render_company_profile(customer))


async def billing_profile(request: Request) -> Response:
    """`GET /v1/customers/{id}/profiles/billing`."""
    state = sandbox_state(request)
    caller(request)
    customer = customer_or_404(state, request.path_params["customer_id"])
    return pc_json(customer["billingProfile"])


async def relationship_request(request: Request) -> Response:
    """`GET /v1/customers/relationshiprequests` (App+User): the reseller invitation URL."""
    state = sandbox_state(request)
    caller(request, app_user=True)
    url = (
        "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship"
        f"&partnerId={state.partner_tenant_id}&msppId=0&DAP=false#/BillingAccounts/partner-invitation"
    )
    return pc_json({"url": url, "attributes": {"objectType": "RelationshipRequest"}})


routes: list[BaseRoute] = [
    Route("/v1/domains/{domain}", check_domain, methods=["HEAD"]),
    Route("/v1/customers/relationshiprequests", relationship_request),
    Route("/v1/customers", list_customers),
    Route("/v1/customers", create_customer, methods=["POST"]),
    Route("/v1/customers/{customer_id}", get_customer),
    Route("/v1/customers/{customer_id}", delete_customer, methods=["DELETE"]),
    Route("/v1/customers/{customer_id}/profiles/company", company_profile),
    Route("/v1/customers/{customer_id}/profiles/billing", billing_profile),
]
