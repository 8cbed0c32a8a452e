"""Security headers on every response and the websocket origin check (ui/hardening.py), driven
over ASGI around a small app standing in for the portal."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from o365portal.config import get_settings
from o365portal.ui.hardening import content_security_policy, hardened, script_sources
from o365portal.ui.session import _over_tls

Message = dict[str, Any]


async def _portal(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers a page (with its own Referrer-Policy) or accepts the websocket."""
    if scope["type"] == "http":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"referrer-policy", b"no-referrer")],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})
    else:
        await send({"type": "websocket.accept"})


def _call(kind: str, headers: dict[str, str], scheme: str = "http") -> list[Message]:
    scope = {
        "type": kind,
        "scheme": scheme,
        "path": "/",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request" if kind == "http" else "websocket.connect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(hardened(_portal)(scope, receive, send))
    return sent


def _headers(messages: list[Message]) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in messages[0]["headers"]}


@pytest.fixture(autouse=True)
def public_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://portal.broker.example")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_every_response_carries_the_security_headers() -> None:
    headers = _headers(_call("http", {"host": "portal.local"}))
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"  # the app's own choice is kept
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # plain HTTP


def test_hsts_only_over_tls_or_behind_a_proxy_that_terminated_it() -> None:
    proxied = _headers(_call("http", {"host": "p.local", "x-forwarded-proto": "https"}))
    direct = _headers(_call("http", {"host": "p.local"}, scheme="https"))
    for headers in (proxied, direct):
        assert headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_websocket_opens_from_the_portals_own_pages() -> None:
    for origin in ("http://portal.local:3000", "https://portal.broker.example", ""):
        headers = {"host": "portal.local:8000"} | ({"origin": origin} if origin else {})
        assert _call("websocket", headers) == [{"type": "websocket.accept"}]


def test_another_site_cannot_open_the_websocket() -> None:
    headers = {"host": "portal.local", "origin": "https://evil.example"}
    assert _call("websocket", headers) == [{"type": "websocket.close", "code": 1008}]


def test_the_session_cookie_is_secure_when_the_portal_is_served_over_https(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _over_tls()  # the fixture's https://portal.broker.example
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "http://127.0.0.1:3000")
    get_settings.cache_clear()
    assert not _over_tls()


def _source(script: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


def test_the_script_policy_allows_each_inline_script_of_the_built_pages(tmp_path: Path) -> None:
    (tmp_path / "orgs").mkdir()
    (tmp_path / "index.html").write_text(
        '<script>window.a = 1</script><script src="/assets/app.js"></script>'
        '<SCRIPT type="module">import "/x.js"</SCRIPT>'
    )
    (tmp_path / "orgs" / "index.html").write_text("<script>window.a = 1</script>")
    allowed = tuple(sorted({_source("window.a = 1"), _source('import "/x.js"')}))
    assert script_sources(tmp_path) == allowed  # once each; a file's empty body is not one
    policy = content_security_policy(tmp_path)
    assert policy.startswith("frame-ancestors 'none'; object-src 'none'")
    assert policy.endswith(f"; script-src 'self' 'unsafe-eval' {' '.join(allowed)}")


def test_without_built_pages_scripts_are_not_restricted(tmp_path: Path) -> None:
    assert "script-src" not in content_security_policy(tmp_path / "none")
