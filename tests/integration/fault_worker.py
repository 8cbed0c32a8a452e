"""A portal process for the fault tests (tests/integration/test_faults.py): it does one piece of
work through the same services and jobs as the portal, configured by the environment
(DATABASE_URL, PARTNER_CENTER_SANDBOX_FILE, SMTP_*), so that a test can SIGKILL it midway.

    python -m tests.integration.fault_worker STEP '{"json": "arguments"}'

Steps: `order`, `approve` and `approve-change` (a person's click), `sync` (a pass, as the
shell's), `jobs` (one round of each named portal job, as a worker's job runner does after taking
its lease) and `bulk-licences` (a broker's bulk run). It prints `done` when the step has
finished.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from o365portal.config import get_settings
from o365portal.jobs.portal_jobs import portal_jobs
from o365portal.jobs.runner import run_round
from o365portal.services import sync
from o365portal.services.licences import assign_in_bulk
from o365portal.services.ordering import approve, place_order
from o365portal.services.principal import Principal, Role
from o365portal.services.subscriptions import approve_request


def _principal(data: dict[str, Any]) -> Principal:
    return Principal(
        account_id=data["account_id"],
        email=data["email"],
        name=data["name"],
        role=Role(data["role"]),
        organization_id=data["organization_id"],
    )


async def _jobs(names: list[str]) -> None:
    for job in portal_jobs(get_settings()):
        if job.name in names:
            await run_round(job)


async def _step(step: str, args: dict[str, Any]) -> None:
    if step == "order":
        await place_order(
            actor=_principal(args["actor"]),
            organization_id=args["organization_id"],
            form=args["form"],
        )
    elif step == "approve":
        await approve(actor=_principal(args["actor"]), request_id=args["request_id"])
    elif step == "approve-change":
        await approve_request(actor=_principal(args["actor"]), request_id=args["request_id"])
    elif step == "jobs":
        await _jobs(args["names"])
    elif step == "sync":
        await sync.run_sync(args.get("kind", "full"))
    elif step == "bulk-licences":
        await assign_in_bulk(
            actor=_principal(args["actor"]),
            user_ids=args["user_ids"],
            subscription_ids=args["subscription_ids"],
        )
    else:
        raise SystemExit(f"unknown step {step!r}")


def main(argv: list[str]) -> int:
    """Run one step; 0 when it finished."""
    asyncio.run(_step(argv[0], json.loads(argv[1]) if len(argv) > 1 else {}))
    sys.stdout.write("done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
