"""The authorisation matrix (issue 16): every event handler of every state of the app, called as
anonymous, as a customer of organization A, as a customer of B and as a broker, on pages and
with arguments naming A and naming B. Nothing of a foreign organization and no cost or margin
may reach a customer's (or an anonymous tab's) state or frames, and no call may change a
foreign organization's data; a signed-out tab never runs a data handler.

The handlers come from the app itself (`o365portal.o365portal` imports every page and state):
every handler of every `rx.State` subclass defined in `o365portal`, so a new handler is covered
without anyone listing it. Skipped, with the reason: the states Reflex defines itself, and the
`setvar` dispatcher Reflex gives every state (it only calls a state's own `set_*` handlers,
which are in the matrix).

A target is the organization of the page (the URL's `organization_id` and `list_id`) and the
organization whose rows the arguments name: A's page with A's ids, B's with B's, and for a
customer also its own page with the other's ids. Each (role, target) pair is one tab per state:
its handlers run in source order on the same state, so what an earlier handler stored (a dialog
opened on a foreign id) is what the later ones (confirm, save) act on. Arguments come from each
parameter's name and type: ids of the target's rows, its Partner Center customer id, "x" for
text, a form naming the target's ids.
The portal has one customer role (no customer administrator: services/tenants/_agreements.py),
so customers are one role per organization.
"""

from __future__ import annotations

import inspect
import typing
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory
from reflex_base.event import EventHandler

from o365portal.o365portal import app  # noqa: F401  (imports every page and its state)
from o365portal.services import accounts
from o365portal.ui import routes
from o365portal.ui.events import is_data_event
from tests.builders import Account, new_broker
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.authz_tab import Frames, Tab, router_data, secrets_in
from tests.services.authz_world import Org, fingerprint, new_org, session_of

pytestmark = pytest.mark.usefixtures("portal_env")

FRAMEWORK = "setvar"  # Reflex's dispatcher to a state's own set_* handlers
ROLES = ("anonymous", "customer A", "customer B", "broker")


@dataclass(frozen=True)
class Leak:
    """Something a role must not get or do, and where."""

    handler: str
    role: str
    target: str
    what: str

    def __str__(self) -> str:
        return f"{self.handler} as {self.role} on {self.target}: {self.what}"


def app_states() -> Iterator[type[rx.State]]:
    """Every state class of the portal (Reflex's own states left out)."""

    def walk(state: type[rx.State]) -> Iterator[type[rx.State]]:
        for substate in sorted(state.get_substates(), key=lambda s: s.get_full_name()):
            yield substate
            yield from walk(substate)

    return (s for s in walk(rx.State) if s.__module__.startswith("o365portal."))


def handlers_of(state: type[rx.State]) -> list[tuple[str, EventHandler]]:
    """The state's own event handlers in source order (`setvar` left out)."""
    handlers = [(n, h) for n, h in state.event_handlers.items() if n != FRAMEWORK]
    return sorted(handlers, key=lambda item: inspect.getsourcelines(item[1].fn)[1])


def argument(name: str, hint: Any, org: Org) -> Any:
    """A value for a parameter, naming `org`'s rows where the parameter names an id."""
    ids = {
        "organization_id": org.organization_id,
        "subscription_id": org.subscription_id,
        "user_id": org.user_id,
        "request_id": org.request_id,
        "scheduled_id": org.scheduled_id,
    }
    if typing.get_origin(hint) is list:
        return [org.user_id] if name == "user_ids" else []
    if hint is int:
        return ids.get(name, org.organization_id)
    if hint is bool:
        return True
    if typing.get_origin(hint) is dict or hint is dict:
        return {key: str(value) for key, value in ids.items()}
    return org.customer_id if name == "customer_id" else "x"


def payload_for(handler: EventHandler, org: Org) -> dict[str, Any]:
    """The handler's arguments for a call on `org`."""
    hints = typing.get_type_hints(handler.fn)
    params = list(inspect.signature(handler.fn).parameters)[1:]
    return {name: argument(name, hints.get(name, str), org) for name in params}


