"""Assembles the sandbox's Starlette app: every area's routes and time processors, the
request pipeline (processors, chaos, idempotent replay, persistence; see pipeline.py) and
the Partner Center error handlers.

An area module exposes `routes: list[BaseRoute]` and, when it has time-based work,
`PROCESSORS: list[Processor]`; adding it to `AREAS` wires both in.
"""

from __future__ import annotations

from types import ModuleType

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from o365portal.sandbox.billing import routes as billing_routes
from o365portal.sandbox.commerce import catalog_routes, order_routes, subscription_routes
from o365portal.sandbox.core import audit, chaos, control, identity, webhooks
from o365portal.sandbox.core.pipeline import SandboxPipeline
from o365portal.sandbox.core.state import Processor, SandboxState
from o365portal.sandbox.core.wire import PartnerCenterError, error_response
from o365portal.sandbox.directory import agreements, countries, customers, licenses, users

AREAS: tuple[ModuleType, ...] = (
    control,
    chaos,
    identity,
    customers,
    countries,
    agreements,
    users,
    licenses,
    audit,
    webhooks,
    catalog_routes,
    order_routes,
    subscription_routes,
    billing_routes,
)


def all_processors() -> list[Processor]:
    """The time processors of every area, in `AREAS` order."""
    return [processor for area in AREAS for processor in getattr(area, "PROCESSORS", [])]


async def _partner_center_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PartnerCenterError)
    return error_response(exc)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = 1000 if exc.status_code == 404 else 800002
    description = "Not found." if exc.status_code == 404 else str(exc.detail)
    return error_response(PartnerCenterError(exc.status_code, code, description))


def create_app(state: SandboxState) -> Starlette:
    """The sandbox ASGI app serving `state`."""
    processors = all_processors()
    chaos_settings = chaos.Chaos()
    app = Starlette(
        routes=[route for area in AREAS for route in area.routes],
        middleware=[
            Middleware(SandboxPipeline, state=state, processors=processors, chaos=chaos_settings)
        ],
        exception_handlers={PartnerCenterError: _partner_center_error, HTTPException: _http_error},
    )
    app.state.sandbox = state
    app.state.processors = processors
    app.state.chaos = chaos_settings
    return app
