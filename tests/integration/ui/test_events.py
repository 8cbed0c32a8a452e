"""ui/events.data_event on a real session in the database, without a browser.

A probe state's handlers stand for the page handlers: what the helper does around them is
what every page handler gets.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import reflex as rx

from o365portal.config import get_settings
from o365portal.services import accounts
from o365portal.services.errors import InvalidInput, NotFound
from o365portal.services.principal import Principal
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState
from tests.builders import new_broker

STARTED, RELEASE = threading.Event(), threading.Event()
GONE = NotFound("organization")


class EventProbeState(SessionState):
    """Handlers written the way page handlers are."""

    seen: str = ""
    errors: dict[str, str] = {}
    missing: bool = False
    problems: list[str] = []

    @data_event
    def note(self, principal: Principal, text: str) -> None:
        self.seen = f"{principal.email}: {text}"

    @data_event
    async def note_on_the_loop(self, principal: Principal, text: str) -> None:
        await asyncio.sleep(0)  # awaits something, as a guard awaits its feed
        self.seen = f"{principal.email} on the loop: {text}"

    @data_event
    async def refuse_on_the_loop(self, principal: Principal) -> None:
        raise GONE

    @data_event
    def refuse_input(self, principal: Principal) -> None:
        self.seen = "ran"
        raise InvalidInput({"name": "Type a name."})

    @data_event
    def refuse(self, principal: Principal) -> None:
        raise GONE

    @data_event(show_in="missing")
    def refuse_page(self, principal: Principal) -> None:
        raise GONE

    @data_event(show_in="problems")
    def refuse_list(self, principal: Principal) -> None:
        raise GONE

    @data_event(form="", quiet=False)
    def refuse_unshown_field(self, principal: Principal) -> None:
        raise InvalidInput({"quantity": "Order at least 1 seat."})

    @data_event(quiet=True)
    def refuse_quietly(self, principal: Principal) -> None:
        raise GONE

    @data_event
    def wait_for_another_user(self, principal: Principal) -> None:
        STARTED.set()  # a slow service call: it ends when something else on the loop ends it
        self.seen = "released" if RELEASE.wait(timeout=5) else "the event loop was blocked"


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _probe(token: str) -> EventProbeState:
    root = rx.State()
    session = root.get_substate(SessionState.get_full_name().split(".")[1:])
    session.session_token = token
    probe = root.get_substate(EventProbeState.get_full_name().split(".")[1:])
    assert isinstance(probe, EventProbeState)
    return probe


def _signed_in() -> tuple[EventProbeState, str]:
    broker = new_broker()
    signed_in = accounts.sign_in(email=broker.email, password=broker.password)
    return _probe(signed_in.token), broker.email


def _toast_text(spec: object) -> str:
    return str(getattr(spec, "args", ""))


async def test_the_handler_gets_the_sessions_account_and_its_own_arguments(database: None) -> None:
    probe, email = _signed_in()
    assert await probe.note("hello") is None
    assert probe.seen == f"{email}: hello"


async def test_an_async_handler_runs_on_the_loop_with_the_sessions_account(
    database: None,
) -> None:
    probe, email = _signed_in()
    assert await probe.note_on_the_loop("hello") is None
    assert probe.seen == f"{email} on the loop: hello"
    assert str(GONE) in _toast_text(await probe.refuse_on_the_loop())
    signed_out = _probe("")
    assert "window.location.replace" in str(await signed_out.note_on_the_loop("no"))
    assert signed_out.seen == ""


async def test_without_a_session_the_tab_is_signed_out_and_the_handler_never_runs(
    database: None,
) -> None:
    for token in ("", "not-a-live-session"):
        probe = _probe(token)
        answer = await probe.refuse_input()
        assert probe.seen == "" and probe.errors == {}
        assert "window.location.replace" in str(answer) and "/login" in str(answer)


async def test_an_ended_session_signs_the_tab_out(database: None) -> None:
    probe, _ = _signed_in()
    accounts.sign_out(probe.parent_state.session_token)  # type: ignore[union-attr]
    answer = await probe.note("after sign-out")
    assert probe.seen == ""
    assert "window.location.replace" in str(answer)


async def test_refused_input_goes_to_the_form_and_other_refusals_to_a_toast(
    database: None,
) -> None:
    probe, _ = _signed_in()
    assert await probe.refuse_input() is None
    assert probe.seen == "ran" and probe.errors == {"name": "Type a name."}

    toast = await probe.refuse()
    assert str(GONE) in _toast_text(toast)


async def test_a_refusal_can_go_to_a_var_the_page_shows_or_nowhere(database: None) -> None:
    probe, _ = _signed_in()
    assert await probe.refuse_page() is None
    assert probe.missing is True
    assert await probe.refuse_list() is None
    assert probe.problems == [str(GONE)]
    assert await probe.refuse_quietly() is None


async def test_field_messages_no_form_shows_are_said_in_the_toast(database: None) -> None:
    probe, _ = _signed_in()
    toast = await probe.refuse_unshown_field()
    assert "Order at least 1 seat." in _toast_text(toast)
    assert probe.errors == {}


async def test_a_slow_handler_leaves_the_event_loop_to_everyone_else(database: None) -> None:
    """The body blocks until code on the event loop releases it: run on the loop (as Reflex
    runs a plain handler), it would block that code for the whole wait and never be released."""
    STARTED.clear()
    RELEASE.clear()
    probe, _ = _signed_in()
    slow = asyncio.create_task(probe.wait_for_another_user())
    assert await asyncio.to_thread(STARTED.wait, 5)
    RELEASE.set()  # another user's event, served while the slow one waits
    await slow
    assert probe.seen == "released"


def test_reflex_sees_the_handlers_own_arguments_only() -> None:
    handler = EventProbeState.event_handlers["note"]
    assert list(handler.get_parameters()) == ["self", "text"]
    assert handler._get_type_hints() == {"text": str, "return": type(None)}


def test_a_handler_without_the_principal_parameter_is_refused() -> None:
    with pytest.raises(TypeError, match="takes \\(self, principal"):

        @data_event
        def wrong(self: object, text: str) -> None: ...

    with pytest.raises(TypeError, match="async def"):

        @data_event(background=True)
        def not_async(self: object, principal: Principal) -> None: ...