@dataclass(frozen=True)
class Target:
    """The organization of the page and the organization the arguments name."""

    page: Org
    ids: Org

    def __str__(self) -> str:
        if self.page == self.ids:
            return f"organization {self.page.name}"
        return f"the page of {self.page.name} with ids of {self.ids.name}"


@dataclass
class Tally:
    """What the matrix did."""

    checked: int = 0
    refused: int = 0
    allowed: int = 0
    unfinished: int = 0
    own_data: int = 0  # calls whose state or frames held the target's own data (allowed ones)
    broker_costs: int = 0  # a broker's calls that got costs or margins (what customers may not)


def refused(frames: Frames, state: dict[str, Any]) -> bool:
    """The call was refused: an exception, a sign-out, an error toast, or a var of the page that
    shows a refusal (errors, missing, problems) is set."""
    said = [v for k, v in state.items() if any(w in k for w in ("error", "missing", "problem"))]
    return bool(frames.error or frames.signed_out or frames.error_toast or any(said))


class Matrix:
    """Runs every handler for each role and target, collecting leaks."""

    def __init__(
        self, orgs: dict[str, Org], people: dict[str, Account], sandbox: PartnerCenterFake
    ):
        self.orgs, self.people, self.sandbox = orgs, people, sandbox
        self.sessions: dict[str, str] = {}
        self.manager = StateManagerMemory()
        self.leaks: list[Leak] = []
        self.tally = Tally()

    def foreign(self, role: str) -> list[Org]:
        """The organizations whose data the role must not get."""
        if role == "broker":
            return []
        return [org for name, org in self.orgs.items() if role != f"customer {name}"]

    def targets(self, role: str) -> list[Target]:
        """Each organization's page with its own ids; for a customer also its own page with the
        other organization's ids."""
        same = [Target(org, org) for org in self.orgs.values()]
        own = [org for org in self.orgs.values() if role == f"customer {org.name}"]
        return same + [Target(own[0], other) for other in self.foreign(role) if own]

    async def run(self, state: type[rx.State], role: str, on: Target) -> None:
        """Every handler of `state` for `role` on `on`; when a foreign organization's data
        changed, again with a comparison after each call to name the call."""
        changed = await self._tab(state, role, on)
        if changed and not await self._tab(state, role, on, each_call=True):
            names = ", ".join(name for name, _ in handlers_of(state))
            what = f"one of {names} changed foreign data (no call did it again)"
            self._leak(f"{state.__name__}.*", role, on, what)

    async def _tab(
        self, state: type[rx.State], role: str, on: Target, each_call: bool = False
    ) -> bool:
        """Send every handler of `state` in one tab; whether a foreign organization's data
        changed (compared after the last call, or with `each_call` after every call, which
        reports the call)."""
        token, page, target = uuid.uuid4().hex, on.page, on.ids
        params = {routes.ORGANIZATION_ID: str(page.organization_id)}
        params[routes.LIST_ID] = str(page.price_list_id)
        path = routes.subscriptions_url(page.organization_id)
        tab = Tab(self.manager, token, router_data(token, path, params))
        await tab.open(self.session(role))
        foreign = self.foreign(role)
        marks = frozenset().union(*(org.marks for org in foreign))
        sent: set[str] = set()
        reported: set[str] = set()  # what stays in the state is reported at the call that put it
        prints = {org.name: fingerprint(org, self.sandbox) for org in foreign}
        changed = False
        handlers = handlers_of(state)
        for name, handler in handlers:
            payload = payload_for(handler, target)
            sent |= {str(v) for v in payload.values() if isinstance(v, str)}
            frames = await tab.send(state, handler, payload)
            after = await tab.state_of(state)
            where = f"{state.__name__}.{name}"
            self._count(frames, after)
            if role == "anonymous" and is_data_event(handler) and not frames.signed_out:
                self._leak(where, role, on, f"ran without a session: {frames}")
            seen = [frames.deltas, frames.frontend, after]
            for what in sorted(secrets_in(seen, marks, sent, costs=role != "broker") - reported):
                self._leak(where, role, on, what)
                reported.add(what)
            if page == target not in foreign and secrets_in(seen, target.marks, sent, False):
                self.tally.own_data += 1
            if role == "broker" and secrets_in(seen, frozenset(), set(), costs=True):
                self.tally.broker_costs += 1
            if not (each_call or name == handlers[-1][0]):
                continue
            for org in foreign:
                now = fingerprint(org, self.sandbox)
                if now != prints[org.name] and each_call:
                    self._leak(where, role, on, f"changed organization {org.name}'s data")
                changed |= now != prints[org.name]
                prints[org.name] = now
        return changed

    def session(self, role: str) -> str:
        """A live session of the role's account ("" for anonymous); a new one after a handler
        (sign_out) ended the last."""
        if role not in self.people:
            return ""
        if accounts.principal_for(self.sessions.get(role, "")) is None:
            self.sessions[role] = session_of(self.people[role])
        return self.sessions[role]

    def _count(self, frames: Frames, state: dict[str, Any]) -> None:
        self.tally.checked += 1
        if frames.error.startswith("TimeoutError"):
            self.tally.unfinished += 1
        elif refused(frames, state):
            self.tally.refused += 1
        else:
            self.tally.allowed += 1

    def _leak(self, where: str, role: str, on: Target, what: str) -> None:
        self.leaks.append(Leak(where, role, str(on), what))


