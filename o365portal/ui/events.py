"""The one helper every event handler that reads or changes data goes through: `data_event`.

    @data_event
    def save(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec | None:
        self.form_values = form
        view = organizations.update_organization(actor=principal, ..., form=form)
        ...

The decorator, for every call:
- resolves the signed-in account from the session cookie (a database read, in a worker
  thread) and passes it to the handler as `principal`; when the session is gone the tab is
  signed out afresh (`SessionState._to_login`) and the handler does not run. Reflex runs every
  on_load handler even after a guard redirects, so this is what keeps data out of a signed-out
  or wrong-role tab, together with the services' own permission checks;
- keeps the event loop free: a plain handler's body (synchronous, like the services it calls)
  runs in a worker thread while Reflex holds this tab's state lock, so no other event of the
  tab touches the state meanwhile and every other tab is served;
  a `background=True` handler is an `async def` that edits its state in `async with self:`
  blocks and awaits `asyncio.to_thread` for a synchronous service call; a plain `async def`
  (no `background`) runs on the event loop holding the tab's lock: only for bodies that await
  other states and call nothing that blocks (the guards linking the tab to its live feed);
- turns a refused service call into what the user sees: `InvalidInput`'s field messages go to
  the state's form-error dict (`form=`, "errors" unless told; `form=""` where the form shows
  none of the fields), any other `ServiceError` to an error toast, or instead to a var the
  page shows (`show_in=`: a bool var such as a not-found flag is set, a str var takes the
  message, a list var a list of it), or nowhere for a hint that may fail (`quiet=True`).
  A handler catches a service error itself only where one kind of error means something
  particular on its page (a price below cost asks for confirmation, a taken domain is said at
  the domain field).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import reflex as rx

from o365portal.services import accounts
from o365portal.services.errors import InvalidInput, ServiceError
from o365portal.services.principal import Principal

BACKGROUND_TOAST_MS = 10000  # background events report Partner Center's answers: longer to read


class SignedInState(Protocol):
    """A state that can see the session cookie (SessionState and its page states)."""

    session_token: str


def principal_for(token: str) -> Principal | None:
    """The account behind a session cookie's token, or None (a database read: call it in a
    worker thread from an event)."""
    return accounts.principal_for(token) if token else None


async def signed_in(state: SignedInState) -> Principal | None:
    """The account of a plain handler's session, read off the event loop."""
    return await asyncio.to_thread(principal_for, state.session_token)


@dataclass(frozen=True)
class _OnError:
    form: str
    show_in: str | None
    quiet: bool
    toast_ms: int | None

    def show(self, state: Any, error: ServiceError) -> rx.event.EventSpec | None:
        if isinstance(error, InvalidInput) and self.form and hasattr(state, self.form):
            setattr(state, self.form, error.field_errors)
        elif self.show_in:
            shown = getattr(state, self.show_in)
            if isinstance(shown, bool):
                setattr(state, self.show_in, True)
            elif isinstance(shown, list):
                setattr(state, self.show_in, [_text(error)])
            else:
                setattr(state, self.show_in, _text(error))
        elif not self.quiet:
            return rx.toast.error(_text(error), duration=self.toast_ms)
        return None


def _text(error: ServiceError) -> str:
    """The message to show: a refused input's own field messages where no form shows them."""
    if isinstance(error, InvalidInput) and error.field_errors:
        return " ".join(error.field_errors.values())
    return str(error)


def data_event(
    fn: Callable[..., Any] | None = None,
    *,
    background: bool = False,
    form: str = "errors",
    show_in: str | None = None,
    quiet: bool = False,
) -> Any:
    """Make `fn(self, principal, *args)` a Reflex event handler `(self, *args)` (see above).

    Used bare (`@data_event`) or with options (`@data_event(background=True, show_in="error")`).
    """
    on_error = _OnError(form, show_in, quiet, BACKGROUND_TOAST_MS if background else None)

    def decorate(body: Callable[..., Any]) -> Any:
        on_loop = inspect.iscoroutinefunction(body)
        if background and not on_loop:
            raise TypeError(f"{body.__qualname__}: a background data_event is an async def")
        if background:
            handler = _background(body, on_error)
        else:
            handler = _on_loop(body, on_error) if on_loop else _plain(body, on_error)
        _without_principal(handler, body)
        handler.resolves_session = True  # see is_data_event
        return rx.event(handler, background=background)

    return decorate(fn) if fn is not None else decorate


def is_data_event(handler: rx.event.EventHandler) -> bool:
    """Whether a Reflex event handler was made by `data_event` (so it resolves the session)."""
    return getattr(handler.fn, "resolves_session", False) is True


def _plain(body: Callable[..., Any], on_error: _OnError) -> Callable[..., Any]:
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        principal = principal_for(self.session_token)
        if principal is None:
            return self._to_login()
        try:
            return body(self, principal, *args, **kwargs)
        except ServiceError as error:
            return on_error.show(self, error)

    @functools.wraps(body)
    async def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(run, self, *args, **kwargs)  # one hop: session and body

    return handler


def _on_loop(body: Callable[..., Any], on_error: _OnError) -> Callable[..., Any]:
    @functools.wraps(body)
    async def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        principal = await signed_in(self)
        if principal is None:
            return self._to_login()
        try:
            return await body(self, principal, *args, **kwargs)
        except ServiceError as error:
            return on_error.show(self, error)

    return handler


def _background(body: Callable[..., Any], on_error: _OnError) -> Callable[..., Any]:
    @functools.wraps(body)
    async def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        async with self:
            token = self.session_token
        principal = await asyncio.to_thread(principal_for, token)
        if principal is None:
            async with self:
                return self._to_login()
        try:
            return await body(self, principal, *args, **kwargs)
        except ServiceError as error:
            async with self:
                return on_error.show(self, error)

    return handler


def _without_principal(handler: Callable[..., Any], body: Callable[..., Any]) -> None:
    """Show Reflex the handler's own arguments (it reads them to convert the browser's values)."""
    signature = inspect.signature(body)
    params = list(signature.parameters.values())
    if len(params) < 2 or params[1].name != "principal":
        raise TypeError(f"{body.__qualname__}: a data_event takes (self, principal, ...)")
    handler.__signature__ = signature.replace(parameters=[params[0], *params[2:]])
    handler.__annotations__ = {k: v for k, v in body.__annotations__.items() if k != "principal"}
