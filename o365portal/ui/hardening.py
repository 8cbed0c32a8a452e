"""HTTP hardening around everything the portal serves (pages, assets, its API, the websocket).

- Security headers on every HTTP response: no framing by other sites (`frame-ancestors 'none'`,
  `X-Frame-Options: DENY`), no plugins, `<base>` and form posts to this site only, no MIME
  sniffing, the referrer cut to the origin across sites, browser features the portal does not
  use switched off, and HSTS when the request came over TLS (directly or through a proxy that
  says so with `X-Forwarded-Proto: https`).
- Scripts: only the portal's own files and the inline scripts of its built pages, each allowed by
  its SHA-256 (read from the pages this process serves, once), so a script injected into a page
  does not run. `'unsafe-eval'` stays: Reflex runs `rx.call_script` and `rx.call_function`
  (every toast) with `eval`, and the portal reloads a tab with a fresh token through
  `call_script` (`ui/session.SessionState._fresh_tab`); it only evaluates code the server
  sends. Where this process serves no built pages (`reflex run` in development, whose pages
  come from Node's dev server) scripts are not restricted.
- The websocket (every event of every page travels on it) refuses an upgrade whose `Origin` is
  another host than the one asked for or `PORTAL_PUBLIC_URL`'s: another site cannot drive a
  signed-in tab's session (cross-site websocket hijacking). Ports are not compared, so the
  development frontend on its own port still connects.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reflex.utils import prerequisites
from reflex_base import constants
from reflex_base.config import get_config

from o365portal.config import get_settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

POLICY = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def script_sources(pages: Path) -> tuple[str, ...]:
    """The CSP sources of every inline script of the built pages under `pages` (sorted)."""
    found = set()
    for page in pages.rglob("*.html"):
        for script in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if script:
                digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
                found.add(f"'sha256-{digest}'")
    return tuple(sorted(found))


def content_security_policy(pages: Path) -> str:
    """The policy for the pages built under `pages`; scripts unrestricted when there are none."""
    sources = script_sources(pages) if pages.is_dir() else ()
    if not sources:
        return POLICY
    return f"{POLICY}; script-src 'self' 'unsafe-eval' {' '.join(sources)}"


@functools.cache
def _served_policy() -> bytes:
    """The policy for the pages this process serves (Reflex's own build folder), read once."""
    config = get_config()
    pages = prerequisites.get_web_dir() / constants.Dirs.STATIC / config.frontend_path.strip("/")
    return content_security_policy(pages).encode()


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
        extra = [(b"content-security-policy", _served_policy()), *HEADERS]
        extra += [HSTS] if _over_tls(scope) else []

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
