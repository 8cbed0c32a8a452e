"""Operations from the shell: `python -m o365portal <command>`, over the same services as the
pages, configured by the same environment (DATABASE_URL, PARTNER_CENTER_*, ...).

sync --once [--full]    one pass with Partner Center (the audit log, or a full reconcile);
                        prints what it changed; exit 1 if the pass failed, 2 if one is running
sync                    the audit-log pass every SYNC_INTERVAL_SECONDS until interrupted
report billing --from YYYY-MM --to YYYY-MM [--organization ID] [--tenant CUSTOMER_ID]
               [--view broker|customer] [--format json|csv|xlsx] [--output FILE]
                        the billing report of those months (docs/billing.md), as the broker
                        sees it or as the organization's customers do; exit 2 on bad input
db ...                  the database commands of `python -m o365portal.db` (upgrade, check, ...)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from o365portal.config import get_settings
from o365portal.db import __main__ as db_command
from o365portal.services import billing, clock, sync
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound
from o365portal.services.principal import Principal, Role

# The operations command acts for the broker (it runs with the portal's own configuration).
OPERATIONS = Principal(
    account_id=0, email="", name="Operations command", role=Role.BROKER, organization_id=None
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the process exit code."""
    args, rest = _parser().parse_known_args(argv)
    if args.command == "db":
        return db_command.main(rest)
    if rest:
        _parser().error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "report":
        return _billing_report(args)
    if args.full and not args.once:
        _parser().error("--full runs one pass: use it with --once")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.once:
        return asyncio.run(_once(full=args.full))
    return asyncio.run(_forever())


async def _once(*, full: bool) -> int:
    started = clock.now()
    try:
        report = await sync.run_sync("full" if full else "incremental")
    except sync.SyncBusy as busy:
        _say(str(busy))
        return 2
    for line in sync.changes_since(started):
        _say(line)
    _say(f"{report.kind} pass {report.run_id}: {report.changes} changes in {report.seconds} s")
    if report.calls is not None:
        calls = report.calls
        bound = f" (busiest minute {calls.busiest_minute} of {calls.bound})" if calls.bound else ""
        waited = calls.retry_after_wait + calls.rate_limit_wait
        _say(
            f"Partner Center: {calls.requests} requests, {calls.throttled} throttled, "
            f"{waited:.1f} s waited{bound}"
        )
    if report.error:
        _say(f"failed: {report.error}")
        return 1
    return 0


def _billing_report(args: argparse.Namespace) -> int:
    try:
        organization_id = args.organization
        if args.tenant:
            found = billing.tenant_organization(actor=OPERATIONS, customer_id=args.tenant)
            if organization_id is not None and organization_id != found:
                return _refuse(f"tenant {args.tenant} belongs to organization {found}")
            organization_id = found
        actor = OPERATIONS
        if args.view == "customer":
            if organization_id is None:
                return _refuse("--view customer needs --organization or --tenant")
            actor = Principal(0, "", "Operations command", Role.CUSTOMER, organization_id)
        reports = billing.billing_report(
            actor=actor,
            first_month=args.first_month,
            last_month=args.last_month,
            organization_id=organization_id,
        )
        if args.format == "json":
            content = (json.dumps(billing.report_json(reports), indent=2) + "\n").encode()
        else:
            content = billing.export_report(
                actor=actor, reports=reports, file_format=args.format
            ).content
    except InvalidInput as error:
        return _refuse("; ".join(error.field_errors.values()))
    except (NotFound, NotAllowed) as error:
        return _refuse(str(error))
    if args.output:
        Path(args.output).write_bytes(content)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return 0


def _refuse(message: str) -> int:
    sys.stderr.write(f"python -m o365portal report billing: {message}\n")
    return 2


async def _forever() -> int:
    interval = get_settings().sync_interval_seconds
    while True:
        await _once(full=False)
        await asyncio.sleep(interval)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m o365portal",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("sync", help="sync with Partner Center")
    run.add_argument("--once", action="store_true", help="one pass, then exit")
    run.add_argument("--full", action="store_true", help="a full reconcile (with --once)")
    commands.add_parser(
        "db", help="database commands (see python -m o365portal.db --help)", add_help=False
    )
    reports = commands.add_parser("report", help="reports").add_subparsers(
        dest="report", required=True
    )
    report = reports.add_parser("billing", help="the billing report (docs/billing.md)")
    report.add_argument("--from", dest="first_month", required=True, metavar="YYYY-MM")
    report.add_argument("--to", dest="last_month", required=True, metavar="YYYY-MM")
    report.add_argument("--organization", type=int, metavar="ID", help="one organization")
    report.add_argument("--tenant", metavar="MICROSOFT_CUSTOMER_ID", help="its tenant")
    report.add_argument("--view", choices=("broker", "customer"), default="broker")
    report.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    report.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    return parser


if __name__ == "__main__":
    sys.exit(main())
