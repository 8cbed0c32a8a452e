"""Pages that update themselves: a feed of version counters per scope.

- Services announce what changed after each commit (`services.changes.announce`).
- Every backend worker runs `relay_changes` (a lifespan task). It reads the change feed and, for
  each change it claims (one worker per change), bumps the changed topics' counters of the
  change's scopes: the organization's, and the brokers' (brokers see every organization). The
  counters and each scope's followers are kept in the registry (ui/live_registry.py: Redis, or
  this process); the new counters go to every following tab's own `LiveFeed` state, whichever
  worker serves it.
- The on_load guards have each signed-in tab follow its feed (`follow`), with the scope taken
  from the session's principal: a broker's tab follows the brokers' feed, a customer's its
  organization's.
- A page puts `watch(State.handler, *topics)` in its tree. When a topic's counter moves after
  the page has shown its data, the browser runs the handler, which reloads the page's lists
  (never a form being typed in). A reconnect runs the page's on_load again, so a change missed
  meanwhile is shown too.

A new page follows changes in two lines: a handler that reloads its lists, and
`live.watch(MyState.reload_lists, changes.USERS)` among its components.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import reflex as rx
from reflex.event import EventHandler, no_args_event_spec
from reflex.istate.manager import get_state_manager
from reflex.vars import Var, VarData
from reflex_base.components.component import field
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import get_unique_variable_name

from o365portal.services import changes
from o365portal.services.principal import Principal
from o365portal.ui.live_registry import registry_of

logger = logging.getLogger("o365portal.live")
TOKEN_PREFIX = "o365portal-live-"


def scope_token(organization_id: int | None) -> str:
    """The feed of one organization, or (None) the brokers' feed."""
    scope = "brokers" if organization_id is None else f"organization-{organization_id}"
    return TOKEN_PREFIX + scope


def scopes(change: changes.Change) -> list[str]:
    """The feeds a change moves: its organization's (if any) and always the brokers'."""
    if change.organization_id is None:
        return [scope_token(None)]
    return [scope_token(change.organization_id), scope_token(None)]


def feed_of(principal: Principal) -> str | None:
    """The feed a signed-in account follows (None: a customer without an organization)."""
    if principal.is_broker:
        return scope_token(None)
    if principal.organization_id is None:
        return None
    return scope_token(principal.organization_id)


class LiveFeed(rx.State):
    """This tab's copy of its scope's counters, one per topic of services.changes.

    The scope's own counters and its followers are kept in the registry (ui/live_registry.py),
    not in a state every tab links to: a shared Reflex state is locked by every event of every
    tab linked to it, so all the brokers' tabs on all workers waited on one lock.
    """

    scope: str = ""
    versions: dict[str, int] = dict.fromkeys(changes.TOPICS, 0)


async def follow(state: rx.State, principal: Principal) -> None:
    """Have the tab follow the feed of `principal` (an on_load guard calls it after the auth
    check): the tab is recorded as a follower and takes the feed's counters now."""
    token = feed_of(principal)
    if token is None:
        return
    own = await state.get_state(LiveFeed)
    tab = state.router.session.client_token
    versions = await registry_of(get_state_manager()).follow(token, tab)
    if own.scope != token:
        own.scope = token
    if own.versions != versions:
        own.versions = versions


async def bump(app: rx.App, token: str, topics: tuple[str, ...]) -> None:
    """Move the topics' counters of one feed and send them to every tab following it.

    Tabs that are gone are dropped from the feed's followers first, so a push costs only the
    tabs still open. Each tab is updated under its own lock, one task per tab, and only while it
    still follows this feed; never call it from an event of a tab that follows this feed and
    wait for it: that event holds the tab's lock.
    """
    registry = registry_of(app.state_manager)
    versions, followers = await registry.bump(token, topics)
    namespace = app.event_namespace
    if namespace is None:
        return
    tabs = namespace._token_manager  # Reflex's own registry of connected tabs, on every worker
    connected = await asyncio.gather(*(tabs.is_token_connected(tab) for tab in followers))
    open_tabs = {tab for tab, is_open in zip(followers, connected, strict=True) if is_open}
    await registry.forget(token, followers - open_tabs)
    await asyncio.gather(*(_push(app, tab, token, versions) for tab in open_tabs))


