"""The pending-licences job: licence changes whose seat purchase the broker has approved are made
as soon as the seats exist (services/licences/_pending.py), under the runner's DB lease."""

from __future__ import annotations

from o365portal.config import Settings
from o365portal.jobs.runner import Job
from o365portal.services.licences import complete_pending_licences

PENDING_LICENCES_JOB = "pending-licences"


async def _work() -> list[int]:
    return await complete_pending_licences()


def pending_licences_job(settings: Settings) -> Job:
    """Look for approved seats with a licence change waiting, as often as for provisioned
    orders (PROVISIONING_INTERVAL_SECONDS)."""
    return Job(PENDING_LICENCES_JOB, settings.provisioning_interval_seconds, _work)
