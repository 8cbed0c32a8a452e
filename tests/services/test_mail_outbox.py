"""The outbox and its delivery job against a real SMTP server: sending, retrying with
back-off when the server is down, giving up visibly, and never keeping a secret: a message
keeps only where its secret comes from, and the secret is issued when it is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.tables.mail import OutboxMessage
from o365portal.mail import smtp
from o365portal.mail.delivery import RetryPolicy, SecretUnavailable, deliver_due
from o365portal.mail.templates import Email
from o365portal.services.errors import NotAllowed
from o365portal.services.outbox import _outbox as mail
from tests.builders import new_broker, new_customer, new_organization, unique
from tests.smtp_server import SmtpServerInfo, free_port, running_smtp_server

pytestmark = pytest.mark.usefixtures("portal_env")
POLICY = RetryPolicy(max_attempts=3, base_seconds=60)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # due before anything other tests queued


class IssuedSecrets:
    """A secret issuer that records what it handed out (the mail job's real one resets a
    tenant administrator's password through Partner Center)."""

    def __init__(self) -> None:
        self.issued: list[tuple[str, str]] = []

    async def __call__(self, source: str) -> str:
        secret = f"S3cret-{len(self.issued)}-{unique()}"
        self.issued.append((source, secret))
        return secret


def _queue(source: str | None = "test:code") -> tuple[int, str]:
    to = f"{unique('to-')}@mail.example"
    with session_scope() as session:
        row = mail.enqueue(session, Email(to, "Hello", "Your code: {secret}", source))
        row.next_attempt_at = LONG_AGO
        session.flush()
        return row.id or 0, to


def _row(message_id: int) -> OutboxMessage:
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        return row


def _server(port: int) -> smtp.SmtpServer:
    return smtp.SmtpServer("127.0.0.1", port, "none", None, None, "portal@broker.example")


async def test_a_due_message_gets_its_secret_at_send_time_and_the_portal_keeps_none(
    smtp_server: SmtpServerInfo,
) -> None:
    source = unique("test:code-")
    message_id, to = _queue(source)
    secrets = IssuedSecrets()

    report = await deliver_due(
        server=_server(smtp_server.port),
        policy=POLICY,
        now=LONG_AGO,  # only messages queued as due long ago: this test's
        send=smtp.send,
        resolve=secrets,
    )

    received = smtp_server.received.wait_for(to)
    assert report.sent >= 1
    [secret] = [issued for issued_for, issued in secrets.issued if issued_for == source]
    assert f"Your code: {secret}" in received.get_content()
    assert received["From"] == "portal@broker.example"
    row = _row(message_id)
    assert (row.status.value, row.secret_source, row.attempts) == ("sent", None, 1)
    assert secret not in repr(row.model_dump())


async def test_a_secret_that_cannot_be_issued_is_retried_like_a_failed_send(
    smtp_server: SmtpServerInfo,
) -> None:
    message_id, to = _queue()

    async def unavailable(source: str) -> str:
        raise SecretUnavailable(f"Partner Center is down ({source})")

    await deliver_due(
        server=_server(smtp_server.port),
        policy=POLICY,
        now=LONG_AGO,
        send=smtp.send,
        resolve=unavailable,
    )

    row = _row(message_id)
    assert (row.status.value, row.attempts) == ("queued", 1)
    assert "Partner Center is down" in (row.last_error or "")
    assert smtp_server.received.to(to) == []


async def test_no_secret_is_issued_while_the_server_is_down_and_one_once_it_is_back(
    smtp_server: SmtpServerInfo,
) -> None:
    source = unique("test:code-")
    message_id, to = _queue(source)
    secrets, port = IssuedSecrets(), free_port()
    rounds = [LONG_AGO + timedelta(minutes=minutes) for minutes in (0, 1, 3)]

    for now in rounds[:2]:  # SMTP is down
        await deliver_due(
            server=_server(port), policy=POLICY, now=now, send=smtp.send, resolve=secrets
        )
    down = _row(message_id)
    with running_smtp_server(port, smtp_server.received):
        await deliver_due(
            server=_server(port), policy=POLICY, now=rounds[2], send=smtp.send, resolve=secrets
        )

    assert (down.status.value, down.attempts) == ("queued", 2)
    assert [issued for issued, _ in secrets.issued if issued == source] == [source]  # once
    assert len(smtp_server.received.to(to)) == 1
    assert _row(message_id).status.value == "sent"


async def test_an_unreachable_server_is_retried_later_then_given_up_on_visibly() -> None:
    message_id, to = _queue(source=None)
    down = _server(free_port())
    start = LONG_AGO  # other tests' mail is not due then

    await deliver_due(server=down, policy=POLICY, now=start, send=smtp.send)
    first = _row(message_id)
    await deliver_due(server=down, policy=POLICY, now=start + timedelta(seconds=30), send=smtp.send)
    not_yet = _row(message_id)
    for minutes in (1, 3):
        await deliver_due(
            server=down, policy=POLICY, now=start + timedelta(minutes=minutes), send=smtp.send
        )

    assert first.status.value == "queued" and first.attempts == 1
    assert first.next_attempt_at == start + timedelta(seconds=60)
    assert not_yet.attempts == 1  # not due yet: the back-off is respected
    final = _row(message_id)
    assert (final.status.value, final.attempts, final.secret_source) == ("failed", 3, None)
    broker = new_broker()
    listed = mail.list_outbox(actor=broker.principal, page_size=100_000).items
    [item] = [i for i in listed if i.to_address == to]
    assert item.status == "failed" and "ConnectionRefusedError" in item.last_error
    # The Outbox badge counts what the outbox shows as failed (other tests' messages as well).
    shown_failed = sum(1 for i in listed if i.status == "failed")
    assert await mail.failed_count(actor=broker.principal) == shown_failed
    customer = new_customer(new_organization(broker.principal).id)
    assert await mail.failed_count(actor=customer.principal) == 0


async def test_brokers_read_the_outbox_with_secrets_hidden_and_customers_cannot() -> None:
    _, to = _queue()
    broker = new_broker()
    customer = new_customer(new_organization(broker.principal).id)

    page = mail.list_outbox(actor=broker.principal, page_size=100)

    [item] = [i for i in page.items if i.to_address == to]
    assert item.body == "Your code: ••••••••" and page.delivery_enabled
    with pytest.raises(NotAllowed):
        mail.list_outbox(actor=customer.principal)


def test_without_smtp_the_outbox_says_nothing_is_sent_and_still_lists_the_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SMTP_HOST")
    get_settings.cache_clear()
    _, to = _queue()

    page = mail.list_outbox(actor=new_broker().principal, page_size=100)

    assert not page.delivery_enabled
    assert [i.status for i in page.items if i.to_address == to] == ["queued"]