async def _push(app: rx.App, tab: str, token: str, versions: dict[str, int]) -> None:
    try:
        async with app.modify_state(rx.BaseStateToken(ident=tab, cls=LiveFeed)) as root:
            own = await root.get_state(LiveFeed)
            assert isinstance(own, LiveFeed)
            if own.scope != token:
                return  # the tab signed in as another account meanwhile
            newest = {
                topic: max(count, own.versions.get(topic, 0)) for topic, count in versions.items()
            }
            if newest != own.versions:
                own.versions = newest
    except Exception:  # one tab missed one change; its next reload or reconnect shows it
        logger.exception("change not pushed to a tab of %s", token)


async def relay_changes(app: rx.App) -> None:
    """Lifespan task of every worker: pass each change of the feed on to the open pages."""
    source = changes.feed()
    try:
        async for change in source.subscribe():
            await _relay(app, source, change)
    finally:
        await source.aclose()


async def _relay(app: rx.App, source: changes.ChangeFeed, change: changes.Change) -> None:
    try:
        if not await source.claim(change):
            return  # another worker passes it on
        for token in scopes(change):
            await bump(app, token, change.topics)
    except Exception:  # one change lost; the next one and every reconnect still reload
        logger.exception("change %s not passed on to the open pages", change.id)
        return
    waited = (time.time() - change.announced_at) * 1000
    logger.debug("change %s %s passed on %.0f ms after it was announced", change.id, change, waited)


class _Watch(rx.Fragment):
    """Renders nothing; runs `on_change` when the sum of the topics' counters grows.

    The first value seen after the tab follows a feed is the page's starting point: the
    page's on_load reads its data after its guard linked the tab, so that data already holds
    every change counted so far.
    """

    scope: Var[str]
    versions: Var[dict[str, int]]
    topics: list[str] = field(default_factory=list, is_javascript_property=False)
    seen: str = field(default="", is_javascript_property=False)
    on_change: EventHandler[no_args_event_spec]

    @classmethod
    def create(cls, *children: Any, **props: Any) -> rx.Component:
        """The watcher, with a name of its own for the value it remembers."""
        props.setdefault("seen", f"live_seen_{get_unique_variable_name()}")
        return super().create(*children, **props)

    def _exclude_props(self) -> list[str]:
        return [*super()._exclude_props(), "scope", "versions", "on_change"]

    def add_hooks(self) -> list[str | Var[Any]]:
        """The effect that compares the counters with what the page last showed."""
        fire = Var.create(self.event_triggers["on_change"])
        topics = json.dumps(self.topics)
        hook = f"""
const {self.seen} = useRef(null);
useEffect(() => {{
    const scope = {self.scope!s};
    const versions = {self.versions!s} ?? {{}};
    if (!scope) return;
    const version = {topics}.reduce((sum, topic) => sum + (versions[topic] ?? 0), 0);
    const last = {self.seen}.current;
    {self.seen}.current = [scope, version];
    if (last !== null && last[0] === scope && version > last[1]) ({fire!s})();
}}, [{self.scope!s}, {self.versions!s}]);"""
        react = VarData(imports={"react": [ImportVar(tag="useRef"), ImportVar(tag="useEffect")]})
        var_data = VarData.merge(
            react,
            self.scope._get_all_var_data(),
            self.versions._get_all_var_data(),
            fire._get_all_var_data(),
        )
        return [Var(hook, _var_data=var_data)]


def watch(handler: EventHandler, *topics: str) -> rx.Component:
    """Run `handler` (no arguments: it reloads the page's lists) whenever one of `topics`
    changes in the feed this tab follows."""
    unknown = set(topics) - set(changes.TOPICS)
    if not topics or unknown:
        raise ValueError(f"watch topics of {changes.TOPICS}, not {sorted(unknown)}")
    return _Watch.create(
        scope=LiveFeed.scope, versions=LiveFeed.versions, topics=list(topics), on_change=handler
    )
