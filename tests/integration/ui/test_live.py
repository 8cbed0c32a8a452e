"""ui/live.py in process, without a browser: tabs following a feed see its counters move, a
bump forgets closed tabs, the feed a tab follows comes from the signed-in principal, and the
relay passes each change it claims to both scopes. The registry's Redis record (what several
workers share) is checked against the Redis of this machine."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import reflex as rx
from redis.asyncio import Redis
from reflex.utils.token_manager import SocketRecord
from reflex_base.event.context import EventContext

from o365portal.o365portal import app
from o365portal.services import changes
from o365portal.services.principal import Principal, Role
from o365portal.ui import live
from o365portal.ui.live_registry import KEY_PREFIX, RedisRegistry, registry_of
from o365portal.ui.session import SessionState

REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/0")
BROKER = Principal(account_id=1, email="b@x", name="B", role=Role.BROKER, organization_id=None)


def _customer(organization_id: int | None) -> Principal:
    return Principal(
        account_id=2, email="c@x", name="C", role=Role.CUSTOMER, organization_id=organization_id
    )


def _organization() -> int:
    return int(uuid.uuid4().int % 10**9)


@pytest.fixture
def tabs() -> Iterator[set[str]]:
    """Tokens of tabs "connected" to this worker (Reflex's registry of sockets), and the event
    context Reflex gives an event (linking a tab happens inside one)."""
    registry = app.event_namespace._token_manager  # type: ignore[union-attr]
    connected: set[str] = set()

    async def enqueue(*_: object, **__: object) -> None:
        return None

    reset = EventContext.set(
        EventContext(token="", state_manager=app.state_manager, enqueue_impl=enqueue)
    )
    yield connected
    EventContext.reset(reset)
    for tab in connected:
        registry.token_to_socket.pop(tab, None)


async def _open(connected: set[str], principal: Principal) -> str:
    """A tab whose guard ran for `principal`: connected, and following its feed."""
    tab = uuid.uuid4().hex
    registry = app.event_namespace._token_manager  # type: ignore[union-attr]
    registry.token_to_socket[tab] = SocketRecord(instance_id=registry.instance_id, sid=tab)
    connected.add(tab)
    async with app.modify_state(rx.BaseStateToken(ident=tab, cls=live.LiveFeed)) as root:
        root.rx_router_session = dataclasses.replace(root.rx_router_session, client_token=tab)
        await live.follow(root, principal)
    return tab


async def _feed_of(token: str) -> live.LiveFeed:
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=live.LiveFeed)) as root:
        feed = await root.get_state(live.LiveFeed)
        assert isinstance(feed, live.LiveFeed)
        return feed


def test_each_scope_has_its_own_token_and_a_customer_without_organization_follows_none() -> None:
    assert live.feed_of(BROKER) == live.scope_token(None)
    assert live.feed_of(_customer(7)) == live.scope_token(7) != live.scope_token(None)
    assert live.feed_of(_customer(None)) is None
    assert "_" not in live.scope_token(7) + live.scope_token(None)  # Reflex refuses "_"
    assert live.scopes(changes.Change(7, (changes.USERS,))) == [
        live.scope_token(7),
        live.scope_token(None),
    ]
    assert live.scopes(changes.Change(None, (changes.UNLINKED,))) == [live.scope_token(None)]


def test_a_page_watches_known_topics_only() -> None:
    with pytest.raises(ValueError, match="topics"):
        live.watch(SessionState.close_drawer, "approval")


async def test_tabs_see_the_counters_of_the_feed_they_follow(tabs: set[str]) -> None:
    organization = _organization()
    customer = await _open(tabs, _customer(organization))
    broker = await _open(tabs, BROKER)

    await live.bump(app, live.scope_token(organization), (changes.SUBSCRIPTIONS,))

    seen = await _feed_of(customer)
    assert (seen.scope, seen.versions[changes.SUBSCRIPTIONS]) == (live.scope_token(organization), 1)
    assert (await _feed_of(broker)).scope == live.scope_token(None)
    assert (await _feed_of(broker)).versions[changes.SUBSCRIPTIONS] == 0


async def test_a_bump_forgets_the_tabs_that_closed(tabs: set[str]) -> None:
    organization = _organization()
    staying, closing = [await _open(tabs, _customer(organization)) for _ in range(2)]
    scope = live.scope_token(organization)
    registry = registry_of(app.state_manager)
    assert (await registry.bump(scope, ()))[1] == {staying, closing}

    app.event_namespace._token_manager.token_to_socket.pop(closing)  # type: ignore[union-attr]
    await live.bump(app, scope, (changes.APPROVALS, changes.BADGES))

    assert (await registry.bump(scope, ()))[1] == {staying}
    seen = (await _feed_of(staying)).versions
    assert (seen[changes.APPROVALS], seen[changes.BADGES]) == (1, 1)
    assert (await _feed_of(closing)).versions[changes.APPROVALS] == 0


async def test_a_tab_that_signed_in_elsewhere_takes_no_more_counters_of_its_old_feed(
    tabs: set[str],
) -> None:
    organization = _organization()
    tab = await _open(tabs, _customer(organization))
    async with app.modify_state(rx.BaseStateToken(ident=tab, cls=live.LiveFeed)) as root:
        await live.follow(root, BROKER)

    await live.bump(app, live.scope_token(organization), (changes.USERS,))

    assert (await _feed_of(tab)).scope == live.scope_token(None)
    assert (await _feed_of(tab)).versions[changes.USERS] == 0


async def test_a_tab_following_late_starts_from_the_counters_so_far(tabs: set[str]) -> None:
    organization = _organization()
    await live.bump(app, live.scope_token(organization), (changes.USERS,))
    await live.bump(app, live.scope_token(organization), (changes.USERS,))

    tab = await _open(tabs, _customer(organization))

    assert (await _feed_of(tab)).versions[changes.USERS] == 2


async def test_the_redis_record_counts_and_keeps_followers_for_every_worker() -> None:
    client = Redis.from_url(REDIS_URL)
    registry = RedisRegistry(client)
    scope = live.scope_token(_organization())
    try:
        assert (await registry.follow(scope, "tab-a"))[changes.USERS] == 0
        await registry.follow(scope, "tab-b")
        await registry.bump(scope, (changes.USERS,))
        counters, followers = await RedisRegistry(client).bump(
            scope, (changes.USERS, changes.BADGES)
        )
        assert (counters[changes.USERS], counters[changes.BADGES]) == (2, 1)
        assert counters[changes.APPROVALS] == 0 and followers == {"tab-a", "tab-b"}
        await registry.forget(scope, {"tab-a"})
        assert (await registry.follow(scope, "tab-c"))[changes.USERS] == 2
        assert (await registry.bump(scope, ()))[1] == {"tab-b", "tab-c"}
    finally:
        await client.delete(*(f"{KEY_PREFIX}{scope}:{part}" for part in ("versions", "tabs")))
        await client.aclose()


class _Feed(changes.LocalFeed):
    """The in-process feed, with a say on which changes this worker claims."""

    def __init__(self, claims: bool) -> None:
        super().__init__()
        self.claims = claims

    async def claim(self, change: changes.Change) -> bool:
        return self.claims


@pytest.fixture
async def relay(
    tabs: set[str], monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> AsyncIterator[_Feed]:
    """`relay_changes` running on a feed of this test (claiming as parametrized)."""
    feed = _Feed(claims=request.param)
    monkeypatch.setattr(changes, "feed", lambda: feed)
    task = asyncio.create_task(live.relay_changes(app))
    await asyncio.sleep(0)  # it subscribes
    yield feed
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.parametrize("relay", [True], indirect=True)
async def test_the_relay_moves_the_organizations_feed_and_the_brokers(
    relay: _Feed, tabs: set[str]
) -> None:
    organization = _organization()
    customer = await _open(tabs, _customer(organization))
    broker = await _open(tabs, BROKER)
    brokers_before = (await _feed_of(broker)).versions[changes.APPROVALS]

    relay.publish(changes.Change(organization, (changes.APPROVALS,)))

    async with asyncio.timeout(5):
        while (await _feed_of(customer)).versions[changes.APPROVALS] < 1:
            await asyncio.sleep(0.01)
        while (await _feed_of(broker)).versions[changes.APPROVALS] == brokers_before:
            await asyncio.sleep(0.01)
    assert (await _feed_of(broker)).versions[changes.APPROVALS] == brokers_before + 1


@pytest.mark.parametrize("relay", [False], indirect=True)
async def test_a_change_another_worker_claimed_is_left_to_it(relay: _Feed, tabs: set[str]) -> None:
    organization = _organization()
    customer = await _open(tabs, _customer(organization))

    relay.publish(changes.Change(organization, (changes.USERS,)))

    await asyncio.sleep(0.5)  # the relay passes a change on within tens of milliseconds
    assert (await _feed_of(customer)).versions[changes.USERS] == 0
