"""A browser tab without a browser, for the authorisation matrix: events go through Reflex's own
event processor (state lock, background proxy, delta and event routing), and what would reach
the browser is kept.

`Tab(manager, token)` is one tab (one Reflex client token) of a signed-in or anonymous user:
`signed_in(session_token, router_data)` puts the session cookie into its `SessionState` and
the page's URL into its router data, as the browser's hydrate does; `send(handler, payload)`
runs one event handler as `app.event_processor` runs it when the browser sends the event,
and returns the `Frames` of that event: the deltas, the frontend events (toasts, redirects)
and the backend events it chained (they are not run: the matrix calls every handler itself).
`secrets_in(seen, ...)` finds in such values what a caller must not see: another
organization's marks, and costs or margins.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import reflex as rx
from reflex.istate.manager import StateManager
from reflex.utils.format import format_event_handler
from reflex_base.event import Event, EventHandler
from reflex_base.event.context import EventContext
from reflex_base.event.processor import BaseStateEventProcessor
from reflex_base.event.processor.event_processor import EventQueueEntry
from reflex_base.registry import RegisteredEventHandler, RegistrationContext
from reflex_base.utils.format import json_dumps

from o365portal.ui.session import SessionState

EVENT_SECONDS = 30  # one event, its background part included
SECRET_WORDS = ("cost", "margin")  # what a customer never sees


@dataclass
class Frames:
    """What one event sent towards the browser, as JSON-compatible values."""

    deltas: list[Any] = field(default_factory=list)
    frontend: list[Any] = field(default_factory=list)
    chained: list[str] = field(default_factory=list)
    error: str = ""  # the exception the handler raised (the browser sees none of it)

    @property
    def signed_out(self) -> bool:
        """The tab was sent to the sign-in page (`SessionState._to_login`)."""
        return "window.location.replace" in json.dumps(self.frontend)

    @property
    def error_toast(self) -> bool:
        """The handler answered with an error toast."""
        return '"error"' in json.dumps(self.frontend) and "toast" in json.dumps(self.frontend)


def plain(value: Any) -> Any:
    """A value as the browser receives it (Reflex's own serialisation)."""
    return json.loads(json_dumps(value))


def router_data(token: str, path: str, params: dict[str, str]) -> dict[str, Any]:
    """The router data the browser sends with an event on the page at `path`."""
    return {
        "token": token,
        "sid": f"sid-{token}",
        "pathname": path,
        "asPath": path,
        "query": params,
        "headers": {"origin": "http://localhost:3000"},
    }


class Tab:
    """One client token's state tree in `manager`, driven through Reflex's event processor."""

    def __init__(self, manager: StateManager, token: str, router: dict[str, Any]) -> None:
        self.manager, self.token, self.router = manager, token, router
        self._processor = BaseStateEventProcessor()

    def _key(self, cls: type[rx.State]) -> rx.BaseStateToken:
        return rx.BaseStateToken(ident=self.token, cls=cls)

    async def open(self, session_token: str) -> None:
        """The tab after hydration: its cookie and URL known to the backend."""
        async with self.manager.modify_state(self._key(SessionState)) as root:
            root.router_data = root._update_router_vars(self.router, {})
            session = await root.get_state(SessionState)
            assert isinstance(session, SessionState)
            session.session_token = session_token
            root._clean()

    async def state_of(self, cls: type[rx.State]) -> Any:
        """Every var of the state `cls` of this tab (computed ones too), as sent."""
        async with self.manager.modify_state(self._key(cls)) as root:
            state = await root.get_state(cls)
            values = {name: state.get_value(name) for name in state.base_vars}
            values |= {name: getattr(state, name) for name in state.computed_vars}
            return plain(values)

    async def send(
        self, cls: type[rx.State], handler: EventHandler, payload: dict[str, Any]
    ) -> Frames:
        """Run `handler` of `cls` with `payload` as the browser's event would."""
        frames = Frames()

        async def emit_delta(_: str, delta: Any) -> None:
            frames.deltas.append(plain(delta))

        async def emit_event(_: str, *events: Event) -> None:
            frames.frontend.extend(plain([e.name, e.payload]) for e in events)

        async def enqueue(_: str, *events: Event) -> None:
            frames.chained.extend(e.name for e in events)

        name = format_event_handler(handler)
        registered = RegistrationContext.ensure_context().event_handlers.get(name)
        context = EventContext(
            token=self.token,
            state_manager=self.manager,
            enqueue_impl=enqueue,
            emit_delta_impl=emit_delta,
            emit_event_impl=emit_event,
            router_data=self.router,
        )
        entry = EventQueueEntry(
            event=Event(name=name, router_data=self.router, payload=payload), ctx=context
        )
        run = self._processor._process_event_queue_entry(
            entry=entry,
            registered_handler=registered or RegisteredEventHandler(handler=handler, states=(cls,)),
        )
        try:
            await asyncio.wait_for(run, EVENT_SECONDS)
        except Exception as error:  # a refusal by shape or by rule: recorded, never raised
            frames.error = f"{type(error).__name__}: {error}"
        return frames


def _leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, path)
    else:
        yield path, value


def secrets_in(seen: Any, foreign: frozenset[str], sent: set[str], costs: bool) -> set[str]:
    """Foreign marks in the values of `seen` (except the caller's own arguments echoed), and,
    with `costs`, every non-empty value under a key that names a cost or a margin."""
    found: set[str] = set()
    for path, leaf in _leaves(seen):
        text = str(leaf)
        if text not in sent:
            found |= {f"{mark!r} at {'.'.join(path)}" for mark in foreign if mark in text}
        named = [k for k in path if any(word in k.lower() for word in SECRET_WORDS)]
        if costs and named and leaf not in (None, "", 0, False, "0"):
            found.add(f"{'.'.join(path)} = {text[:40]!r}")
    return found
