"""Readable fakes for the client's seams: a scripted Partner Center behind
`httpx.MockTransport`, token sources, and a sleep that only records."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig, RetryPolicy
from o365portal.partner_center.auth import TokenKind

BASE_URL = "https://pc.test"
Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def reply(
    status: int = 200, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A JSON response (`body` None -> empty)."""
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(status, content=content, headers=headers)


def pc_error(status: int, code: int, description: str = "refused") -> httpx.Response:
    """A response in Partner Center's error shape."""
    return reply(
        status, {"code": code, "description": description, "data": [], "source": "PartnerFD"}
    )


@dataclass
class ScriptedPartnerCenter:
    """Answers each `METHOD /path` from a queue of replies (the last one repeats) and records
    every request it received."""

    routes: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    sent_headers: list[httpx.Headers] = field(default_factory=list)

    def on(self, method: str, path: str, *replies: Reply) -> ScriptedPartnerCenter:
        self.routes[f"{method} {path}"] = list(replies)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.sent_headers.append(httpx.Headers(request.headers))
        queue = self.routes.get(f"{request.method} {request.url.path}")
        if not queue:
            return pc_error(404, 1000, f"no script for {request.method} {request.url.path}")
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    def headers(self, name: str) -> list[str]:
        """The value of one header on every request, as it was sent (the auth flow re-sends
        the same request object with a new token)."""
        return [headers.get(name, "") for headers in self.sent_headers]


@dataclass
class FakeTokens:
    """A token source handing out `<kind>-token-<n>`; a forced refresh moves to the next n."""

    kind: str
    issued: int = 1
    forced: int = 0

    async def token(self, *, force_refresh: bool = False) -> str:
        if force_refresh:
            self.forced += 1
            self.issued += 1
        return f"{self.kind}-token-{self.issued}"


@dataclass
class RecordingSleep:
    """Stands in for `asyncio.sleep`: records the waits, never waits."""

    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def config(**overrides: Any) -> PartnerCenterConfig:
    """A configuration for the scripted service, with jitter off."""
    fields: dict[str, Any] = {
        "base_url": BASE_URL,
        "tenant_id": "partner-tenant",
        "client_id": "client-id",
        "client_secret": SecretStr("client-secret-value"),
        "refresh_token": SecretStr("refresh-token-value"),
        "retry": RetryPolicy(jitter=0),
    }
    return PartnerCenterConfig(**{**fields, **overrides})


@dataclass
class Harness:
    """A client wired to a scripted Partner Center, fake tokens and a recording sleep."""

    server: ScriptedPartnerCenter
    client: PartnerCenterClient
    tokens: dict[TokenKind, FakeTokens]
    sleep: RecordingSleep


def harness(server: ScriptedPartnerCenter, **overrides: Any) -> Harness:
    """Build the `Harness` for `server`."""
    tokens = {kind: FakeTokens(kind.name.lower()) for kind in TokenKind}
    sleep = RecordingSleep()
    client = PartnerCenterClient(
        config(**overrides),
        transport=httpx.MockTransport(server),
        token_sources=tokens,
        sleep=sleep,
    )
    return Harness(server, client, tokens, sleep)
