"""The HTTP endpoint Partner Center posts webhook events to (`sync.EVENTS_PATH`), mounted on the
app's own port beside the pages."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from o365portal.services import sync
from o365portal.services.errors import ServiceError

logger = logging.getLogger("o365portal.sync")
MAX_BODY = 64 * 1024  # an event is a few hundred bytes


async def partner_center_event(request: Request) -> JSONResponse:
    """Verify and apply one event: 401 without a valid signature, 200 once applied, 503 when
    Partner Center could not be read (Partner Center posts again)."""
    body = b""
    async for chunk in request.stream():  # read no further than just past the cap
        body += chunk
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "The event is too large."}, status_code=413)
    try:
        changes = await sync.handle_event(body, dict(request.headers))
    except sync.WebhookRefused as refused:
        logger.warning("webhook refused: %s", refused)
        return JSONResponse({"error": str(refused)}, status_code=401)
    except ServiceError as failed:
        return JSONResponse({"error": str(failed)}, status_code=503)
    return JSONResponse({"changes": changes})


def events_api() -> Starlette:
    """The Starlette app Reflex mounts (`rx.App(api_transformer=...)`)."""
    return Starlette(routes=[Route(sync.EVENTS_PATH, partner_center_event, methods=["POST"])])
