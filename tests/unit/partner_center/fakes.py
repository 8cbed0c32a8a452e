"""Readable fakes for the client's seams: a scripted Partner Center behind
`httpx.MockTransport`, token sources, and a sleep that only records and moves a fake clock."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig, RetryPolicy
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.rate_limit import RateLimiter

BASE_URL = "https://pc.test"
T = TypeVar("T")
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
    """Stands in for `asyncio.sleep`: records the waits and moves `now` on by them, never waits.
    `clock` is the matching monotonic clock (for `RateLimiter(clock=...)`)."""

    waits: list[float] = field(default_factory=list)
    now: float = 1000.0

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        """The fake time: the start plus every wait so far."""
        return self.now


class VirtualTime:
    """Fake time for concurrent tasks: `sleep` blocks a task until `run` moves `now` to its
    wake-up time, which `run` does only when every task it runs is asleep (or done), earliest
    sleeper first. `clock` reads `now`; `waits` records each sleep asked for."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.waits: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        """The fake monotonic time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Block until `run` reaches `now + seconds`."""
        self.waits.append(seconds)
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), woken))
        await woken

    async def run(self, *work: Awaitable[T]) -> list[T]:
        """Run `work` concurrently to the end, moving time on whenever all of it sleeps."""
        tasks = [asyncio.ensure_future(item) for item in work]
        for _ in range(100_000):
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            await asyncio.sleep(0)
            running = sum(not task.done() for task in tasks)
            if self._sleepers and len(self._sleepers) == running:
                when, _, woken = heapq.heappop(self._sleepers)
                self.now = max(self.now, when)
                woken.set_result(None)
        raise AssertionError("the tasks neither finish nor sleep")


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
    """A client wired to a scripted Partner Center, fake tokens, a recording sleep and a rate
    limiter of its own on the sleep's fake clock."""

    server: ScriptedPartnerCenter
    client: PartnerCenterClient
    tokens: dict[TokenKind, FakeTokens]
    sleep: RecordingSleep


def harness(server: ScriptedPartnerCenter, **overrides: Any) -> Harness:
    """Build the `Harness` for `server`."""
    tokens = {kind: FakeTokens(kind.name.lower()) for kind in TokenKind}
    sleep = RecordingSleep()
    client_config = config(**overrides)
    client = PartnerCenterClient(
        client_config,
        transport=httpx.MockTransport(server),
        token_sources=tokens,
        sleep=sleep,
        rate_limiter=RateLimiter(client_config.requests_per_minute, clock=sleep.clock),
    )
    return Harness(server, client, tokens, sleep)
