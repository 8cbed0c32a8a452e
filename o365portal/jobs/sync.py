"""The sync jobs: the audit-log pass every SYNC_INTERVAL_SECONDS, and a full reconcile once the
last one is SYNC_FULL_INTERVAL_HOURS old (or none has run). Both run under the sync service's
own lease too, so they never overlap each other, another worker or `python -m o365portal sync`.
"""

from __future__ import annotations

from datetime import timedelta

from o365portal.config import Settings
from o365portal.jobs.runner import Job
from o365portal.services import sync

SYNC_CHANGES_JOB = "sync-changes"
SYNC_FULL_JOB = "sync-full"
FULL_CHECK_SECONDS = 300.0


async def _changes() -> sync.SyncReport | None:
    try:
        return await sync.run_sync("incremental")
    except sync.SyncBusy:
        return None  # a full pass (or the shell) is at it: the next round catches up


def _full(every: timedelta) -> Job:
    async def work() -> sync.SyncReport | None:
        if not sync.full_sync_due(every):
            return None
        try:  # a changes pass may hold the lease for a moment: wait for it
            return await sync.run_sync("full", wait=FULL_CHECK_SECONDS / 2)
        except sync.SyncBusy:
            return None

    return Job(SYNC_FULL_JOB, FULL_CHECK_SECONDS, work, lease_seconds=FULL_CHECK_SECONDS * 2)


def sync_jobs(settings: Settings) -> list[Job]:
    """The two sync loops."""
    return [
        Job(SYNC_CHANGES_JOB, settings.sync_interval_seconds, _changes),
        _full(timedelta(hours=settings.sync_full_interval_hours)),
    ]
