"""How long a seat change made in Partner Center takes to show on an open subscriptions page.

Usage: .venv/bin/python scripts/bench_live.py [--stack embedded|production] [--rounds 10]
                                              [--poll-interval 5]

Starts the stack as the browser tests do (tests/e2e/stack.py: a fresh database, the Partner
Center sandbox in this process, the portal with `reflex run --env prod` on one port; production
= PostgreSQL + Redis + two workers), makes a shop (an organization, its tenant and two Business
Basic seats bought in Partner Center and imported), opens the customer's subscriptions page in
Chromium and, round after round, raises the seat count with the sandbox's "Partner Center portal"
app (Microsoft's web portal) and times, by the page's own clock (a MutationObserver), when the
page shows the new count. Each round waits for its change to show before the next one starts.

- webhook mode: the portal's events are registered (as `make run` does) and the audit-log job
  runs at its default interval;
- polling mode: nothing is registered, SYNC_INTERVAL_SECONDS is --poll-interval, so only the
  audit-log job brings the change. Each change first waits a random part of the poll cycle, so
  the changes land anywhere in it (back to back, each would land just after a pass).

Prints min / median / p95 (nearest rank) / max per mode, the polling bound (interval + the
pass's time), and whether the page stayed the same page (a window marker survives every round).
Times run from just before the call that changes the seats (a warm client; the call's own time
is printed too). PostgreSQL (TEST_POSTGRES_URL) and Redis (E2E_REDIS_URL) for production:
`make services`. Figures of this machine: docs/sync.md, "Latency to an open page".
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers in tests/

import redis
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy.exc import OperationalError
from sqlmodel import col, select

from o365portal.config import Settings
from o365portal.db.engine import session_scope
from o365portal.db.tables.sync import SyncRun
from o365portal.partner_center.models import CartLineItem
from o365portal.sandbox.core.rows import WEBHOOK_DELIVERIES
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import sync
from o365portal.services.partner_center import close_http_client
from o365portal.ui import routes
from tests.builders import unique
from tests.databases import postgres_admin_engine
from tests.e2e.journeys import sign_in
from tests.e2e.stack import (
    POSTGRES_URL,
    REDIS_URL,
    STACKS,
    Portal,
    Stack,
    StackError,
    chromium,
    partner_center_sandbox,
    portal_database,
    running_portal,
    stack_named,
)
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    Shop,
    ensure_cost,
    fast_client,
    open_shop,
)

T = TypeVar("T")
PHONE = {"width": 390, "height": 844}  # the cards show "N seats" (the table, only the number)
MARK = "window.__live_page"  # set on the open page; a reload or navigation would drop it
WEBHOOK_WAIT_SECONDS = 30  # a webhook round that takes longer fails the run
PASS_MARGIN_SECONDS = 60  # a polling round may take the interval plus this
DEFAULT_INTERVAL = Settings.model_fields["sync_interval_seconds"].default
# Notes, by the page's clock, when a card naming the subscription first shows the awaited count.
OBSERVER = """name => {
    const bench = (window.__bench = {seats: null, shownAt: null});
    const look = () => {
        if (bench.seats === null || bench.shownAt !== null) return;
        const want = new RegExp(`(^|\\\\D)${bench.seats} seats`);
        for (const card of document.querySelectorAll(".rt-Card")) {
            const text = card.textContent;
            if (text.includes(name) && want.test(text)) {
                bench.shownAt = Date.now();
                return;
            }
        }
    };
    bench.await = seats => { bench.seats = seats; bench.shownAt = null; look(); };
    new MutationObserver(look).observe(document.body, {
        subtree: true, childList: true, characterData: true,
    });
}"""


def run_service(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a portal service coroutine on a loop of its own (Playwright owns this thread's)."""

    async def main() -> T:
        try:
            return await coroutine
        finally:
            await close_http_client()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


