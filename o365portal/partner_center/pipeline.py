"""One logical Partner Center call: headers, token, retries, logging and error mapping.

Every call gets a fresh `MS-RequestId` that stays the SAME on each of its retries, so Partner
Center (and the sandbox) can replay a request that succeeded but whose answer was lost. All calls
inside one `operation()` share an `MS-CorrelationId`; outside one, each call gets its own.
Network errors, timeouts and 5xx are retried with exponential backoff. Every attempt first waits
its turn at the client's `RateLimiter` (rate_limit.py): under `requests_per_minute`, and after a
429 until its `Retry-After` has passed - for every call of the app, not only the throttled one.
`CallStats` counts what the calls cost (requests, 429s, seconds waited, the busiest minute).
The log line of each attempt names method, path, status, duration and ids - never headers,
query strings or bodies, so tokens, secrets and passwords can't reach the logs.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
import uuid
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.config import PartnerCenterConfig
from o365portal.partner_center.errors import TransientError, error_from_response
from o365portal.partner_center.rate_limit import WINDOW_SECONDS, RateLimiter, Sleep

logger = logging.getLogger("o365portal.partner_center")

_correlation_id: ContextVar[str | None] = ContextVar("pc_correlation_id", default=None)


@contextmanager
def operation(correlation_id: str | None = None) -> Iterator[str]:
    """Group the calls made inside the block under one `MS-CorrelationId` (yielded); a nested
    operation joins the enclosing one unless given its own id."""
    value = correlation_id or _correlation_id.get() or str(uuid.uuid4())
    token = _correlation_id.set(value)
    try:
        yield value
    finally:
        _correlation_id.reset(token)


@dataclass(frozen=True)
class CallStats:
    """What one client's calls have cost so far (`PartnerCenterClient.stats`).

    `calls` counts logical calls, `requests` the HTTP requests sent (retries included),
    `throttled` the 429 answers. The waits are seconds: for the rate limit, for 429s'
    `Retry-After` (also when another call was throttled), and the back-off between retries of
    errors. `elapsed` runs from the first request sent to the last answer; `busiest_minute` is
    the most requests this client started within 60 seconds; `bound` is its limiter's
    `requests_per_minute`.
    """

    bound: int | None = None
    calls: int = 0
    requests: int = 0
    throttled: int = 0
    rate_limit_wait: float = 0.0
    retry_after_wait: float = 0.0
    backoff_wait: float = 0.0
    elapsed: float = 0.0
    busiest_minute: int = 0

    @property
    def requests_per_minute(self) -> float | None:
        """Requests per minute over `elapsed` (None before any time has passed)."""
        return self.requests * 60 / self.elapsed if self.elapsed > 0 else None

    @property
    def fraction_of_bound(self) -> float | None:
        """`busiest_minute` as a fraction of the bound (None without one): how close the client
        came to it (at most 1; clients sharing the limiter share the bound)."""
        return self.busiest_minute / self.bound if self.bound else None


class _Counters:
    """The mutable tallies behind `CallStats`."""

    def __init__(self) -> None:
        self.calls = self.requests = self.throttled = self.busiest_minute = 0
        self.rate_limit_wait = self.retry_after_wait = self.backoff_wait = 0.0
        self.first_sent: float | None = None
        self.last_answered = 0.0
        self.recent: deque[float] = deque()

    def sent(self, now: float) -> None:
        self.requests += 1
        if self.first_sent is None:
            self.first_sent = now
        while self.recent and self.recent[0] <= now - WINDOW_SECONDS:
            self.recent.popleft()
        self.recent.append(now)
        self.busiest_minute = max(self.busiest_minute, len(self.recent))


class Pipeline:
    """Sends requests for the client's area objects."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        config: PartnerCenterConfig,
        auths: Mapping[TokenKind, httpx.Auth],
        sleep: Sleep,
        limiter: RateLimiter,
    ) -> None:
        self._http = http
        self._config = config
        self._auths = auths
        self._sleep = sleep
        self._limiter = limiter
        self._counters = _Counters()
        t = config.timeouts
        self._timeout = httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool)

    def stats(self) -> CallStats:
        """A snapshot of the counters of the calls made so far."""
        c = self._counters
        return CallStats(
            bound=self._limiter.per_minute,
            calls=c.calls,
            requests=c.requests,
            throttled=c.throttled,
            rate_limit_wait=c.rate_limit_wait,
            retry_after_wait=c.retry_after_wait,
            backoff_wait=c.backoff_wait,
            elapsed=0.0 if c.first_sent is None else c.last_answered - c.first_sent,
            busiest_minute=c.busiest_minute,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        kind: TokenKind = TokenKind.APP,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one logical call (with retries); return the successful response or raise."""
        ids = {
            "MS-RequestId": str(uuid.uuid4()),
            "MS-CorrelationId": _correlation_id.get() or str(uuid.uuid4()),
        }
        request = self._http.build_request(
            method,
            f"{self._config.base_url}{path}",
            params=params,
            json=json,
            headers={"Accept": "application/json", **ids, **(headers or {})},
            timeout=self._timeout,
        )
        self._counters.calls += 1
        return await self._send_with_retries(request, kind)

    async def _send_with_retries(self, request: httpx.Request, kind: TokenKind) -> httpx.Response:
        policy = self._config.retry
        failures = throttles = 0
        while True:
            waited = await self._limiter.wait_turn(self._sleep)
            self._counters.rate_limit_wait += waited.rate_limit
            self._counters.retry_after_wait += waited.retry_after
            response = await self._attempt(request, kind, failures + throttles + 1)
            if response is None or response.status_code >= 500 or response.status_code == 408:
                failures += 1
                if failures >= policy.max_attempts:
                    raise self._final_error(request, response)
                backoff = self._backoff(failures)
                self._counters.backoff_wait += backoff
                await self._sleep(backoff)
            elif response.status_code == 429:
                wait = retry_after_seconds(response, policy.default_retry_after)
                throttles += 1
                self._counters.throttled += 1
                # Every call of the app waits (at its next turn), this one's retry included.
                self._limiter.pause_until(self._limiter.clock() + min(wait, policy.retry_after_cap))
                if throttles > policy.max_throttled_retries:
                    raise self._final_error(request, response, retry_after=wait)
            elif response.is_error:
                raise self._final_error(request, response)
            else:
                return response

    async def _attempt(
        self, request: httpx.Request, kind: TokenKind, attempt: int
    ) -> httpx.Response | None:
        started = time.monotonic()
        self._counters.sent(self._limiter.clock())
        try:
            response = await self._http.send(request, auth=self._auths[kind])
        except httpx.TransportError as exc:
            self._log(request, type(exc).__name__, started, attempt, logging.WARNING)
            return None
        finally:
            self._counters.last_answered = self._limiter.clock()
        level = logging.WARNING if response.status_code >= 500 else logging.INFO
        self._log(request, str(response.status_code), started, attempt, level)
        return response

    def _backoff(self, retry_number: int) -> float:
        policy = self._config.retry
        return policy.backoff(retry_number) * (1 + policy.jitter * random.random())

    def _final_error(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        retry_after: float | None = None,
    ) -> Exception:
        request_id = request.headers["MS-RequestId"]
        correlation_id = request.headers["MS-CorrelationId"]
        if response is None:
            return TransientError(
                f"{request.method} {request.url.path} failed: no response",
                request_id=request_id,
                correlation_id=correlation_id,
            )
        return error_from_response(
            response,
            retry_after=retry_after,
            request_id=request_id,
            correlation_id=correlation_id,
        )

    @staticmethod
    def _log(
        request: httpx.Request, outcome: str, started: float, attempt: int, level: int
    ) -> None:
        logger.log(
            level,
            "Partner Center %s %s -> %s in %.0f ms (attempt %d, request id %s, correlation id %s)",
            request.method,
            request.url.path,
            outcome,
            (time.monotonic() - started) * 1000,
            attempt,
            request.headers["MS-RequestId"],
            request.headers["MS-CorrelationId"],
        )


def retry_after_seconds(response: httpx.Response, default: float) -> float:
    """Seconds from a `Retry-After` header (delta-seconds or HTTP date), else `default`."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
