"""Operations from the shell: `python -m o365portal <command>`, over the same services as the
pages, configured by the same environment (DATABASE_URL, PARTNER_CENTER_*, ...).

sync --once [--full]    one pass with Partner Center (the audit log, or a full reconcile);
                        prints what it changed; exit 1 if the pass failed, 2 if one is running
sync                    the audit-log pass every SYNC_INTERVAL_SECONDS until interrupted
db ...                  the database commands of `python -m o365portal.db` (upgrade, check, ...)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from o365portal.config import get_settings
from o365portal.db import __main__ as db_command
from o365portal.services import clock, sync


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the process exit code."""
    args, rest = _parser().parse_known_args(argv)
    if args.command == "db":
        return db_command.main(rest)
    if args.full and not args.once:
        _parser().error("--full runs one pass: use it with --once")
    if rest:
        _parser().error(f"unrecognized arguments: {' '.join(rest)}")
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
    return parser


if __name__ == "__main__":
    sys.exit(main())