@pytest.fixture
async def orgs(sandbox: PartnerCenterFake, control: PartnerCenterFake) -> dict[str, Org]:
    return {name: await new_org(name, sandbox, control) for name in ("A", "B")}


def test_the_matrix_finds_every_state_and_handler_of_the_app() -> None:
    states = list(app_states())
    handlers = [h for s in states for _, h in handlers_of(s)]
    assert len(states) >= 25 and len(handlers) >= 150
    assert all(not s.__module__.startswith("reflex") for s in states)


async def test_no_role_gets_or_changes_what_it_may_not(
    orgs: dict[str, Org], sandbox: PartnerCenterFake, capsys: pytest.CaptureFixture[str]
) -> None:
    people = {"customer A": orgs["A"].customer, "customer B": orgs["B"].customer}
    matrix = Matrix(orgs, people | {"broker": new_broker()}, sandbox)
    states = list(app_states())
    for role in ROLES:
        for target in matrix.targets(role):
            for state in states:
                await matrix.run(state, role, target)
    handlers = sum(len(handlers_of(s)) for s in states)
    tally = matrix.tally
    with capsys.disabled():
        print(
            f"\nauthorisation matrix: {handlers} handlers of {len(states)} states x "
            f"{len(ROLES)} roles x 2-3 targets (A, B, own page with foreign ids) = "
            f"{tally.checked} calls checked: "
            f"{tally.refused} refused, {tally.allowed} allowed ({tally.own_data} showing the "
            f"caller's own organization, {tally.broker_costs} a broker's costs), "
            f"{tally.unfinished} unfinished, {len(matrix.leaks)} leaks"
        )
    assert not matrix.leaks, "\n".join(dict.fromkeys(str(leak) for leak in matrix.leaks))
    # The calls reach the data, costs included: refusals are the services' answers.
    assert tally.own_data >= 50 and tally.broker_costs >= 5


def test_the_detector_sees_foreign_marks_and_costs_but_not_the_callers_own_words() -> None:
    seen = [{"rows": [{"company_name": "Org B Ltd", "unit_cost": "4.20", "margin": ""}]}]
    found = secrets_in(seen, frozenset({"Org B Ltd"}), set(), costs=True)
    assert found == {"'Org B Ltd' at rows.company_name", "rows.unit_cost = '4.20'"}
    assert secrets_in(seen, frozenset({"Org B Ltd"}), {"Org B Ltd"}, costs=False) == set()
