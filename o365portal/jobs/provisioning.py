"""The order-provisioning job: on each round, turn the orders Microsoft has provisioned active.

It runs under the job runner's DB lease (one worker at a time); completing an order is a
conditional UPDATE and an abandoned checkout is claimed before it is repeated, so an order is
completed once even when two runners overlap or a worker dies midway
(services/ordering_provisioning.py).
"""

from __future__ import annotations

from o365portal.config import Settings
from o365portal.jobs.runner import Job
from o365portal.services.ordering import complete_provisioning

PROVISIONING_JOB = "order-provisioning"


async def _work() -> list[int]:
    return await complete_provisioning()


def provisioning_job(settings: Settings) -> Job:
    """Look for provisioned orders every PROVISIONING_INTERVAL_SECONDS."""
    return Job(PROVISIONING_JOB, settings.provisioning_interval_seconds, _work)
