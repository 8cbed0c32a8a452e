"""Customer users (reference §8.1; App+User only).

Routes under `/v1/customers/{id}/users`: POST (201 CustomerUser, echoing the password), GET
list (seek paging; active users, or deleted ones with filter
`{"Field":"UserState","Value":"Inactive","Operator":"equals"}`; `UserStatus` accepted too),
GET/PATCH/DELETE `/{uid}`, PATCH `/{uid}/resetpassword`. PATCH is a partial update;
`{"state":"active"}` restores a deleted user; `passwordProfile` resets the password on both
paths. DELETE soft-deletes (`state: inactive`, `softDeletionTime`) and frees the user's
licences; the `purge_deleted_users` processor removes users deleted 30+ days ago.

Error codes Microsoft does not document ([UNVERIFIED], messages are Entra's):
duplicate UPN -> 409 code 60007; UPN domain not the customer's -> 400 code 60008; password
against policy -> 400 code 60009; changing a deleted user -> 400 code 60010. Unknown user ->
404 code 60002.

Table `users` rows: the wire CustomerUser plus `customerId`, `licenses` (assigned SKUs, see
licenses.py) and `createdAt`.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.audit import record_audit, wire_datetime
from o365portal.sandbox.core.clock import parse_instant
from o365portal.sandbox.core.identity import Caller, caller, sandbox_state
from o365portal.sandbox.core.rows import USERS, CustomerRow, UserRow
from o365portal.sandbox.core.state import Processor, SandboxState
from o365portal.sandbox.core.wire import (
    CIDict,
    PartnerCenterError,
    link,
    parse_filter,
    pc_json,
    read_body,
    seek_page,
    seek_request,
)
from o365portal.sandbox.directory.customers import customer_or_404
from o365portal.sandbox.directory.passwords import password_problem

INTERNAL_KEYS = ("customerId", "licenses", "createdAt")
PURGE_AFTER = timedelta(days=30)
EditableField = Literal[
    "firstName", "lastName", "displayName", "usageLocation", "phoneNumber", "immutableId"
]
EDITABLE: tuple[EditableField, ...] = (
    "firstName",
    "lastName",
    "displayName",
    "usageLocation",
    "phoneNumber",
    "immutableId",
)


def render_user(user: UserRow) -> dict[str, Any]:
    """The wire CustomerUser (internal keys removed, `links.self` added)."""
    wire = {k: v for k, v in user.items() if k not in INTERNAL_KEYS}
    wire["links"] = {"self": link(f"/customers/{user['customerId']}/users/{user['id']}")}
    wire["attributes"] = {"objectType": "CustomerUser"}
    return wire


def user_or_404(state: SandboxState, customer_id: str, user_id: str) -> UserRow:
    """The stored user of that customer, or 404 code 60002."""
    user = state.table(USERS).get(user_id.lower())
    if user is None or user["customerId"] != customer_id:
        raise PartnerCenterError(404, 60002, f"User object with id {user_id} was not found.")
    return user


def _customer_domains(customer: CustomerRow) -> set[str]:
    return {
        customer["companyProfile"]["domain"].lower(),
        *map(str.lower, customer["customDomains"]),
    }


def _check_upn(state: SandboxState, customer: CustomerRow, upn: str, user_id: str) -> None:
    local, at, domain = upn.partition("@")
    if not (local and at) or domain.lower() not in _customer_domains(customer):
        raise PartnerCenterError(
            400,
            60008,
            "The domain portion of the userPrincipalName property is invalid. You must use one "
            "of the verified domain names in your organization.",
        )
    for other in state.table(USERS).values():
        same = other["userPrincipalName"].lower() == upn.lower()
        if same and other["customerId"] == customer["id"] and other["id"] != user_id:
            raise PartnerCenterError(
                409,
                60007,
                "Another object with the same value for property userPrincipalName already exists.",
            )


def _check_password(password_profile: CIDict, upn: str) -> dict[str, Any]:
    password = password_profile.text("password")
    problem = password_problem(password, upn)
    if problem:
        raise PartnerCenterError(
            400,
            60009,
            "The specified password does not comply with password complexity requirements. "
            f"Please provide a different password. ({problem})",
        )
    return {
        "password": password,
        "forceChangePassword": bool(password_profile.get("forceChangePassword", True)),
    }


def _audit(
    state: SandboxState, who: Caller, operation: str, old: UserRow | None, user: UserRow
) -> None:
    record_audit(
        state,
        who,
        operation_type=operation,
        resource_type="customer_user",
        customer_id=user["customerId"],
        old=None if old is None else render_user(old),
        new=render_user(user),
        customized_data={
            "CustomerUserId": user["id"],
            "UserPrincipalName": user["userPrincipalName"],
        },
    )


def _new_user(
    state: SandboxState, customer: CustomerRow, body: CIDict
) -> tuple[UserRow, dict[str, Any]]:
    """The new user row and its password profile (echoed once, never stored)."""
    upn = body.text("userPrincipalName")
    if not body.text("displayName"):
        raise PartnerCenterError(400, 2000, "displayName is required.")
    user_id = str(uuid.uuid4())
    _check_upn(state, customer, upn, user_id)
    password = _check_password(body.child("passwordProfile"), upn)
    user: UserRow = {
        "id": user_id,
        "customerId": customer["id"],
        "userPrincipalName": upn,
        "userDomainType": "none",
        "state": "active",
        "licenses": [],
        "createdAt": wire_datetime(state.now()),
    }
    for field in EDITABLE:
        if body.text(field):
            user[field] = body.text(field)
    return user, password


async def create_user(request: Request) -> Response:
    """`POST /v1/customers/{id}/users` -> 201 CustomerUser."""
    state = sandbox_state(request)
    who = caller(request, app_user=True)
    body = await read_body(request)
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        user, password = _new_user(state, customer, body)
        state.table(USERS)[user["id"]] = user
        _audit(state, who, "create_customer_user", None, user)
    return pc_json({**render_user(user), "passwordProfile": password}, status=201)


def _wants_inactive(wanted: CIDict | None) -> bool:
    if wanted is None:
        return False
    field = wanted.text("Field").lower()
    if field not in ("userstate", "userstatus") or wanted.text("Operator").lower() != "equals":
        raise PartnerCenterError(400, 2000, "Only the UserState equals filter is supported.")
    return wanted.text("Value").lower() == "inactive"


async def list_users(request: Request) -> Response:
    """`GET /v1/customers/{id}/users[?size&filter]` (seek paging)."""
    state = sandbox_state(request)
    caller(request, app_user=True)
    seek = seek_request(request, carried=("filter",), default_size=500)
    wanted_state = (
        "inactive" if _wants_inactive(parse_filter(seek.params.get("filter"))) else "active"
    )
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        users = [
            render_user(u)
            for u in state.table(USERS).values()
            if u["customerId"] == customer["id"] and u["state"] == wanted_state
        ]
    return pc_json(seek_page(users, seek, f"/customers/{customer['id']}/users"))


async def get_user(request: Request) -> Response:
    """`GET /v1/customers/{id}/users/{uid}`."""
    state = sandbox_state(request)
    caller(request, app_user=True)
    customer = customer_or_404(state, request.path_params["customer_id"])
    return pc_json(render_user(user_or_404(state, customer["id"], request.path_params["user_id"])))


def _apply_patch(
    state: SandboxState, customer: CustomerRow, user: UserRow, body: CIDict
) -> list[str]:
    """Apply a PATCH body to (a copy of) the user; return the audit operation types."""
    operations = []
    if body.text("state").lower() == "active" and user["state"] == "inactive":
        user["state"] = "active"
        user.pop("softDeletionTime", None)
        operations.append("restore_customer_user")
    if user["state"] == "inactive":
        raise PartnerCenterError(400, 60010, "The user is deleted; restore it first.")
    upn = body.text("userPrincipalName")
    if upn and upn.lower() != user["userPrincipalName"].lower():
        _check_upn(state, customer, upn, user["id"])
        user["userPrincipalName"] = upn
        operations.append("update_customer_user_principal_name")
    changed = [f for f in EDITABLE if f in body and body.text(f) != user.get(f)]
    for field in changed:
        user[field] = body.text(field)
    if changed:
        operations.append("update_customer_user")
    return operations


async def update_user(request: Request) -> Response:
    """`PATCH .../users/{uid}` and `.../users/{uid}/resetpassword`: partial update -> 200."""
    state = sandbox_state(request)
    who = caller(request, app_user=True)
    body = await read_body(request)
    resetting = "passwordProfile" in body
    if request.url.path.lower().endswith("/resetpassword") and not resetting:
        raise PartnerCenterError(400, 2000, "passwordProfile is required to reset a password.")
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        old = user_or_404(state, customer["id"], request.path_params["user_id"])
        user = old.copy()
        operations = _apply_patch(state, customer, user, body)
        password = None
        if resetting:
            password = _check_password(body.child("passwordProfile"), user["userPrincipalName"])
            operations.append("reset_customer_user_password")
        state.table(USERS)[user["id"]] = user
        for operation in operations:
            _audit(state, who, operation, old, user)
    wire = render_user(user)
    if password is not None:
        wire["passwordProfile"] = password
    return pc_json(wire)


async def delete_user(request: Request) -> Response:
    """`DELETE .../users/{uid}`: soft delete (recoverable for 30 days), frees licences -> 204."""
    state = sandbox_state(request)
    who = caller(request, app_user=True)
    with state.lock:
        customer = customer_or_404(state, request.path_params["customer_id"])
        user = user_or_404(state, customer["id"], request.path_params["user_id"])
        if user["state"] == "inactive":
            raise PartnerCenterError(404, 60002, f"User object with id {user['id']} was not found.")
        old = user.copy()
        user.update(
            {
                "state": "inactive",
                "softDeletionTime": state.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
                "licenses": [],
            }
        )
        _audit(state, who, "delete_customer_user", old, user)
    return Response(status_code=204)


def purge_deleted_users(state: SandboxState, now: datetime) -> None:
    """Remove users soft-deleted more than 30 days ago (Entra's recycle-bin period)."""
    table = state.table(USERS)
    expired = [
        key
        for key, user in table.items()
        if user["state"] == "inactive"
        and parse_instant(user["softDeletionTime"]) + PURGE_AFTER <= now
    ]
    for key in expired:
        del table[key]


PROCESSORS: list[Processor] = [purge_deleted_users]

_USER = "/v1/customers/{customer_id}/users/{user_id}"
routes: list[BaseRoute] = [
    Route("/v1/customers/{customer_id}/users", list_users),
    Route("/v1/customers/{customer_id}/users", create_user, methods=["POST"]),
    Route(_USER, get_user),
    Route(_USER, update_user, methods=["PATCH"]),
    Route(_USER, delete_user, methods=["DELETE"]),
    Route(f"{_USER}/resetpassword", update_user, methods=["PATCH"]),
]
