"""The job runner: each `Job` is a loop that takes its DB lease before every round of work.

`run_jobs(jobs)` runs the loops until cancelled (Reflex cancels lifespan tasks on shutdown);
on cancellation each loop gives its lease back so another worker can take over at once. A round
that raises is logged and the loop carries on: one bad round must not stop e-mail for good.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from o365portal.db.engine import session_scope
from o365portal.db.leases import release_lease, try_acquire_lease

logger = logging.getLogger("o365portal.jobs")
_HOLDERS: dict[int, str] = {}  # by process id: a forked worker must not inherit its parent's


def this_worker() -> str:
    """This process's name as a lease holder (host, pid, a random part), made in the process
    itself: Granian forks its workers from the process that imported the app, and workers
    sharing one name would all hold every lease and all run every job."""
    pid = os.getpid()
    return _HOLDERS.setdefault(pid, f"{socket.gethostname()}:{pid}:{uuid.uuid4().hex[:8]}")


@dataclass(frozen=True)
class Job:
    """A named unit of periodic work; `lease_seconds` must outlast one round."""

    name: str
    interval_seconds: float
    work: Callable[[], Awaitable[object]]
    lease_seconds: float = 300.0


def take_lease(job: Job, holder: str | None = None) -> bool:
    """Take or renew the job's lease for `holder` (default: this worker); True if it may work
    now."""
    with session_scope() as session:
        now = datetime.now(UTC)
        return try_acquire_lease(
            session, job.name, holder or this_worker(), timedelta(seconds=job.lease_seconds), now
        )


def give_back_lease(job: Job, holder: str | None = None) -> None:
    """Release the job's lease if `holder` (default: this worker) holds it."""
    with session_scope() as session:
        release_lease(session, job.name, holder or this_worker())


async def run_round(job: Job, holder: str | None = None) -> bool:
    """One round: work if the lease is ours; True if this worker did the work."""
    if not await asyncio.to_thread(take_lease, job, holder):
        return False
    await job.work()
    return True


async def run_loop(job: Job, holder: str | None = None) -> None:
    """Run rounds every `interval_seconds` until cancelled, then release the lease."""
    try:
        while True:
            try:
                await run_round(job, holder)
            except Exception:  # logged, and the next round tries again
                logger.exception("job %s: round failed", job.name)
            await asyncio.sleep(job.interval_seconds)
    finally:
        await asyncio.shield(asyncio.to_thread(give_back_lease, job, holder))


async def run_jobs(jobs: Sequence[Job]) -> None:
    """Run all loops concurrently until cancelled."""
    if not jobs:
        return
    logger.info("jobs started: %s (holder %s)", ", ".join(j.name for j in jobs), this_worker())
    async with asyncio.TaskGroup() as group:
        for job in jobs:
            group.create_task(run_loop(job), name=f"job:{job.name}")