class MicrosoftsPortal:
    """Microsoft's web portal: one client of the sandbox's "Partner Center portal" app, kept
    open (its token cached) on a loop in a thread of its own."""

    def __init__(self, sandbox: SandboxInfo) -> None:
        self._pool = ThreadPoolExecutor(1)
        self._runner = asyncio.Runner()
        self._sandbox = HttpsSandbox(sandbox)
        self._client = self._sandbox.client(portal_app=True)
        self._call(self._client.__aenter__())

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self._pool.submit(self._runner.run, coroutine).result()

    def buy_two_seats(self, customer_id: str, name: str) -> str:
        """Two Business Basic seats bought for the customer; the subscription's id."""
        line = CartLineItem(
            catalog_item_id=BASIC_MONTHLY.catalog_item_id, quantity=2, billing_cycle="monthly",
            term_duration="P1Y", friendly_name=name,
        )  # fmt: skip
        self._call(self._client.orders.purchase(customer_id, [line]))
        self._sandbox.post("clock", {"advance": "PT11S"})  # provisioned
        subscriptions = self._call(self._client.subscriptions.list(customer_id))
        [bought] = [s for s in subscriptions if s.friendly_name == name]
        return bought.id

    def set_seats(self, customer_id: str, subscription_id: str, seats: int) -> None:
        """Change the subscription's seat count."""
        self._call(self._client.subscriptions.set_quantity(customer_id, subscription_id, seats))

    def close(self) -> None:
        """Close the client and its loop."""
        self._call(self._client.__aexit__(None, None, None))
        self._pool.submit(self._runner.close).result()
        self._pool.shutdown()


class NotShown(RuntimeError):
    """A round's change did not show on the page in time."""


@dataclass(frozen=True)
class Bought:
    """The benchmark's shop and the subscription bought for it in Partner Center."""

    shop: Shop
    name: str
    pc_id: str


@dataclass(frozen=True)
class Bench:
    """What every mode of one stack runs against."""

    stack: Stack
    database_url: str
    sandbox: SandboxInfo
    folder: Path
    browser: Browser
    bought: Bought
    microsoft: MicrosoftsPortal


@dataclass(frozen=True)
class Rounds:
    """One mode's rounds: seconds from each change to the page showing it, and the page."""

    seconds: list[float]
    call_seconds: list[float]  # how long the call that changed the seats took
    page_kept: bool  # the window marker survived: the page was never reloaded
    page_errors: list[str]
    events: int  # events the sandbox delivered to the portal during the rounds
    pass_seconds: list[float]  # how long each audit-log pass during the rounds took


def make_shop(sandbox: SandboxInfo) -> Bought:
    """A shop whose two Basic seats were bought in Partner Center and imported by a sync pass
    (then a full reconcile, so the portal's own is not due while the rounds run)."""

    async def open_it() -> Shop:
        async with fast_client(HttpsSandbox(sandbox)) as pc:
            shop = await open_shop(pc, price="7.50")
        ensure_cost(BASIC_MONTHLY, "6.00")
        return shop

    shop = run_service(open_it())
    name = unique("Bought at Microsoft ")
    microsoft = MicrosoftsPortal(sandbox)
    try:
        pc_id = microsoft.buy_two_seats(shop.customer_id, name)
    finally:
        microsoft.close()
    run_service(sync.run_sync("incremental", wait=60))
    run_service(sync.run_sync("full", wait=60))
    return Bought(shop, name, pc_id)


@contextmanager
def open_subscriptions_page(
    browser: Browser, portal: Portal, bought: Bought
) -> Iterator[tuple[Page, list[str]]]:
    """The customer's subscriptions page at phone size, showing the subscription, with the
    observer installed and the marker set; the page and the errors it raises."""
    context = browser.new_context(base_url=portal.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, bought.shop.customer)
        page.goto(routes.subscriptions_url(bought.shop.organization_id))
        expect(page.locator(".rt-Card").filter(has_text=bought.name)).to_be_visible()
        page.evaluate(OBSERVER, bought.name)
        page.evaluate(f"{MARK} = true")
        yield page, errors
    finally:
        context.close()


