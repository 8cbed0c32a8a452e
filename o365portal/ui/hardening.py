"""HTTP hardening around everything the portal serves (pages, assets, its API, the websocket).

- Security headers on every HTTP response: no framing by other sites (`frame-ancestors 'none'`,
  `X-Frame-Options: DENY`), no plugins, `<base>` and form posts to this site only, no MIME
  sniffing, the referrer cut to the origin across sites, browser features the portal does not
  use switched off, and HSTS when the request came over TLS (directly or through a proxy that
  says so with `X-Forwarded-Proto: https`). Scripts are not restricted by the policy: the built
  pages carry inline hydration scripts (a hash per build would be needed).
- The websocket (every event of every page travels on it) refuses an upgrade whose `Origin` is
  another host than the one asked for or `PORTAL_PUBLIC_URL`'s: another site cannot drive a
  signed-in tab's session (cross-site websocket hijacking). Ports are not compared, so the
  development frontend on its own port still connects.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from o365portal.config import get_settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def _over_tls(scope: Scope) -> bool:
    forwarded = _header(scope, b"x-forwarded-proto").split(",")[0].strip().lower()
    return scope.get("scheme") in ("https", "wss") or forwarded == "https"


def _host(url_or_host: str) -> str:
    text = url_or_host if "//" in url_or_host else f"//{url_or_host}"
    return (urlsplit(text).hostname or "").lower()


def origin_allowed(scope: Scope) -> bool:
    """Whether a websocket upgrade comes from the portal's own pages: no Origin (not a
    browser), or one naming the host asked for or the configured public URL's host."""
    origin = _header(scope, b"origin")
    if not origin:
        return True
    allowed = {_host(_header(scope, b"host"))}
    public_url = get_settings().portal_public_url
    if public_url:
        allowed.add(_host(public_url))
    return _host(origin) in allowed - {""}


def hardened(app: ASGIApp) -> ASGIApp:
    """`app` with the security headers and the websocket origin check (an `api_transformer`)."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        extra = [*HEADERS, HSTS] if _over_tls(scope) else list(HEADERS)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {key.lower() for key, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((key, value) for key, value in extra if key not in names),
                ]
            await send(message)

        await app(scope, receive, with_headers)

    return guarded
