"""Microsoft Customer Agreement acceptance (reference §4.1; App+User only).

Routes: `GET /v1/agreements?agreementType=MicrosoftCustomerAgreement|MicrosoftCloudAgreement|All`
(agreement templates), `POST /v1/customers/{id}/agreements` (201; a second MCA for the same
customer -> 409 code 600061, status [UNVERIFIED]) and `GET /v1/customers/{id}/agreements`.

Accepting the MCA sets `customer["mcaAccepted"] = True` on the `customers` row; commerce's
checkout must refuse purchases for customers without it (`403 13605`).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.audit import record_audit
from o365portal.sandbox.core.clock import parse_instant
from o365portal.sandbox.core.identity import caller, sandbox_state
from o365portal.sandbox.core.rows import AGREEMENTS, AgreementRow
from o365portal.sandbox.core.wire import CIDict, PartnerCenterError, collection, pc_json, read_body
from o365portal.sandbox.directory.customers import customer_or_404

MCA = "MicrosoftCustomerAgreement"
TEMPLATES: dict[str, dict[str, Any]] = {
    MCA: {
        "templateId": "117a77b0-9360-443b-8795-c6dedc750cf9",
        "agreementType": MCA,
        "agreementLink": "https://aka.ms/customeragreement",
        "versionRank": 0,
        "attributes": {"objectType": "AgreementMetaData"},
    },
    "MicrosoftCloudAgreement": {
        "templateId": "998b88de-aa99-4388-a42c-1b3517d49490",
        "agreementType": "MicrosoftCloudAgreement",
        "agreementLink": "https://aka.ms/microsoftcloudagreement",
        "versionRank": 0,
        "attributes": {"objectType": "AgreementMetaData"},
    },
}


def _selected_types(agreement_type: str | None) -> list[str]:
    if not agreement_type:
        return [MCA]
    if agreement_type.lower() == "all":
        return list(TEMPLATES)
    chosen = [name for name in TEMPLATES if name.lower() == agreement_type.lower()]
    if not chosen:
        raise PartnerCenterError(400, 2000, f"Unknown agreementType '{agreement_type}'.")
    return chosen


async def list_templates(request: Request) -> Response:
    """`GET /v1/agreements?agreementType=...`: agreement templates (metadata)."""
    caller(request, app_user=True)
    types = _selected_types(request.query_params.get("agreementType"))
    return pc_json(collection([TEMPLATES[name] for name in types], "/agreements"))


def _agreement(body: CIDict, customer_id: str) -> AgreementRow:
    contact = body.child("primaryContact")
    missing = [f for f in ("firstName", "lastName", "email") if not contact.text(f)]
    if missing:
        raise PartnerCenterError(400, 2000, f"primaryContact needs {', '.join(missing)}.")
    if body.text("type").lower() != MCA.lower():
        raise PartnerCenterError(400, 2000, f"Only the {MCA} can be confirmed.")
    if body.text("templateId").lower() != TEMPLATES[MCA]["templateId"]:
        raise PartnerCenterError(400, 2000, "The templateId is not the current MCA template.")
    try:
        agreed = parse_instant(body.text("dateAgreed"))
    except ValueError as exc:
        raise PartnerCenterError(400, 2000, "dateAgreed must be an ISO-8601 date.") from exc
    return {
        "customerId": customer_id,
        "primaryContact": {
            k: contact.text(k) for k in ("firstName", "lastName", "email", "phoneNumber")
        },
        "templateId": TEMPLATES[MCA]["templateId"],
        "dateAgreed": agreed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "type": MCA,
        "agreementLink": TEMPLATES[MCA]["agreementLink"],
        "attributes": {"objectType": "Agreement"},
    }


def _render(agreement: AgreementRow) -> dict[str, Any]:
    return {k: v for k, v in agreement.items() if k != "customerId"}


async def confirm_agreement(request: Request) -> Response:
    """`POST /v1/customers/{id}/agreements`: record the customer's MCA acceptance."""
    state = sandbox_state(request)
    who = caller(request, app_user=True)
    body = await read_body(request)
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        if customer.get("mcaAccepted"):
            raise PartnerCenterError(
                409, 600061, "The customer has already confirmed this agreement."
            )
        agreement = _agreement(body, customer["id"])
        state.table(AGREEMENTS)[customer["id"]] = agreement
        customer["mcaAccepted"] = True
        record_audit(
            state,
            who,
            operation_type="create_agreement",
            resource_type="agreement",
            customer_id=customer["id"],
            new=_render(agreement),
            customized_data={"AgreementType": MCA, "TemplateId": agreement["templateId"]},
        )
    return pc_json(_render(agreement), status=201)


async def list_agreements(request: Request) -> Response:
    """`GET /v1/customers/{id}/agreements`: the customer's confirmed agreements."""
    state = sandbox_state(request)
    caller(request, app_user=True)
    customer = customer_or_404(state, request.path_params["customer_id"])
    types = _selected_types(request.query_params.get("agreementType"))
    found = state.table(AGREEMENTS).get(customer["id"])
    items = [_render(found)] if found and found["type"] in types else []
    return pc_json(collection(items, f"/customers/{customer['id']}/agreements"))


routes: list[BaseRoute] = [
    Route("/v1/agreements", list_templates),
    Route("/v1/customers/{customer_id}/agreements", list_agreements),
    Route("/v1/customers/{customer_id}/agreements", confirm_agreement, methods=["POST"]),
]
