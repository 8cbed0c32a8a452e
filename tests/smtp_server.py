"""A real SMTP server for tests (aiosmtpd in a background thread) that keeps what it receives."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class ReceivedMail:
    """Every message the server accepted, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    # Recipients the server keeps waiting at RCPT TO (a slow server), and who is waiting now.
    held: set[str] = field(default_factory=set)
    waiting: list[str] = field(default_factory=list)

    async def handle_RCPT(
        self, server: object, session: object, envelope: object, address: str, options: object
    ) -> str:
        self.waiting.append(address)
        while address in self.held:
            await asyncio.sleep(0.05)
        self.waiting.remove(address)
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.original_content or envelope.content  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to `address`."""
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, timeout: float = 15.0) -> EmailMessage:
        """The first message to `address`, waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := self.to(address):
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"no e-mail to {address} within {timeout} s")


@dataclass(frozen=True)
class SmtpServerInfo:
    """Where the test server listens and what it received."""

    host: str
    port: int
    received: ReceivedMail


def free_port() -> int:
    """A free TCP port on loopback (nothing listens on it afterwards)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_smtp_server(
    port: int | None = None, received: ReceivedMail | None = None
) -> Iterator[SmtpServerInfo]:
    """An SMTP server on a free loopback port (or `port`) for the duration of the block, keeping
    what it receives in `received` (a new one unless given)."""
    received = received or ReceivedMail()
    port = port or free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServerInfo("127.0.0.1", port, received)
    finally:
        controller.stop()
