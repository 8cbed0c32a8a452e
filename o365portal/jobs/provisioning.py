"""The order-provisioning job: on each round, turn the orders Microsoft has provisioned active
and finish the approved subscription changes a dead worker left half-done.

It runs under the job runner's DB lease (one worker at a time); completing an order is a
conditional UPDATE and an abandoned checkout is claimed before it is repeated, so an order is
completed once even when two runners overlap or a worker dies midway
(services/ordering/_provisioning.py); an abandoned approved change is claimed the same way, and
Partner Center is read before it is made again (services/subscriptions/_approved.py).
"""

from __future__ import annotations

from o365portal.config import Settings
from o365portal.jobs.runner import Job
from o365portal.services.ordering import complete_provisioning
from o365portal.services.subscriptions import finish_approved_changes

PROVISIONING_JOB = "order-provisioning"


async def _work() -> tuple[list[int], list[int]]:
    return await complete_provisioning(), await finish_approved_changes()


def provisioning_job(settings: Settings) -> Job:
    """Look for provisioned orders and abandoned approved changes every
    PROVISIONING_INTERVAL_SECONDS."""
    return Job(PROVISIONING_JOB, settings.provisioning_interval_seconds, _work)
