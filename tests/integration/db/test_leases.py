"""A job lease is held by exactly one worker at a time, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.leases import release_lease, try_acquire_lease
from o365portal.db.tables import JobLease

from .rows import NOW, unique

TTL = timedelta(minutes=1)


def _acquire(database_url: str, name: str, holder: str, seconds_later: float = 0) -> bool:
    with session_scope(database_url) as session:
        return try_acquire_lease(session, name, holder, TTL, NOW + timedelta(seconds=seconds_later))


def _holder(database_url: str, name: str) -> str | None:
    with session_scope(database_url) as session:
        lease = session.exec(select(JobLease).where(JobLease.name == name)).one_or_none()
        return lease.holder if lease else None


def test_only_one_of_two_concurrent_holders_gets_the_lease(database_url: str) -> None:
    name, results = unique("sync"), {}
    start = threading.Barrier(2)

    def worker(holder: str) -> None:
        start.wait()
        with session_scope(database_url) as session:
            results[holder] = try_acquire_lease(session, name, holder, TTL, NOW)
            time.sleep(0.2)  # keep the transaction open so the other worker must wait on it

    threads = [threading.Thread(target=worker, args=(holder,)) for holder in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [holder for holder, acquired in results.items() if acquired]
    assert len(results) == 2
    assert len(winners) == 1
    assert _holder(database_url, name) == winners[0]


def test_the_holder_renews_and_others_take_over_only_after_expiry(database_url: str) -> None:
    name = unique("mail")
    assert _acquire(database_url, name, "w1")
    assert not _acquire(database_url, name, "w2", seconds_later=30)
    assert _acquire(database_url, name, "w1", seconds_later=50)  # renewed until 110 s
    assert not _acquire(database_url, name, "w2", seconds_later=100)

    assert _acquire(database_url, name, "w2", seconds_later=110)
    assert _holder(database_url, name) == "w2"


def test_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it(
    database_url: str,
) -> None:
    name = unique("scheduling")
    assert _acquire(database_url, name, "w1")
    with session_scope(database_url) as session:
        assert not release_lease(session, name, "w2")
        assert release_lease(session, name, "w1")

    assert _acquire(database_url, name, "w2", seconds_later=1)
