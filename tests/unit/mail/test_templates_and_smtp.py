"""Mail building blocks without a database: the credentials template, secret rendering, the
retry back-off, and sending to a real SMTP server (or failing clearly when none listens)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from o365portal.mail import smtp
from o365portal.mail.delivery import RetryPolicy
from o365portal.mail.templates import SECRET_MARK, render_body, tenant_credentials
from tests.smtp_server import SmtpServerInfo, free_port, running_smtp_server


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[SmtpServerInfo]:
    with running_smtp_server() as server:
        yield server


def _server(port: int) -> smtp.SmtpServer:
    return smtp.SmtpServer("127.0.0.1", port, "none", None, None, "Broker <portal@broker.example>")


def test_the_credentials_mail_names_the_user_and_only_where_its_password_comes_from() -> None:
    email = tenant_credentials(
        to_address="casey@contoso.example",
        contact_name="Casey Contact",
        company_name="Contoso",
        user_name="admin@contoso.onmicrosoft.com",
        customer_id="0f1e2d3c-aaaa-bbbb-cccc-123456789abc",
    )

    assert "admin@contoso.onmicrosoft.com" in email.body_text
    assert SECRET_MARK in email.body_text and "Contoso" in email.subject
    assert email.secret_source == "tenant-admin:0f1e2d3c-aaaa-bbbb-cccc-123456789abc"


def test_a_secret_is_filled_in_for_sending_and_hidden_for_showing() -> None:
    assert render_body("code {secret}", "abc") == "code abc"
    assert render_body("code {secret}", None) == "code ••••••••"


def test_each_failed_attempt_doubles_the_wait() -> None:
    policy = RetryPolicy(max_attempts=5, base_seconds=30)

    waits = [policy.wait_after(n).total_seconds() for n in (1, 2, 3, 4)]

    assert waits == [30, 60, 120, 240]


def test_the_wait_stops_growing_at_its_ceiling() -> None:
    policy = RetryPolicy(max_attempts=20, base_seconds=30, max_seconds=900)

    waits = [policy.wait_after(n).total_seconds() for n in (5, 6, 7, 19)]

    assert waits == [480, 900, 900, 900]


async def test_a_message_reaches_a_real_smtp_server(smtp_server: SmtpServerInfo) -> None:
    server = _server(smtp_server.port)

    await smtp.send(server, smtp.build_message(server, "x@example.org", "Hi", "Body text"))

    received = smtp_server.received.wait_for("x@example.org")
    assert received["Subject"] == "Hi" and received.get_content().strip() == "Body text"
    assert received["From"] == "Broker <portal@broker.example>"


async def test_no_server_listening_is_a_delivery_error_that_says_why() -> None:
    server = _server(free_port())

    with pytest.raises(smtp.DeliveryError, match="ConnectionRefusedError"):
        await smtp.send(server, smtp.build_message(server, "x@example.org", "Hi", "Body"))
