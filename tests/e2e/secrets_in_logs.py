"""Secrets never reach the portal's log (issue 16): after the whole browser run, its log is
searched for every secret the portal was given or handled.

The secrets: the Partner Center sandbox's client secrets and refresh token (the portal's
credentials), the test accounts' password (typed into every sign-in), and each one-time
password the portal e-mailed (new tenants' admins, new users, resets), read back from the
test SMTP server's inbox.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from o365portal.sandbox.core.server import SandboxInfo
from tests.builders import ACCOUNT_PASSWORD
from tests.smtp_server import ReceivedMail

_ONE_TIME = re.compile(r"One-time password:\s*(\S+)")


def handled_secrets(sandbox: SandboxInfo, mail: ReceivedMail) -> set[str]:
    """Every secret of the run: configured, typed, and e-mailed."""
    found = {
        sandbox.client_secret,
        sandbox.portal_client_secret,
        sandbox.refresh_token,
        ACCOUNT_PASSWORD,
    }
    for message in mail.messages:
        body = message.get_body(preferencelist=("plain",))
        found |= set(_ONE_TIME.findall(body.get_content() if body else ""))
    return {secret for secret in found if secret}


def leaked(log: Path, secrets: Iterable[str]) -> list[str]:
    """The secrets that appear in `log`, each shown by its first three characters."""
    text = log.read_text(errors="replace")
    return sorted(f"{secret[:3]}…" for secret in secrets if secret in text)
