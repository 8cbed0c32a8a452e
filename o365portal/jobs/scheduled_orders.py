"""The scheduled-orders job: on each round, place the orders whose go-live day has come.

It runs under the job runner's DB lease (one worker at a time); the service claims each order
with a conditional UPDATE and reuses the order's stored cart, so an order is bought once even
when two runners overlap or a worker dies midway (services/ordering_scheduled.py).
"""

from __future__ import annotations

from o365portal.config import Settings
from o365portal.jobs.runner import Job
from o365portal.services.ordering import place_due_orders

SCHEDULED_ORDERS_JOB = "scheduled-orders"


async def _work() -> list[int]:
    return await place_due_orders()


def scheduled_orders_job(settings: Settings) -> Job:
    """Place due scheduled orders every SCHEDULED_ORDERS_INTERVAL_SECONDS."""
    return Job(SCHEDULED_ORDERS_JOB, settings.scheduled_orders_interval_seconds, _work)
