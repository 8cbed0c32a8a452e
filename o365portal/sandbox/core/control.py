"""The sandbox control API under `/_sandbox` (not part of Partner Center).

It needs no token, so the sandbox must only listen on loopback.
- `GET /_sandbox/health` -> `{"status": "ok", "now": ..., "partnerTenantId": ...}`
- `GET /_sandbox/clock` -> `{"now": iso, "frozen": bool}`
- `POST /_sandbox/clock` with `{"now": iso}` (move to an instant), `{"advance": "P8D"}`
  (ISO-8601 duration) and/or `{"frozen": true|false}` (stand still / tick again); the time
  processors run right after, so what became due happens at once. Answers like GET.
- `POST /_sandbox/reset` empties every data table and turns chaos off (apps, tokens, clock
  and certificates survive) -> 204.
- `/_sandbox/chaos` lives in chaos.py, `/_sandbox/webhook-cert.pem` in webhooks.py.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.chaos import chaos_of
from o365portal.sandbox.core.clock import parse_instant
from o365portal.sandbox.core.identity import sandbox_state
from o365portal.sandbox.core.pipeline import run_processors
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.wire import CIDict, PartnerCenterError, read_body


def _clock_body(state: SandboxState) -> dict[str, object]:
    return {"now": state.now().isoformat(), "frozen": state.clock.frozen}


async def health(request: Request) -> Response:
    """Liveness probe; also tells which partner tenant this sandbox simulates."""
    state = sandbox_state(request)
    return JSONResponse(
        {"status": "ok", "now": state.now().isoformat(), "partnerTenantId": state.partner_tenant_id}
    )


async def clock(request: Request) -> Response:
    """Read or move the sandbox clock."""
    state = sandbox_state(request)
    if request.method == "POST":
        body = await read_body(request)
        frozen = body.get("frozen")
        try:
            with state.lock:
                if body.get("now"):
                    state.clock.set(parse_instant(body.text("now")), frozen=frozen)
                elif frozen is not None:
                    state.clock.set(state.now(), frozen=bool(frozen))
                if body.get("advance"):
                    state.clock.advance(body.text("advance"))
        except ValueError as exc:
            raise PartnerCenterError(400, 2000, f"Invalid clock request: {exc}") from exc
        run_processors(state, request.app.state.processors)
    return JSONResponse(_clock_body(state))


async def reset(request: Request) -> Response:
    """Forget all sandbox data and chaos settings."""
    sandbox_state(request).reset()
    chaos_of(request).configure(CIDict())
    return Response(status_code=204)


routes: list[BaseRoute] = [
    Route("/_sandbox/health", health),
    Route("/_sandbox/clock", clock, methods=["GET", "POST"]),
    Route("/_sandbox/reset", reset, methods=["POST"]),
]
