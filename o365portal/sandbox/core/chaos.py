"""Throttling and fault injection for rehearsing failures (`POST /_sandbox/chaos`).

Configuration (every key optional; a POST replaces the whole configuration):

    {"rateLimitPerMinute": 30,          # per client id, sliding 60 s window of real time
     "latencyMs": 50,                   # added before every Partner Center request
     "routes": {"POST /v1/customers/*/carts/*/checkout":
                    {"timeout": 0.5, "error500": 0.2, "throttle429": 0.1}},
     "nextFailures": [{"route": "POST /v1/customers/*/carts/*/checkout",
                       "fault": "timeout", "count": 1},
                      {"route": "POST /v1/customers", "fault": "reject", "code": 600050}],
     "hangSeconds": 30,                 # how long an injected timeout holds the response
     "seed": 1}                         # makes the probabilities repeatable

Route patterns are `METHOD /path` with `*` matching one path segment (`*` as method matches
any). `nextFailures` are consumed first, in order, by the next matching requests, so tests
are deterministic; then the per-route probabilities apply (checked in the order timeout,
error500, throttle429).

Faults: `throttle429` answers 429 with `Retry-After` and Partner Center's throttling body
(`{"statusCode":429,"message":"Rate limit is exceeded. Try again in N seconds."}`);
`error500` answers 500 code 800003 without doing the work; `timeout` lets the operation run
and take effect, then holds the response for `hangSeconds` (or until the client gives up)
and finally answers 504, so a client sees a timeout although the server did the work.
`reject` (only in `nextFailures`, with a Partner Center error `code`) answers 400 with that
code without doing the work: a refusal the request itself would not cause.
Chaos applies only to Partner Center routes (`/v1`, `/webhooks`, `/auditactivity`), never to
the token endpoint or `/_sandbox`.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.wire import CIDict, PartnerCenterError, read_body

FAULTS = ("timeout", "error500", "throttle429")
REJECT = "reject"  # nextFailures only
WINDOW_SECONDS = 60.0


def route_matches(pattern: str, method: str, path: str) -> bool:
    """Whether `METHOD /a/*/b` matches a request (`*` = one segment, case-insensitive)."""
    want_method, _, want_path = pattern.strip().partition(" ")
    if want_method not in ("*", method.upper()):
        return False
    wanted = want_path.strip().strip("/").lower().split("/")
    actual = path.strip("/").lower().split("/")
    return len(wanted) == len(actual) and all(
        w in ("*", a) for w, a in zip(wanted, actual, strict=True)
    )


def throttle_response(retry_after: int) -> Response:
    """Partner Center's 429 answer (reference §11.1)."""
    return JSONResponse(
        {
            "statusCode": 429,
            "message": f"Rate limit is exceeded. Try again in {retry_after} seconds.",
        },
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )


def server_error_response() -> Response:
    """An injected 500 in Partner Center's error shape."""
    error = PartnerCenterError(500, 800003, "An unexpected service error occurred.")
    return JSONResponse(error.to_body(), status_code=500)


def rejection_response(code: int) -> Response:
    """An injected 400 refusal with Partner Center's error `code`."""
    error = PartnerCenterError(400, code, f"Refused by the sandbox's chaos (code {code}).")
    return JSONResponse(error.to_body(), status_code=400)


@dataclass
class _Failure:
    route: str
    fault: str
    remaining: int
    code: int = 0


