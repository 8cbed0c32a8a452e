"""The row types of core/rows.py describe the rows the sandbox really stores.

mypy holds every key the sandbox reads or writes to its row's `TypedDict`; this test holds the
`TypedDict`s to the stored rows (no key missing that the type calls required, no key the type
does not know), so a type cannot drift away from the data and make mypy's verdicts meaningless.
"""

from __future__ import annotations

import typing
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from o365portal.sandbox.core import rows
from o365portal.sandbox.core.state import Table
from tests.integration.sandbox.helpers import MCA_TEMPLATE_ID, customer_body
from tests.integration.sandbox_commerce.conftest import Sandbox, buy, items, line

CHECKED: list[Table[Any]] = [
    rows.CUSTOMERS,
    rows.USERS,
    rows.AGREEMENTS,
    rows.SUBSCRIPTIONS,
    rows.CARTS,
    rows.ORDERS,
    rows.AUDIT_RECORDS,
    rows.WEBHOOK_REGISTRATIONS,
    rows.REPLAYS,
    rows.RECON_LINES,
    rows.INVOICES,
]


def _row_type(table: Table[Any]) -> Any:
    """The row type a table constant is declared with (`CUSTOMERS: Table[CustomerRow]`)."""
    [name] = [name for name, value in vars(rows).items() if value is table]
    return typing.get_args(typing.get_type_hints(rows)[name])[0]


def _problems(value: Mapping[str, Any], row_type: Any, where: str) -> list[str]:
    """Keys of `value` that disagree with the TypedDict `row_type`, nested ones included."""
    hints = typing.get_type_hints(row_type)
    found = [f"{where}: missing {key}" for key in row_type.__required_keys__ - value.keys()]
    found += [f"{where}: unknown {key}" for key in value.keys() - hints.keys()]
    for key, hint in hints.items():
        if key not in value:
            continue
        if typing.is_typeddict(hint):
            found += _problems(value[key], hint, f"{where}.{key}")
        elif typing.get_origin(hint) is list and typing.is_typeddict(typing.get_args(hint)[0]):
            for index, item in enumerate(value[key]):
                found += _problems(item, typing.get_args(hint)[0], f"{where}.{key}[{index}]")
    return found


async def _fill_every_table(sandbox: Sandbox) -> None:
    """A customer's life: agreement, purchase, seat change, user with a licence, deletion,
    webhook registration, a month-end invoice."""
    client = sandbox.client
    created = await client.post("/v1/customers", json=customer_body())
    assert created.status_code == 201, created.text
    customer, domain = created.json()["id"], created.json()["companyProfile"]["domain"]
    agreement = {
        "primaryContact": {"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com"},
        "templateId": MCA_TEMPLATE_ID,
        "dateAgreed": "2026-03-01T00:00:00Z",
        "type": "MicrosoftCustomerAgreement",
    }
    assert (await client.post(f"/v1/customers/{customer}/agreements", json=agreement)).is_success
    [subscription] = await buy(sandbox, customer, line(quantity=3))
    changed = await client.patch(
        f"/v1/customers/{customer}/subscriptions/{subscription['id']}",
        json={**subscription, "quantity": 4},
        headers={"MS-RequestId": str(uuid.uuid4())},
    )
    assert changed.status_code == 200, changed.text
    user = await client.post(
        f"/v1/customers/{customer}/users",
        json={
            "userPrincipalName": f"jo@{domain}",
            "displayName": "Jo",
            "usageLocation": "US",
            "passwordProfile": {"password": "abCD123*", "forceChangePassword": True},
        },
    )
    assert user.status_code == 201, user.text
    users = f"/v1/customers/{customer}/users/{user.json()['id']}"
    skus = items((await client.get(f"/v1/customers/{customer}/subscribedskus")).json())
    assign = {"licensesToAssign": [{"skuId": skus[0]["productSku"]["id"]}]}
    assert (await client.post(f"{users}/licenseupdates", json=assign)).status_code == 201
    assert (await client.delete(users)).status_code == 204
    hook = "https://example.invalid/hook"
    registration = {"WebhookUrl": hook, "WebhookEvents": ["invoice-ready"]}
    assert (await client.post("/webhooks/v1/registration", json=registration)).is_success
    await sandbox.set_clock(datetime(2026, 4, 2, tzinfo=UTC))


async def test_stored_rows_have_the_keys_their_row_types_declare(sandbox: Sandbox) -> None:
    await _fill_every_table(sandbox)
    problems = []
    for table in CHECKED:
        stored = sandbox.state.table(table.name)
        assert stored, f"the flow wrote no {table.name} row to check"
        for key, row in stored.items():
            problems += _problems(row, _row_type(table), f"{table.name}[{key}]")
    assert problems == []


def test_a_misspelt_key_is_a_problem() -> None:
    row = {"deliveryId": "1", "deliveryID": "1"}
    assert _problems(row, rows.ValidationEventRow, "row") == ["row: unknown deliveryID"]
    assert _problems({}, rows.ValidationEventRow, "row") == ["row: missing deliveryId"]