def delivered_events(sandbox: SandboxInfo) -> int:
    """How many events the sandbox has delivered to a portal so far."""
    with sandbox.state.lock:
        rows = list(sandbox.state.table(WEBHOOK_DELIVERIES).values())
    return sum(1 for row in rows if row["status"] == "delivered")


def passes_since(since: datetime) -> list[float]:
    """How long each audit-log pass that started since `since` took (finished ones)."""
    with session_scope() as session:
        rows = session.exec(
            select(SyncRun)
            .where(SyncRun.kind == "incremental")
            .where(SyncRun.status == "done")
            .where(col(SyncRun.started_at) >= since)
        ).all()
        return [(r.finished_at - r.started_at).total_seconds() for r in rows if r.finished_at]


def run_mode(
    bench: Bench,
    *,
    webhook: bool,
    interval: float,
    seats: int,
    rounds: int,
    pause: tuple[float, float],
    timeout: float,
) -> Rounds:
    """A portal with (or without) the webhook and this audit-log interval, its page open, and
    `rounds` changes from `seats` + 1 up, each after a random pause within `pause`, each timed
    until the page shows it (at most `timeout` seconds)."""
    folder = bench.folder / ("webhook" if webhook else "polling")
    folder.mkdir()
    mode = "with" if webhook else "without"
    print(f"[{bench.stack}] the portal {mode} the webhook, audit log every {interval:g} s ...")
    with (
        running_portal(
            bench.database_url,
            bench.sandbox,
            bench.stack,
            folder,
            webhook=webhook,
            overrides={"SYNC_INTERVAL_SECONDS": str(interval)},
        ) as portal,
        open_subscriptions_page(bench.browser, portal, bench.bought) as (page, errors),
    ):
        expect(page.locator(".rt-Card").filter(has_text=f"{seats} seats")).to_be_visible()
        since, events = datetime.now(UTC) - timedelta(seconds=1), delivered_events(bench.sandbox)
        pick = random.Random()
        seconds: list[float] = []
        calls: list[float] = []
        for _ in range(rounds):
            seats += 1
            time.sleep(pick.uniform(*pause))
            page.evaluate("seats => window.__bench.await(seats)", seats)
            started = time.time()
            bench.microsoft.set_seats(bench.bought.shop.customer_id, bench.bought.pc_id, seats)
            calls.append(time.time() - started)
            try:
                page.wait_for_function(
                    "() => window.__bench.shownAt !== null", timeout=timeout * 1000, polling=100
                )
            except PlaywrightTimeoutError:
                log = portal.log.read_text(errors="replace")[-3000:]
                raise NotShown(
                    f"the page did not show {seats} seats within {timeout:g} s"
                    f" ({mode} the webhook); the portal's log ends:\n{log}"
                ) from None
            seconds.append(page.evaluate("window.__bench.shownAt") / 1000 - started)
        return Rounds(
            seconds,
            calls,
            page_kept=bool(page.evaluate(f"{MARK} === true")),
            page_errors=list(errors),
            events=delivered_events(bench.sandbox) - events,
            pass_seconds=passes_since(since),
        )


def nearest_rank(values: list[float], share: float) -> float:
    """The `share` quantile by nearest rank (p95 of 10 values is the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def figures(values: list[float]) -> str:
    """min / median / p95 / max of seconds."""
    shown = (min(values), statistics.median(values), nearest_rank(values, 0.95), max(values))
    return "min {:.2f} s  median {:.2f} s  p95 {:.2f} s  max {:.2f} s".format(*shown)


def describe(title: str, rounds: Rounds) -> str:
    """A mode's figures, its rounds in order, and what the page and the sandbox saw."""
    kept = "kept (never reloaded)" if rounds.page_kept else "GONE: the page was reloaded"
    errors = "; ".join(rounds.page_errors) or "none"
    return "\n    ".join(
        (
            title,
            figures(rounds.seconds),
            "rounds in order: " + " ".join(f"{value:.2f}" for value in rounds.seconds),
            f"window marker {kept}; page errors: {errors}; events delivered: {rounds.events}",
        )
    )


