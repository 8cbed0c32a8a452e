"""The page registry (ui/routes.PAGES) against the app built from it, without a browser."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from o365portal.o365portal import app
from o365portal.ui import routes
from o365portal.ui.accounts.login import LoginState
from o365portal.ui.events import is_data_event
from o365portal.ui.session import SessionState, guard_for

UI = Path(__file__).parents[3] / "o365portal" / "ui"


def _key(route: str) -> str:
    """How Reflex keys a route: no leading slash, "/" is "index"."""
    return route.strip("/") or "index"


def _name(handler: Any) -> str:
    return str(handler.fn.__qualname__)


def test_the_app_has_exactly_the_pages_of_the_registry() -> None:
    assert list(app._unevaluated_pages) == [_key(page.route) for page in routes.PAGES]
    for view in routes.views():
        registered = app._unevaluated_pages[_key(view.page.route)]
        assert registered.component is view.component
        assert registered.title == view.page.full_title


def test_every_page_component_in_ui_is_registered() -> None:
    components = {view.component.__name__ for view in routes.views()}
    defined = {
        node.name
        for path in UI.rglob("*.py")
        for node in ast.parse(path.read_text(encoding="utf-8")).body  # module-level functions
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_page")
    }
    assert defined == components


@pytest.mark.parametrize("page", routes.PAGES, ids=lambda page: page.route)
def test_each_page_starts_with_the_guard_its_roles_give(page: routes.Page) -> None:
    on_load = [_name(handler) for handler in app._load_events[_key(page.route)]]
    expected = {
        routes.BROKERS: ["SessionState.require_broker"],
        routes.SIGNED_IN: ["SessionState.require_session"],
        routes.ANYONE: [],
    }[page.roles]
    assert on_load[: len(expected)] == expected
    assert [_name(h) for h in guard_for(page.roles)] == expected


@pytest.mark.parametrize("page", routes.PAGES, ids=lambda page: page.route)
def test_every_page_handler_resolves_the_session_itself(page: routes.Page) -> None:
    """Reflex runs every on_load handler even after the guard redirects."""
    handlers = app._load_events[_key(page.route)][len(guard_for(page.roles)) :]
    assert handlers
    for handler in handlers:
        if handler.fn is LoginState.event_handlers["on_load_login"].fn:
            continue  # it shows the form to anyone, and goes home for a live session
        assert is_data_event(handler), _name(handler)


def test_a_role_set_without_a_guard_is_refused() -> None:
    with pytest.raises(ValueError, match="no guard"):
        guard_for((routes.CUSTOMER,))


def test_the_navigation_is_the_pages_with_an_entry_and_their_roles() -> None:
    by_route = {page.route: page for page in routes.PAGES}
    assert [item.path for item in routes.NAVIGATION] == [
        page.route for page in routes.PAGES if page.nav
    ]
    for item in routes.NAVIGATION:
        assert item.roles == by_route[item.path].roles
    assert {item.label for item in routes.navigation_for(routes.CUSTOMER)} == set()
    assert "Approvals" in {item.label for item in routes.navigation_for(routes.BROKER)}


def test_every_route_segment_has_its_reader() -> None:
    segments = {
        part[1:-1]
        for page in routes.PAGES
        for part in page.route.split("/")
        if part.startswith("[")
    }
    assert segments == {routes.ORGANIZATION_ID, routes.LIST_ID}


def test_a_page_not_in_the_registry_cannot_be_registered() -> None:
    with pytest.raises(KeyError, match="not a page"):
        routes.page("/nowhere")


def test_the_guard_handlers_are_data_events_too() -> None:
    for name in ("require_session", "require_broker", "go_home"):
        assert is_data_event(SessionState.event_handlers[name])
