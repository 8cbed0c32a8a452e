"""The change feed (services/changes.py): announcements reach the listener on both backends, from
threads, event loops and other processes; one worker claims each change; nothing raises."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import redis

from o365portal.config import get_settings
from o365portal.services import changes
from o365portal.services.changes import Change, ChangeFeed, LocalFeed, RedisFeed

REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/0")
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"
WAIT_SECONDS = 5.0


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis; skips without one (fails under CI=true)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        reason = f"Redis not reachable at {REDIS_URL} ({error}); see scripts/ensure_redis.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return REDIS_URL


@pytest.fixture
def use_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the settings at a Redis URL for this test (set REFLEX_REDIS_URL first)."""
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    get_settings.cache_clear()


class Listener:
    """A subscriber running in the background, collecting what it hears."""

    def __init__(self, feed: ChangeFeed) -> None:
        self.heard: list[Change] = []
        self._iterator = feed.subscribe()
        self._task = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async for change in self._iterator:
            self.heard.append(change)

    async def next(self, organization_id: int) -> Change:
        """The first change heard for the organization (tests share channels: filter)."""
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                found = [c for c in self.heard if c.organization_id == organization_id]
                if found:
                    return found[0]
                await asyncio.sleep(0.01)

    async def stop(self) -> None:
        """Stop listening."""
        self._task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self._task


@pytest.fixture
async def local() -> AsyncIterator[tuple[LocalFeed, Listener]]:
    """An in-process feed with a listener already subscribed."""
    feed = LocalFeed()
    listener = Listener(feed)
    await asyncio.sleep(0)  # the listener subscribes
    yield feed, listener
    await listener.stop()


async def _subscribed(client: redis.Redis, channel: str) -> None:
    async with asyncio.timeout(WAIT_SECONDS):
        while dict(client.pubsub_numsub(channel)).get(channel.encode(), 0) < 1:
            await asyncio.sleep(0.02)


@pytest.fixture
async def on_redis(redis_url: str) -> AsyncIterator[tuple[RedisFeed, Listener]]:
    """A Redis feed on a channel of this test, with a listener already subscribed."""
    feed = RedisFeed(redis_url, channel=f"o365portal:test:{uuid.uuid4().hex}")
    listener = Listener(feed)
    await _subscribed(redis.Redis.from_url(redis_url), feed.channel)
    yield feed, listener
    await listener.stop()
    await feed.aclose()


def _organization() -> int:
    return int(uuid.uuid4().int % 10**9)


def test_a_change_names_one_or_more_known_topics() -> None:
    assert Change(1, (changes.APPROVALS, changes.BADGES)).topics == ("approvals", "badges")
    with pytest.raises(ValueError, match="topics"):
        Change(1, ("approval",))
    with pytest.raises(ValueError, match="topics"):
        Change(1, ())


def test_a_change_crosses_the_feed_as_json_and_anything_else_is_refused() -> None:
    change = Change(None, (changes.UNLINKED,))
    assert Change.from_json(change.to_json().encode()) == change
    for bad in ("", "[]", '{"id": "x"}', '{"id": "x", "organization_id": 1, "topics": ["x"], '):
        with pytest.raises(ValueError):
            Change.from_json(bad)


async def test_the_local_feed_hears_changes_from_the_loop_and_from_worker_threads(
    local: tuple[LocalFeed, Listener],
) -> None:
    feed, listener = local
    on_loop, in_thread = _organization(), _organization()
    feed.publish(Change(on_loop, (changes.SUBSCRIPTIONS,)))
    await asyncio.to_thread(feed.publish, Change(in_thread, (changes.APPROVALS,)))
    assert (await listener.next(on_loop)).topics == ("subscriptions",)
    assert (await listener.next(in_thread)).topics == ("approvals",)


async def test_every_local_subscriber_hears_every_change_until_it_stops(
    local: tuple[LocalFeed, Listener],
) -> None:
    feed, first = local
    second = Listener(feed)
    await asyncio.sleep(0)
    organization = _organization()
    feed.publish(Change(organization, (changes.USERS,)))
    assert (await first.next(organization)).id == (await second.next(organization)).id
    await second.stop()
    later = _organization()
    feed.publish(Change(later, (changes.USERS,)))
    await first.next(later)
    assert [c.organization_id for c in second.heard] == [organization]