def report(stack: Stack, webhook: Rounds, polling: Rounds, poll_interval: float) -> None:
    """Print both modes' figures and the polling bound."""
    calls = statistics.median(webhook.call_seconds + polling.call_seconds) * 1000
    print(
        f"\n[{stack}] from a seat change in Partner Center to the open subscriptions page,"
        f" {len(webhook.seconds)} rounds per mode (the change call itself: median {calls:.0f} ms)"
    )
    interval = f"SYNC_INTERVAL_SECONDS={DEFAULT_INTERVAL:g}"
    print(describe(f"  webhook (registered, {interval}):", webhook))
    print(describe(f"  polling (no webhook, SYNC_INTERVAL_SECONDS={poll_interval:g}):", polling))
    if passes := polling.pass_seconds:
        slowest = max(passes)
        print(
            f"    expected bound: interval {poll_interval:g} s + pass {slowest:.2f} s"
            f" = {poll_interval + slowest:.2f} s ({len(passes)} passes: median"
            f" {statistics.median(passes):.2f} s, slowest {slowest:.2f} s)"
        )


def run_stack(stack: Stack, rounds: int, poll_interval: float, browser: Browser) -> int:
    """Polling, then webhook mode (the webhook is registered only then) on one stack, on one
    database and sandbox; prints the figures; 0, or 1 if the page was reloaded."""
    print(f"[{stack}] a fresh database, the sandbox and a shop ...", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="bench-live-") as temp,
        portal_database(stack, Path(temp)) as database_url,
        partner_center_sandbox(Path(temp) / "sandbox") as sandbox,
    ):
        bought = make_shop(sandbox)
        microsoft = MicrosoftsPortal(sandbox)
        try:
            bench = Bench(stack, database_url, sandbox, Path(temp), browser, bought, microsoft)
            polling = run_mode(
                bench, webhook=False, interval=poll_interval, seats=2, rounds=rounds,
                pause=(0, poll_interval), timeout=poll_interval + PASS_MARGIN_SECONDS,
            )  # fmt: skip
            webhook = run_mode(
                bench, webhook=True, interval=DEFAULT_INTERVAL, seats=2 + rounds, rounds=rounds,
                pause=(0.2, 1.0), timeout=WEBHOOK_WAIT_SECONDS,
            )  # fmt: skip
        finally:
            microsoft.close()
    report(stack, webhook, polling, poll_interval)
    return 0 if polling.page_kept and webhook.page_kept else 1


def production_reachable() -> str | None:
    """Why the production stack cannot start here (PostgreSQL or Redis down), or None."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis is not reachable at {REDIS_URL} ({error}); run `make services`"
    admin = postgres_admin_engine(POSTGRES_URL)
    try:
        with admin.connect():
            pass
    except OperationalError as error:
        return f"PostgreSQL is not reachable at {POSTGRES_URL} ({error.orig}); `make services`"
    finally:
        admin.dispose()
    return None


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the benchmark on the chosen stack."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--stack", choices=STACKS, default="embedded")
    parser.add_argument("--rounds", type=int, default=10, help="changes per mode (default 10)")
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=5.0,
        help="SYNC_INTERVAL_SECONDS of the polling portal (default 5)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.poll_interval <= 0:
        parser.error("--poll-interval must be more than 0 seconds")
    stack = stack_named(args.stack)
    if stack == "production" and (reason := production_reachable()):
        parser.exit(2, f"bench_live: {reason}\n")
    try:
        with chromium() as browser:
            return run_stack(stack, args.rounds, args.poll_interval, browser)
    except (StackError, NotShown) as error:
        parser.exit(1, f"bench_live: {error}\n")


if __name__ == "__main__":
    sys.exit(main())
