"""Logs name each call but never carry secrets, tokens or passwords."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from pydantic import SecretStr

from o365portal.partner_center.models import (
    Address,
    BillingProfile,
    CompanyProfile,
    Customer,
    CustomerUser,
    PasswordProfile,
)
from tests.unit.partner_center.fakes import ScriptedPartnerCenter, harness, reply

ADMIN_PASSWORD = "Generated-Admin-Pa55!"
USER_PASSWORD = "abCD123*-user-secret"


def created_customer(request: httpx.Request) -> httpx.Response:
    sent = json.loads(request.content)
    return reply(
        201,
        {
            "id": "c1",
            **sent,
            "userCredentials": {"userName": "admin", "password": ADMIN_PASSWORD},
        },
    )


async def test_creating_a_customer_and_a_user_logs_no_secret_token_or_password(
    server: ScriptedPartnerCenter, caplog: pytest.LogCaptureFixture
) -> None:
    server.on("POST", "/v1/customers", reply(503), created_customer)
    server.on("POST", "/v1/customers/c1/users", lambda r: reply(201, json.loads(r.content)))
    h = harness(server)
    caplog.set_level(logging.DEBUG)
    customer = await h.client.customers.create(
        Customer(
            company_profile=CompanyProfile(domain="contoso.onmicrosoft.com"),
            billing_profile=BillingProfile(
                email="a@contoso.com",
                company_name="Contoso",
                default_address=Address(country="US", city="Redmond"),
            ),
        )
    )
    user = CustomerUser(
        user_principal_name="jdoe@contoso.onmicrosoft.com",
        password_profile=PasswordProfile(password=SecretStr(USER_PASSWORD)),
    )
    await h.client.users.create("c1", user)

    assert customer.user_credentials is not None
    assert customer.user_credentials.password is not None
    assert customer.user_credentials.password.get_secret_value() == ADMIN_PASSWORD
    assert USER_PASSWORD in server.requests[-1].content.decode()
    logged = "\n".join(r.getMessage() for r in caplog.records) + repr(customer)
    forbidden = [
        ADMIN_PASSWORD,
        USER_PASSWORD,
        "client-secret-value",
        "refresh-token-value",
        "app-token-1",
        "app_user-token-1",
        "Bearer",
    ]
    assert [secret for secret in forbidden if secret in logged] == []
    assert "POST /v1/customers -> 503" in logged
    assert "POST /v1/customers -> 201" in logged
    assert server.requests[0].headers["MS-RequestId"] in logged


def test_the_configuration_never_shows_its_secrets() -> None:
    from tests.unit.partner_center.fakes import config

    shown = repr(config()) + str(config())
    assert "client-secret-value" not in shown
    assert "refresh-token-value" not in shown
