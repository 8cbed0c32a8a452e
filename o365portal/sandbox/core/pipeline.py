"""The request pipeline around every sandbox route (one ASGI middleware).

For each HTTP request, in order:
1. run the time processors (`run_processors`) with the sandbox clock, except for the control
   API (so health and reset keep working even if a processor fails; the clock route runs them
   itself);
2. for Partner Center routes (`/v1`, `/webhooks`, `/auditactivity`): require a valid bearer
   token (401 code 800001 otherwise, before routing), apply chaos (rate limit,
   latency, injected faults; see chaos.py), then replay a stored response when a mutating
   request repeats an `MS-RequestId` of the same client (reference §12 item 4);
3. call the route, echo `MS-RequestId` / `MS-CorrelationId`, store the response for replay;
4. save the state (when it has a data dir and the data changed).
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from o365portal.sandbox.core.chaos import (
    Chaos,
    rejection_response,
    server_error_response,
    throttle_response,
)
from o365portal.sandbox.core.clock import parse_instant
from o365portal.sandbox.core.identity import authenticate
from o365portal.sandbox.core.rows import REPLAYS, ReplayRow
from o365portal.sandbox.core.state import Processor, SandboxState
from o365portal.sandbox.core.wire import PartnerCenterError, error_response

PARTNER_CENTER_PREFIXES = ("/v1/", "/webhooks/", "/auditactivity/")
CONTROL_PREFIX = "/_sandbox/"
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAY_DAYS = 7


def run_processors(state: SandboxState, processors: Sequence[Processor]) -> None:
    """Run every time processor once with the current sandbox instant."""
    with state.lock:
        now = state.now()
        for processor in processors:
            processor(state, now)


class _Captured:
    """A response captured from the inner app, to be stored and sent later."""

    def __init__(self) -> None:
        self.start: Message = {}
        self.body = b""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")


class SandboxPipeline:
    """ASGI middleware implementing the steps in the module docstring."""

    def __init__(
        self, app: ASGIApp, state: SandboxState, processors: Sequence[Processor], chaos: Chaos
    ) -> None:
        self.app, self.state, self.processors, self.chaos = app, state, processors, chaos

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            if not scope["path"].startswith(CONTROL_PREFIX):
                run_processors(self.state, self.processors)
            if scope["path"].startswith(PARTNER_CENTER_PREFIXES):
                await self._partner_center(scope, receive, send)
            else:
                await self.app(scope, receive, send)
        finally:
            self.state.save_if_changed()

    async def _partner_center(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        ids = {
            "MS-RequestId": headers.get("ms-requestid") or str(uuid.uuid4()),
            "MS-CorrelationId": headers.get("ms-correlationid") or str(uuid.uuid4()),
        }
        method, path = scope["method"], scope["path"]
        try:
            client_id = authenticate(self.state, headers.get("authorization")).client_id
        except PartnerCenterError as exc:
            await _send_response(send, _as_captured(error_response(exc)), ids)
            return
        if self.chaos.latency_seconds:
            await asyncio.sleep(self.chaos.latency_seconds)
        fault = self.chaos.pick_fault(method, path)
        refusal = self._refusal(client_id, fault)
        if refusal is not None:
            await _send_response(send, _as_captured(refusal), ids)
            return
        replay_key = None
        if method in MUTATING and headers.get("ms-requestid"):
            replay_key = _replay_key(client_id, ids["MS-RequestId"], method, path)
        captured = self._replayed(replay_key) or await self._run(scope, receive, replay_key)
        if fault == "timeout":
            await self._hang(receive)
            captured = _as_captured(error_response(PartnerCenterError(504, 0, "Gateway timeout.")))
        await _send_response(send, captured, ids)

    def _refusal(self, client_id: str, fault: str | None) -> Response | None:
        """The answer given instead of running the route: rate limit or injected fault."""
        retry_after = self.chaos.retry_after(client_id)
        if retry_after is not None:
            return throttle_response(retry_after)
        if fault == "throttle429":
            return throttle_response(1)
        if fault == "error500":
            return server_error_response()
        if fault is not None and fault.startswith("reject:"):
            return rejection_response(int(fault.removeprefix("reject:")))
        return None

    async def _run(self, scope: Scope, receive: Receive, replay_key: str | None) -> _Captured:
        captured = _Captured()
        await self.app(scope, receive, captured.send)
        status = int(captured.start.get("status", 500))
        if replay_key and status < 500 and status not in (401, 429):
            self._store(replay_key, captured)
        return captured

    def _store(self, key: str, captured: _Captured) -> None:
        with self.state.lock:
            table = self.state.table(REPLAYS)
            now = self.state.now()
            _forget_before(table, now - timedelta(days=REPLAY_DAYS))
            raw_headers = captured.start.get("headers", [])
            table[key] = {
                "storedAt": now.isoformat(),
                "status": captured.start["status"],
                "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in raw_headers],
                "body": captured.body.decode("utf-8"),
            }

    def _replayed(self, key: str | None) -> _Captured | None:
        stored = self.state.table(REPLAYS).get(key) if key else None
        if stored is None:
            return None
        captured = _Captured()
        captured.start = {
            "type": "http.response.start",
            "status": stored["status"],
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored["headers"]],
        }
        captured.body = stored["body"].encode("utf-8")
        return captured

    async def _hang(self, receive: Receive) -> None:
        async def disconnected() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        try:
            await asyncio.wait_for(disconnected(), timeout=self.chaos.hang_seconds)
        except TimeoutError:
            return


def _forget_before(table: dict[str, ReplayRow], oldest: datetime) -> None:
    for key in [k for k, v in table.items() if parse_instant(v["storedAt"]) < oldest]:
        del table[key]


def _replay_key(client_id: str, request_id: str, method: str, path: str) -> str:
    return hashlib.sha256(f"{client_id}|{request_id}|{method}|{path}".encode()).hexdigest()


def _as_captured(response: Response) -> _Captured:
    captured = _Captured()
    captured.start = {
        "type": "http.response.start",
        "status": response.status_code,
        "headers": response.raw_headers,
    }
    captured.body = bytes(response.body)
    return captured


async def _send_response(send: Send, captured: _Captured, ids: dict[str, str]) -> None:
    start = dict(captured.start)
    headers = MutableHeaders(raw=list(start.get("headers", [])))
    for name, value in ids.items():
        headers[name] = value
    headers["content-length"] = str(len(captured.body))
    start["headers"] = headers.raw
    await send(start)
    await send({"type": "http.response.body", "body": captured.body})
