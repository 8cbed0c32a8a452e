"""`make bench`: seed, build the floor and the portal, time both in Chromium, print one table.

Usage: .venv/bin/python -m benchmarks [--repetitions 20] [--stack embedded|production]

The stack starts as the browser tests start it (tests/e2e/stack.py): a fresh database (SQLite,
or with `--stack production` a new PostgreSQL database, Redis and two workers), the Partner
Center sandbox in this process, the portal with `reflex run --env prod` on one port. The floor
app (floor.py) is built and served in the same run; the two are measured one after the other,
never at the same time. Nothing is timed while seeding or building.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.floor import floor_app
from benchmarks.portal import measure_floor, measure_portal, measure_sizes
from benchmarks.report import FIRST_PAGE_MS, Row, latency_table, size_table
from benchmarks.seed import seed
from tests.e2e.stack import (
    REDIS_URL,
    STACKS,
    chromium,
    partner_center_sandbox,
    portal_database,
    running_portal,
    stack_named,
)

NOT_MEASURED = [
    ("expand a billing cycle", "billing page not built (issue 14)"),
    ("concurrency, 10/50/100 sessions", "not built yet (docs/performance.md)"),
]


def parse_arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--repetitions", type=int, default=20, help="per action (default 20)")
    parser.add_argument("--stack", type=stack_named, default="embedded", help=" or ".join(STACKS))
    arguments = parser.parse_args()
    if arguments.repetitions < 1:
        parser.error("--repetitions must be at least 1")
    return arguments


def machine() -> str:
    """Where the figures were taken."""
    cores = len(__import__("os").sched_getaffinity(0))
    return f"{platform.node()}, {platform.system()} {platform.machine()}, {cores} cores"


def main() -> int:
    """Run the benchmark and print its tables."""
    arguments = parse_arguments()
    stack, repetitions = arguments.stack, arguments.repetitions
    began = time.monotonic()
    print(f"make bench: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, stack {stack}")
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        folder = Path(name)
        with (
            portal_database(stack, folder) as database_url,
            partner_center_sandbox(folder / "sandbox") as sandbox,
        ):
            seeded = seed(sandbox)
            print(
                f"seeded in {seeded.seconds:,.0f} s: {seeded.organizations} organizations, "
                f"{seeded.subscriptions} subscriptions and {seeded.users:,} users in one tenant, "
                f"{seeded.prices} global prices, {seeded.history:,} history lines", flush=True,
            )  # fmt: skip
            with floor_app(stack) as floor_url, running_portal(
                database_url, sandbox, stack, folder
            ) as portal, chromium() as browser:  # fmt: skip
                print("floor app and portal built and serving; timing", flush=True)
                floor = measure_floor(browser, floor_url, repetitions)
                timings = measure_portal(browser, portal.url, seeded, repetitions)
                redis_url = REDIS_URL if stack == "production" else None
                sizes = measure_sizes(browser, portal.url, seeded, floor_url, redis_url)
    rows = [
        Row("first page", timings.pop("first page"), "first load", floor["first"], FIRST_PAGE_MS),
        Row("sign-in", timings.pop("sign-in"), "load", floor["load"]),
    ]
    for action, measured in timings.items():
        clicked = "preview" in action or "price list" in action
        kind = "click" if clicked else "load"
        rows.append(Row(action, measured, kind, floor[kind]))
    print(f"\nUI latency in Chromium, ms from the action to the text, {repetitions} repetitions")
    print(latency_table(rows, NOT_MEASURED))
    print("\nSize of a session: a new signed-in tab opening the page")
    print(
        size_table([(s.page, s.received.received, s.received.frames, s.state_bytes) for s in sizes])
    )
    print(f"\n{time.monotonic() - began:,.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
