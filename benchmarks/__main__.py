"""`make bench`: seed, build the floor and the portal, time both in Chromium, print one table.

Usage: .venv/bin/python -m benchmarks [--repetitions 20] [--stack embedded|production]
       [--parts latency sizes concurrency billing] [--sessions 10 50 100] [--load-seconds 20]
       [--billing-sizes 1000 10000]

The stack starts as the browser tests start it (tests/e2e/stack.py): a fresh database (SQLite,
or with `--stack production` a new PostgreSQL database, Redis and two workers), the Partner
Center sandbox in this process, the portal with `reflex run --env prod` on one port. The floor
app (floor.py) is built and served in the same run; the two are measured one after the other,
never at the same time. Nothing is timed while seeding or building. Concurrency replays a real
tab's websocket frames from many simulated tabs at once (concurrency.py); the billing report is
timed last, by benchmarks/billing_report.py on its own SQLite database, once the stack stopped.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.floor import floor_app
from benchmarks.portal import (
    Timings,
    measure_concurrency,
    measure_floor,
    measure_portal,
    measure_sizes,
)
from benchmarks.report import FIRST_PAGE_MS, Row, concurrency_table, latency_table, size_table
from benchmarks.seed import seed
from o365portal.config import Settings
from tests.e2e.stack import (
    REDIS_URL,
    STACKS,
    chromium,
    partner_center_sandbox,
    portal_database,
    running_portal,
    stack_named,
)

PARTS = ("latency", "sizes", "concurrency", "billing")


def as_deployed() -> dict[str, str]:
    """The portal's environment as brokers run it, over the browser tests' (tests/e2e/stack.py):
    business time is real time (a test portal reads its movable clock from the database at
    every reading) and the job loops run at their default pace, not the tests' fast one."""
    fields = Settings.model_fields
    return {
        "O365PORTAL_ENV": "production",
        "SCHEDULED_ORDERS_INTERVAL_SECONDS": str(
            fields["scheduled_orders_interval_seconds"].default
        ),
        "PROVISIONING_INTERVAL_SECONDS": str(fields["provisioning_interval_seconds"].default),
    }


def parse_arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--repetitions", type=int, default=20, help="per action (default 20)")
    parser.add_argument("--stack", type=stack_named, default="embedded", help=" or ".join(STACKS))
    parser.add_argument(
        "--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to measure (all)"
    )
    parser.add_argument(
        "--sessions", type=int, nargs="+", default=[10, 50, 100], help="concurrent tabs (10 50 100)"
    )
    parser.add_argument(
        "--load-seconds", type=float, default=20.0, help="per number of sessions (default 20)"
    )
    parser.add_argument(
        "--billing-sizes", type=int, nargs="+", default=[1000, 10000], help="subscriptions"
    )
    arguments = parser.parse_args()
    if arguments.repetitions < 1:
        parser.error("--repetitions must be at least 1")
    if min(arguments.sessions) < 1 or arguments.load_seconds <= 0:
        parser.error("--sessions and --load-seconds must be positive")
    return arguments


def machine() -> str:
    """Where the figures were taken."""
    cores = len(os.sched_getaffinity(0))
    return f"{platform.node()}, {platform.system()} {platform.machine()}, {cores} cores"


def main() -> int:
    """Run the benchmark and print its tables."""
    arguments = parse_arguments()
    parts, began = set(arguments.parts), time.monotonic()
    print(
        f"make bench: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, "
        f"stack {arguments.stack}, {' '.join(p for p in PARTS if p in parts)}"
    )
    if parts & {"latency", "sizes", "concurrency"}:
        measure_stack(arguments, parts)
    if "billing" in parts:
        print("\nBilling report, 12 months (benchmarks/billing_report.py, SQLite)", flush=True)
        print(billing_figures(arguments.billing_sizes))
    print(f"\n{time.monotonic() - began:,.0f} s in all")
    return 0


def measure_stack(arguments: argparse.Namespace, parts: set[str]) -> None:
    """Seed the stack, serve the floor and the portal, measure `parts` and print their tables."""
    stack, repetitions = arguments.stack, arguments.repetitions
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
                database_url, sandbox, stack, folder, overrides=as_deployed()
            ) as portal, chromium() as browser:  # fmt: skip
                print("floor app and portal built and serving; timing", flush=True)
                if "latency" in parts:
                    floor = measure_floor(browser, floor_url, repetitions)
                    timings = measure_portal(browser, portal.url, seeded, repetitions)
                    print_latency(timings, floor, repetitions)
                if "sizes" in parts:
                    redis_url = REDIS_URL if stack == "production" else None
                    sizes = measure_sizes(browser, portal.url, seeded, floor_url, redis_url)
                    print("\nSize of a session: a new signed-in tab opening the page")
                    print(size_table([(s.page, s.received.received, s.received.frames,
                                       s.state_bytes) for s in sizes]))  # fmt: skip
                if "concurrency" in parts:
                    levels, replayed = measure_concurrency(
                        browser, portal.url, seeded, floor_url, arguments.sessions,
                        arguments.load_seconds,
                    )  # fmt: skip
                    print(
                        f"\nConcurrency, stack {stack}: simulated tabs replaying a real tab's "
                        f"websocket frames, one event a second each, {arguments.load_seconds:g} s "
                        f"per level; ms from an event's frame to its last delta\n{replayed}"
                    )
                    print(concurrency_table(levels))
                    for load in (load for level in levels for load in level if load.wrong):
                        print(
                            f"{load.sessions} sessions, first wrong answer:",
                            load.first_wrong[:300],
                        )


def print_latency(timings: Timings, floor: Timings, repetitions: int) -> None:
    """The UI latency table."""
    rows = [
        Row("first page", timings.pop("first page"), "first load", floor["first"], FIRST_PAGE_MS),
        Row("sign-in", timings.pop("sign-in"), "load", floor["load"]),
    ]
    for action, measured in timings.items():
        clicked = any(word in action for word in ("preview", "price list", "billing"))
        kind = "navigate" if "in-page" in action else "click" if clicked else "load"
        rows.append(Row(action, measured, kind, floor[kind]))
    print(f"\nUI latency in Chromium, ms from the action to the text, {repetitions} repetitions")
    print(latency_table(rows), flush=True)


def billing_figures(sizes: list[int]) -> str:
    """benchmarks/billing_report.py's table for `sizes` subscriptions (its database in a
    temporary folder removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="bench-billing-") as folder:
        script = Path(__file__).with_name("billing_report.py")
        command = [sys.executable, str(script), "--sizes", *map(str, sizes)]
        env = os.environ | {"TMPDIR": folder}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout.rstrip()


if __name__ == "__main__":
    raise SystemExit(main())