async def test_the_local_feed_gives_every_change_to_its_one_process(
    local: tuple[LocalFeed, Listener],
) -> None:
    feed, _ = local
    assert await feed.claim(Change(1, (changes.BADGES,)))


async def test_announce_reaches_the_configured_feed(
    use_redis: None,
) -> None:
    feed = changes.feed()
    assert isinstance(feed, LocalFeed)
    listener = Listener(feed)
    await asyncio.sleep(0)
    organization = _organization()
    changes.announce(organization, changes.APPROVALS, changes.BADGES)
    heard = await listener.next(organization)
    assert heard.topics == ("approvals", "badges")
    await listener.stop()


async def test_with_a_redis_url_the_feed_is_redis(
    use_redis: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLEX_REDIS_URL", UNREACHABLE_REDIS_URL)
    get_settings.cache_clear()
    feed = changes.feed()
    assert isinstance(feed, RedisFeed)
    assert feed.url == UNREACHABLE_REDIS_URL


async def test_announce_never_raises_and_logs_what_it_could_not_announce(
    use_redis: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("REFLEX_REDIS_URL", UNREACHABLE_REDIS_URL)
    get_settings.cache_clear()
    with caplog.at_level(logging.ERROR, logger="o365portal.changes"):
        await asyncio.to_thread(changes.announce, 1, changes.SUBSCRIPTIONS)  # a worker thread
        changes.announce(2, changes.SUBSCRIPTIONS)  # on the loop: published off it
        changes.announce(3, "no such topic")
        async with asyncio.timeout(WAIT_SECONDS):
            while len(caplog.records) < 3:
                await asyncio.sleep(0.02)
    assert all("not announced" in record.getMessage() for record in caplog.records)


async def test_the_redis_feed_hears_changes_published_by_any_client(
    on_redis: tuple[RedisFeed, Listener],
) -> None:
    feed, listener = on_redis
    organization = _organization()
    other = RedisFeed(feed.url, channel=feed.channel)  # as another process would
    await asyncio.to_thread(other.publish, Change(organization, (changes.SUBSCRIPTIONS,)))
    assert (await listener.next(organization)).topics == ("subscriptions",)


async def test_the_redis_feed_skips_messages_that_are_not_changes(
    on_redis: tuple[RedisFeed, Listener], caplog: pytest.LogCaptureFixture
) -> None:
    feed, listener = on_redis
    client = redis.Redis.from_url(feed.url)
    organization = _organization()
    with caplog.at_level(logging.WARNING, logger="o365portal.changes"):
        client.publish(feed.channel, "not json")
        feed.publish(Change(organization, (changes.BADGES,)))
        await listener.next(organization)
    assert "ignored" in caplog.text
    assert [c.organization_id for c in listener.heard] == [organization]


async def test_of_the_workers_that_hear_a_change_exactly_one_claims_it(redis_url: str) -> None:
    workers = [RedisFeed(redis_url) for _ in range(3)]
    change = Change(_organization(), (changes.APPROVALS,))
    claims = await asyncio.gather(*(worker.claim(change) for worker in workers))
    for worker in workers:
        await worker.aclose()
    assert sorted(claims) == [False, False, True]


async def test_a_change_announced_by_another_process_reaches_this_one(
    redis_url: str, use_redis: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLEX_REDIS_URL", redis_url)
    get_settings.cache_clear()
    listener = Listener(changes.feed())
    await _subscribed(redis.Redis.from_url(redis_url), changes.CHANNEL)
    organization = _organization()
    script = (
        "from o365portal.services import changes; "
        f"changes.announce({organization}, changes.SUBSCRIPTIONS, changes.BADGES)"
    )
    env = os.environ | {"REFLEX_REDIS_URL": redis_url}
    await asyncio.to_thread(subprocess.run, [sys.executable, "-c", script], env=env, check=True)
    assert (await listener.next(organization)).topics == ("subscriptions", "badges")
    await listener.stop()
    await changes.feed().aclose()