@dataclass
class Chaos:
    """The active chaos configuration and its per-client request history."""

    config: dict[str, Any] = field(default_factory=dict)
    random: random.Random = field(default_factory=random.Random)
    _failures: list[_Failure] = field(default_factory=list)
    _history: dict[str, deque[float]] = field(default_factory=dict)

    @property
    def latency_seconds(self) -> float:
        """Latency added before each Partner Center request."""
        return float(self.config.get("latencyMs", 0)) / 1000

    @property
    def hang_seconds(self) -> float:
        """How long an injected timeout holds its response."""
        return float(self.config.get("hangSeconds", 30))

    def configure(self, body: CIDict) -> None:
        """Replace the configuration with a validated `POST /_sandbox/chaos` body."""
        config = _validated(body)
        self.config = config
        self.random = random.Random(config.get("seed"))
        self._failures = [
            _Failure(item["route"], item["fault"], item["count"], item.get("code", 0))
            for item in config["nextFailures"]
        ]
        self._history.clear()

    def retry_after(self, client_id: str, now: float | None = None) -> int | None:
        """Seconds the client must wait under the rate limit, or None when it may proceed."""
        limit = self.config.get("rateLimitPerMinute")
        if not limit:
            return None
        moment = time.monotonic() if now is None else now
        history = self._history.setdefault(client_id, deque())
        while history and history[0] <= moment - WINDOW_SECONDS:
            history.popleft()
        if len(history) >= int(limit):
            return max(1, math.ceil(history[0] + WINDOW_SECONDS - moment))
        history.append(moment)
        return None

    def pick_fault(self, method: str, path: str) -> str | None:
        """The fault to inject into this request, if any (`reject:<code>` for a refusal)."""
        for failure in self._failures:
            if failure.remaining > 0 and route_matches(failure.route, method, path):
                failure.remaining -= 1
                return f"{REJECT}:{failure.code}" if failure.fault == REJECT else failure.fault
        for pattern, faults in self.config.get("routes", {}).items():
            if route_matches(pattern, method, path):
                return self._draw(faults)
        return None

    def _draw(self, faults: dict[str, float]) -> str | None:
        for fault in FAULTS:
            if self.random.random() < faults.get(fault, 0):
                return fault
        return None

    def to_json(self) -> dict[str, Any]:
        """The configuration with the remaining counts of `nextFailures`."""
        failures = [
            {"route": f.route, "fault": f.fault, "count": f.remaining}
            | ({"code": f.code} if f.fault == REJECT else {})
            for f in self._failures
        ]
        return {**self.config, "nextFailures": failures}


def _validated(body: CIDict) -> dict[str, Any]:
    routes: dict[str, dict[str, float]] = {}
    for pattern, faults in body.child("routes").items():
        faults_ci = faults if isinstance(faults, CIDict) else CIDict()
        routes[pattern] = {name: _probability(faults_ci.get(name, 0)) for name in FAULTS}
    failures = [_failure(item) for item in body.get("nextFailures") or []]
    config: dict[str, Any] = {"routes": routes, "nextFailures": failures}
    for key in ("rateLimitPerMinute", "latencyMs", "hangSeconds", "seed"):
        if body.get(key) is not None:
            config[key] = body[key]
    return config


def _failure(item: Any) -> dict[str, Any]:
    faults = (*FAULTS, REJECT)
    if not isinstance(item, CIDict) or item.text("fault") not in faults or not item.text("route"):
        raise PartnerCenterError(
            400, 2000, f"nextFailures items need a route and a fault {faults}."
        )
    fault = item.text("fault")
    failure = {"route": item.text("route"), "fault": fault, "count": int(item.get("count", 1))}
    if fault == REJECT:
        if not isinstance(item.get("code"), int):
            raise PartnerCenterError(400, 2000, "A reject fault needs a Partner Center error code.")
        failure["code"] = item["code"]
    return failure


def _probability(value: Any) -> float:
    probability = float(value)
    if not 0 <= probability <= 1:
        raise PartnerCenterError(400, 2000, "Fault probabilities must be between 0 and 1.")
    return probability


def chaos_of(request: Request) -> Chaos:
    """The app's `Chaos` instance."""
    chaos: Chaos = request.app.state.chaos
    return chaos


async def chaos_endpoint(request: Request) -> Response:
    """`GET` shows and `POST` replaces the chaos configuration (`{}` turns chaos off)."""
    chaos = chaos_of(request)
    if request.method == "POST":
        chaos.configure(await read_body(request))
    return JSONResponse(chaos.to_json())


routes: list[BaseRoute] = [Route("/_sandbox/chaos", chaos_endpoint, methods=["GET", "POST"])]
