"""What changed, for the pages that show it: `announce()` after a commit, and the change feed.

A service calls `announce(organization_id, *topics)` right after its transaction commits:

    with session_scope() as session:
        ...                                   # the change
    changes.announce(organization_id, changes.APPROVALS, changes.BADGES)

A topic names what a page shows (`TOPICS`); `organization_id` is whose data changed (None: data
only broker staff see, such as the unlinked tenants or prices). The announcement goes to the
process's `ChangeFeed`: Redis pub/sub when a Redis URL is configured (`REFLEX_REDIS_URL`, the
production path), so changes committed by any process (a worker, a job, a CLI) reach every
worker; else an in-process notifier (the embedded default's one backend process). The UI's
listener (ui/live.py) reads `feed().subscribe()` and tells the open pages.

A notification is a hint, never part of the change: `announce` never raises (a lost
notification is logged; the committed change stands), and on an event loop it never blocks it
(a Redis publish then runs in a worker thread). Pages also reload on reconnect, so a lost
notification is not a page wrong for good.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import redis
import redis.asyncio as aioredis

from o365portal.config import get_settings

SUBSCRIPTIONS = "subscriptions"  # subscription lists, scheduled orders, provisioning
APPROVALS = "approvals"  # approval requests (the broker's list, a customer's requests)
UNLINKED = "unlinked"  # Partner Center customers no organization is linked to
USERS = "users"  # Microsoft 365 users of a tenant
BADGES = "badges"  # the navigation's counts
TOPICS = (SUBSCRIPTIONS, APPROVALS, UNLINKED, USERS, BADGES)

CHANNEL = "o365portal:changes"
CLAIM_PREFIX = "o365portal:changes:claimed:"
CLAIM_SECONDS = 60  # long enough for every worker to have heard of the change
RETRY_SECONDS = 1.0  # wait before subscribing again after losing Redis

logger = logging.getLogger("o365portal.changes")


@dataclass(frozen=True)
class Change:
    """One announcement: whose data changed (None: brokers' only) and which topics."""

    organization_id: int | None
    topics: tuple[str, ...]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    announced_at: float = field(default_factory=time.time)  # wall clock: latency across hosts

    def __post_init__(self) -> None:
        unknown = set(self.topics) - set(TOPICS)
        if not self.topics or unknown:
            raise ValueError(f"a change names topics of {TOPICS}, not {sorted(unknown)}")

    def to_json(self) -> str:
        """The change as the feed carries it."""
        return json.dumps(
            {
                "id": self.id,
                "organization_id": self.organization_id,
                "topics": list(self.topics),
                "announced_at": self.announced_at,
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Change:
        """A change read off the feed; ValueError if it is not one."""
        try:
            data = json.loads(text)
            organization_id = data["organization_id"]
            return cls(
                organization_id=None if organization_id is None else int(organization_id),
                topics=tuple(str(topic) for topic in data["topics"]),
                id=str(data["id"]),
                announced_at=float(data["announced_at"]),
            )
        except (TypeError, KeyError, json.JSONDecodeError) as error:
            raise ValueError(f"not a change: {text!r}") from error


class ChangeFeed(ABC):
    """Where announcements go and where the listener of each process reads them."""

    blocks = False  # whether `publish` waits on the network (then it leaves the event loop)

    @abstractmethod
    def publish(self, change: Change) -> None:
        """Send the change to every subscriber (any thread; raises if it cannot)."""

    @abstractmethod
    def subscribe(self) -> AsyncIterator[Change]:
        """Every change announced from now on, until the iterator is closed."""

    async def claim(self, change: Change) -> bool:
        """True for exactly one of the processes that heard `change`: that one passes it on."""
        del change
        return True

    async def aclose(self) -> None:  # noqa: B027 - nothing to release in the in-process feed
        """Release the connections of this event loop (the listener's, when it stops)."""


@dataclass(eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Change]


class LocalFeed(ChangeFeed):
    """The in-process notifier: the embedded default runs one backend process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[_Subscriber] = set()

    def publish(self, change: Change) -> None:
        """Queue the change for every subscriber, on its own event loop."""
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber.loop.call_soon_threadsafe(subscriber.queue.put_nowait, change)
            except RuntimeError:  # its loop is closed: it will never read again
                with self._lock:
                    self._subscribers.discard(subscriber)

    async def subscribe(self) -> AsyncIterator[Change]:
        """Changes published in this process from now on."""
        subscriber = _Subscriber(asyncio.get_running_loop(), asyncio.Queue())
        with self._lock:
            self._subscribers.add(subscriber)
        try:
            while True:
                yield await subscriber.queue.get()
        finally:
            with self._lock:
                self._subscribers.discard(subscriber)


class RedisFeed(ChangeFeed):
    """Redis pub/sub: every process publishes on one channel, every worker subscribes.

    Pub/sub is fire-and-forget: a change published while a subscriber reconnects is lost to it
    (logged there; pages reload on reconnect). Each change carries an id; `claim` takes it with
    `SET NX`, so one worker passes it on although every worker heard it.
    """

    blocks = True

    def __init__(self, url: str, *, channel: str = CHANNEL) -> None:
        self.url = url
        self.channel = channel
        self._lock = threading.Lock()
        self._client: redis.Redis | None = None
        self._async: tuple[asyncio.AbstractEventLoop, aioredis.Redis] | None = None

    def _sync_client(self) -> redis.Redis:
        with self._lock:
            if self._client is None:
                self._client = redis.Redis.from_url(
                    self.url, socket_timeout=2, socket_connect_timeout=2
                )
            return self._client

    def _async_client(self) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            self._async = (loop, aioredis.Redis.from_url(self.url, socket_connect_timeout=2))
        return self._async[1]

    def publish(self, change: Change) -> None:
        """PUBLISH the change on the channel."""
        self._sync_client().publish(self.channel, change.to_json())

    async def subscribe(self) -> AsyncIterator[Change]:
        """Changes published on the channel by any process; subscribes again after a loss."""
        while True:
            try:
                async with self._async_client().pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for message in pubsub.listen():
                        if message["type"] != "message":
                            continue
                        try:
                            change = Change.from_json(message["data"])
                        except ValueError:
                            logger.warning("change feed: ignored %r", message["data"])
                            continue
                        yield change
            except (redis.RedisError, OSError) as error:
                logger.warning("change feed: lost Redis (%s); subscribing again", error)
                await asyncio.sleep(RETRY_SECONDS)

    async def claim(self, change: Change) -> bool:
        """The first worker to SET the change's key (NX) passes it on."""
        key = CLAIM_PREFIX + change.id
        return bool(await self._async_client().set(key, "1", nx=True, ex=CLAIM_SECONDS))

    async def aclose(self) -> None:
        """Close the connections the listener and `claim` used (the publishing one stays)."""
        if self._async is not None:
            await self._async[1].aclose()
            self._async = None


_feeds: dict[str, ChangeFeed] = {}
_feeds_lock = threading.Lock()
_pending: set[asyncio.Future[None]] = set()


def feed() -> ChangeFeed:
    """This process's feed: Redis when REFLEX_REDIS_URL is set, else the in-process one."""
    url = get_settings().redis_url
    with _feeds_lock:
        if url not in _feeds:
            _feeds[url] = RedisFeed(url) if url else LocalFeed()
        return _feeds[url]


def announce(organization_id: int | None, *topics: str) -> None:
    """Tell open pages that `topics` of the organization changed: call it after the commit.

    Never raises: a change that cannot be announced is logged, and the caller's committed
    change stands. On an event loop the Redis publish runs in a worker thread.
    """
    try:
        change = Change(organization_id, topics)
        _publish(feed(), change)
    except Exception:
        logger.exception("change of %s for organization %s not announced", topics, organization_id)


def _publish(target: ChangeFeed, change: Change) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # a worker thread or plain code: publish here
        target.publish(change)
        return
    if not target.blocks:
        target.publish(change)
        return
    future = loop.run_in_executor(None, target.publish, change)
    _pending.add(future)  # keep a reference until it is done
    future.add_done_callback(_published)


def _published(future: asyncio.Future[None]) -> None:
    _pending.discard(future)
    if not future.cancelled() and (error := future.exception()) is not None:
        logger.error("change not announced: %s", error, exc_info=error)
