"""Where the live feeds keep their counters and the tabs following them (ui/live.py).

The record of a scope is two things: its counters (one per topic of services.changes) and the
tabs following it. Both live beside Reflex's own states: in Redis when Reflex keeps its states
there (every worker sees the same record), in this process otherwise (Reflex then runs one
worker). Every operation is one atomic step of the store, so following a feed and moving its
counters take no lock that a tab's events would wait on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict

from redis.asyncio import Redis
from reflex.istate.manager import StateManager
from reflex.istate.manager.redis import StateManagerRedis

from o365portal.services import changes

Counters = dict[str, int]
KEY_PREFIX = "o365portal:live:"


def _complete(counters: dict[str, int]) -> Counters:
    return dict.fromkeys(changes.TOPICS, 0) | counters


class Registry(ABC):
    """The counters of each scope and the tabs that follow it."""

    @abstractmethod
    async def follow(self, scope: str, tab: str) -> Counters:
        """Record that `tab` follows `scope`; the scope's counters now."""

    @abstractmethod
    async def bump(self, scope: str, topics: tuple[str, ...]) -> tuple[Counters, set[str]]:
        """Move the topics' counters by one; the new counters and the tabs following."""

    @abstractmethod
    async def forget(self, scope: str, tabs: set[str]) -> None:
        """Stop recording `tabs` (closed) as followers of `scope`."""


class LocalRegistry(Registry):
    """The record in this process (Reflex's memory or disk state manager: one worker)."""

    def __init__(self) -> None:
        self._counters: dict[str, Counters] = defaultdict(dict)
        self._tabs: dict[str, set[str]] = defaultdict(set)

    async def follow(self, scope: str, tab: str) -> Counters:
        """Record that `tab` follows `scope`; the scope's counters now."""
        self._tabs[scope].add(tab)
        return _complete(self._counters[scope])

    async def bump(self, scope: str, topics: tuple[str, ...]) -> tuple[Counters, set[str]]:
        """Move the topics' counters by one; the new counters and the tabs following."""
        counters = self._counters[scope]
        for topic in topics:
            counters[topic] = counters.get(topic, 0) + 1
        return _complete(counters), set(self._tabs[scope])

    async def forget(self, scope: str, tabs: set[str]) -> None:
        """Stop recording `tabs` (closed) as followers of `scope`."""
        self._tabs[scope] -= tabs


class RedisRegistry(Registry):
    """The record in Redis: a hash of counters and a set of tabs per scope, for every worker."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    @staticmethod
    def _keys(scope: str) -> tuple[str, str]:
        return f"{KEY_PREFIX}{scope}:versions", f"{KEY_PREFIX}{scope}:tabs"

    async def follow(self, scope: str, tab: str) -> Counters:
        """Record that `tab` follows `scope`; the scope's counters now."""
        versions, tabs = self._keys(scope)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.sadd(tabs, tab)
            pipe.hgetall(versions)
            _, counters = await pipe.execute()
        return _complete(_decoded(counters))

    async def bump(self, scope: str, topics: tuple[str, ...]) -> tuple[Counters, set[str]]:
        """Move the topics' counters by one; the new counters and the tabs following."""
        versions, tabs = self._keys(scope)
        async with self._redis.pipeline(transaction=True) as pipe:
            for topic in topics:
                pipe.hincrby(versions, topic, 1)
            pipe.hgetall(versions)
            pipe.smembers(tabs)
            *_, counters, followers = await pipe.execute()
        return _complete(_decoded(counters)), {_text(tab) for tab in followers}

    async def forget(self, scope: str, tabs: set[str]) -> None:
        """Stop recording `tabs` (closed) as followers of `scope`."""
        if tabs:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.srem(self._keys(scope)[1], *tabs)
                await pipe.execute()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _decoded(counters: dict[bytes | str, bytes | str]) -> Counters:
    return {_text(topic): int(count) for topic, count in counters.items()}


_LOCAL = LocalRegistry()


def registry_of(manager: StateManager) -> Registry:
    """The record beside the states of `manager`: Redis's, or this process's."""
    if isinstance(manager, StateManagerRedis):
        return RedisRegistry(manager.redis)
    return _LOCAL
