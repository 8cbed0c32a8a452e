"""The portal's pages and actions timed in Chromium, and the floor's, `repetitions` times each.

Page loads navigate a signed-in tab (warm cache) to the page; the first page and sign-in use a
fresh context per repetition (cold cache, no session). In-page navigations click the link a
user clicks (the navigation's Organizations, the Microsoft 365 page's Subscriptions and Users)
and wait for what only the page's fresh on_load shows: the tab's copy of the page's state is
first made to show something else (another page of the list, another organization). Each
names the text that shows its result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import redis
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import col, select

from benchmarks import floor
from benchmarks.browser import FrameBytes, bench_context, received_on_load, timed_action, timed_load
from benchmarks.concurrency import Load, Recording, Step, load, record
from benchmarks.seed import SUBSCRIPTION_NAME, Seeded
from o365portal.db.engine import session_scope
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.subscriptions import Subscription
from o365portal.domain.terms import add_months
from o365portal.ui import routes

SIGN_IN_PAGE = "Sign in"
ORGANIZATIONS_SHOWN = r"1–20 of \d+"
ORGANIZATIONS_NEXT = r"21–40 of \d+"
NO_SUBSCRIPTIONS = "No subscriptions yet."
NO_TENANT = "has no Microsoft 365 tenant yet"
SERVICE_SHOWN = "Microsoft 365 tenant"  # the heading of the organization's Microsoft 365 page
USERS_SHOWN = r"1–25 of \d+"
PRICES_FIRST = r"1–25 of \d+"
PRICES_SECOND = r"26–50 of \d+"
SUBSCRIPTIONS_SHOWN = r"1–25 of \d+"  # the pager under the first page of the table
PREVIEWED = r"Per cycle after[\d.,]+ \w+ per [a-z ]+ for {n} seats"  # the dialog's line
BILLING_SHOWN = r"Billing date \d{4}-\d\d-\d\d"  # a report's card, closed
BILLING_EXPANDED = r"Page 1 of \d+"  # the open report's first page of subscriptions
LOAD_PATTERNS = (
    SIGN_IN_PAGE, ORGANIZATIONS_SHOWN, ORGANIZATIONS_NEXT, USERS_SHOWN, PRICES_FIRST,
    SUBSCRIPTIONS_SHOWN, NO_SUBSCRIPTIONS, NO_TENANT, SERVICE_SHOWN, floor.LOADED, floor.BUTTON,
    BILLING_SHOWN,
)  # fmt: skip


@dataclass(frozen=True)
class Sizes:
    """Websocket bytes received while opening a page."""

    page: str
    received: FrameBytes
    state_bytes: int | None  # in Redis, on the production stack


Timings = dict[str, list[float]]


def _repeat(times: int, measure: Callable[[int], float]) -> list[float]:
    return [measure(n) for n in range(times)]


def _fresh(browser: Browser, url: str, use: Callable[[Page], float]) -> float:
    context = bench_context(browser, url, LOAD_PATTERNS)
    try:
        return use(context.new_page())
    finally:
        context.close()


def measure_floor(browser: Browser, url: str, repetitions: int) -> Timings:
    """The floor app: first page (fresh context, to its served text, as the portal's sign-in
    form), load (warm, to the text its on_load sets), and a click."""
    first = _repeat(
        repetitions, lambda _: _fresh(browser, url, lambda p: timed_load(p, "/", floor.BUTTON))
    )
    context = bench_context(browser, url, LOAD_PATTERNS)
    page = context.new_page()
    loads = _repeat(repetitions, lambda _: _floor_load(page))
    button = page.get_by_role("button", name=floor.BUTTON)
    clicks = _repeat(
        repetitions,
        lambda n: timed_action(page, floor.COUNT.format(n=n + 1), button.click),
    )
    link = page.get_by_role("link", name=floor.OTHER_PAGE)

    def navigate(n: int) -> float:
        _floor_load(page)
        return timed_action(page, floor.VISITED.format(n=n + 1), link.click)

    navigations = _repeat(repetitions, navigate)
    context.close()
    return {"first": first, "load": loads, "click": clicks, "navigate": navigations}


def _floor_load(page: Page) -> float:
    return timed_load(page, "/", floor.LOADED)


def _sign_in(page: Page, seeded: Seeded) -> float:
    page.goto(routes.LOGIN)
    page.get_by_label("E-mail").fill(seeded.broker.email)
    page.get_by_label("Password").fill(seeded.broker.password)
    button = page.get_by_role("button", name="Sign in")
    expect(button).to_be_enabled()
    took = timed_action(page, ORGANIZATIONS_SHOWN, button.click)
    expect(page).to_have_url(re.compile(r"/organizations$"))
    return took


def signed_in(browser: Browser, url: str, seeded: Seeded) -> BrowserContext:
    """A context signed in as the seeded broker."""
    context = bench_context(browser, url, LOAD_PATTERNS)
    _sign_in(context.new_page(), seeded)
    return context


def measure_portal(browser: Browser, url: str, seeded: Seeded, repetitions: int) -> Timings:
    """Every page and action of the portal the issue names."""
    big = seeded.big_organization_id
    timings: Timings = {
        "first page": _repeat(
            repetitions, lambda _: _fresh(browser, url, lambda p: timed_load(p, "/", SIGN_IN_PAGE))
        ),
        "sign-in": _repeat(
            repetitions, lambda _: _fresh(browser, url, lambda p: _sign_in(p, seeded))
        ),
    }
    context = signed_in(browser, url, seeded)
    page = context.pages[0]
    pages = {
        "organizations list": (routes.ORGANIZATIONS, ORGANIZATIONS_SHOWN),
        "subscriptions (200)": (routes.subscriptions_url(big), SUBSCRIPTIONS_SHOWN),
        "users (2,000)": (routes.users_url(big), USERS_SHOWN),
    }
    for name, (path, pattern) in pages.items():
        timings[name] = [timed_load(page, path, pattern) for _ in range(repetitions)]
    timings |= _in_page(page, big, _another_organization(big), repetitions)
    timings["change-quantity preview"] = _previews(page, big, repetitions)
    timings["price list: next/previous page"] = _paging(page, repetitions)
    timings["expand a billing cycle"] = _expanding(page, big, repetitions)
    context.close()
    return timings


def _another_organization(big: int) -> int:
    """A seeded organization without a tenant (nothing on its Subscriptions and Users pages)."""
    with session_scope() as session:
        return (
            session.exec(select(Organization.id).where(col(Organization.id) != big).limit(1)).one()
            or 0
        )


def _in_page(page: Page, big: int, other: int, repetitions: int) -> Timings:
    """The organizations list, the big organization's subscriptions and users opened by a
    click, as users open them. Before each click the tab's state of the page is made to show
    something else: the second page of organizations (the list opens on the first), another
    organization's empty Subscriptions or Users page."""
    service = routes.m365_service_url(big)

    def organizations(_: int) -> float:
        timed_load(page, routes.ORGANIZATIONS, ORGANIZATIONS_SHOWN)
        timed_action(page, ORGANIZATIONS_NEXT, page.get_by_role("button", name="Next").click)
        timed_load(page, service, SERVICE_SHOWN)
        link = page.get_by_role("link", name="Organizations", exact=True).filter(visible=True)
        return timed_action(page, ORGANIZATIONS_SHOWN, link.first.click)

    def opened(path: str, before: str, link: str, pattern: str) -> Callable[[int], float]:
        def measure(_: int) -> float:
            timed_load(page, path, before)
            timed_load(page, service, SERVICE_SHOWN)
            return timed_action(page, pattern, page.get_by_role("link", name=link).click)

        return measure

    subscriptions = opened(
        routes.subscriptions_url(other), NO_SUBSCRIPTIONS, "Subscriptions", SUBSCRIPTIONS_SHOWN
    )
    users = opened(routes.users_url(other), NO_TENANT, "Users", USERS_SHOWN)
    return {
        "organizations list, in-page": _repeat(repetitions, organizations),
        "subscriptions (200), in-page": _repeat(repetitions, subscriptions),
        "users (2,000), in-page": _repeat(repetitions, users),
    }


def _previews(page: Page, organization_id: int, repetitions: int) -> list[float]:
    """Actions -> Change quantity on the first subscription (it opens previewing one seat
    more), then type two and three seats more in turn."""
    name = SUBSCRIPTION_NAME.format(n=0)
    with session_scope() as session:
        quantity = session.exec(
            select(Subscription.quantity).where(Subscription.friendly_name == name)
        ).one()
    timed_load(page, routes.subscriptions_url(organization_id), SUBSCRIPTIONS_SHOWN)
    page.get_by_role("button", name=f"Actions for {name}").filter(visible=True).first.click()
    page.get_by_role("menuitem", name="Change quantity").click()
    box = page.get_by_role("dialog").get_by_label("New quantity")

    def preview(n: int) -> float:
        wanted = quantity + 2 + n % 2
        return timed_action(page, PREVIEWED.format(n=wanted), lambda: box.fill(str(wanted)))

    took = _repeat(repetitions, preview)
    page.keyboard.press("Escape")
    return took


def _paging(page: Page, repetitions: int) -> list[float]:
    """Next and Previous in turn on the global price list."""
    timed_load(page, routes.GLOBAL_PRICE_LIST, PRICES_FIRST)
    turns = (("Next", PRICES_SECOND), ("Previous", PRICES_FIRST))

    def turn(n: int) -> float:
        label, pattern = turns[n % 2]
        button = page.get_by_role("button", name=label)
        return timed_action(page, pattern, button.click)

    return _repeat(repetitions, turn)


def _expanding(page: Page, organization_id: int, repetitions: int) -> list[float]:
    """The report of the month the seeded subscriptions started in (a custom range), its
    billing date opened to its subscriptions (a page of 50 shown), closed again before the
    next repetition."""
    with session_scope() as session:
        started = session.exec(
            select(Subscription.started_at).where(
                Subscription.friendly_name == SUBSCRIPTION_NAME.format(n=0)
            )
        ).one()
    month = started.date().replace(day=1)
    timed_load(page, routes.billing_url(organization_id), BILLING_SHOWN)
    page.get_by_role("radio", name="Custom range").click()
    page.get_by_label("From month").fill(f"{month:%Y-%m}")
    page.get_by_label("To month").fill(f"{month:%Y-%m}")
    page.get_by_role("button", name="Show report").click()
    report = page.get_by_role("region", name=f"Billing date {add_months(month, 1).isoformat()}")
    expect(report).to_contain_text(re.compile(r"[1-9]\d* subscriptions"))
    headline = report.get_by_role("button", name=re.compile(r"^Billing date"))

    def expand(_: int) -> float:
        took = timed_action(page, BILLING_EXPANDED, headline.click)
        headline.click()
        return took

    return _repeat(repetitions, expand)


def measure_sizes(
    browser: Browser, url: str, seeded: Seeded, floor_url: str, redis_url: str | None
) -> list[Sizes]:
    """Websocket bytes received by a new signed-in tab opening each of the largest pages (and
    the floor's page), with the bytes of its state in Redis when `redis_url` is the stack's."""
    big = seeded.big_organization_id
    context = signed_in(browser, url, seeded)
    pages = {
        "organizations list": (routes.ORGANIZATIONS, ORGANIZATIONS_SHOWN),
        "subscriptions (200)": (routes.subscriptions_url(big), SUBSCRIPTIONS_SHOWN),
        "users (2,000)": (routes.users_url(big), USERS_SHOWN),
        "price list editor": (routes.GLOBAL_PRICE_LIST, PRICES_FIRST),
    }
    sizes = []
    for name, (path, pattern) in pages.items():
        received, token = received_on_load(context, path, pattern)
        sizes.append(Sizes(name, received, redis_state_bytes(redis_url, token)))
    context.close()
    floor_context = bench_context(browser, floor_url, LOAD_PATTERNS)
    received, token = received_on_load(floor_context, "/", floor.LOADED)
    sizes.append(Sizes("floor app", received, redis_state_bytes(redis_url, token)))
    floor_context.close()
    return sizes


def redis_state_bytes(redis_url: str | None, token: str) -> int | None:
    """Bytes of the tab's states in Redis (Reflex keys each substate `<token>_<state name>`;
    its lock keys are left out); None without Redis."""
    if redis_url is None:
        return None
    client = redis.Redis.from_url(redis_url)
    try:
        keys = [
            key
            for key in client.scan_iter(match=f"{token}_*", count=1000)
            if client.type(key) == b"string" and not key.endswith(b"_lock")
        ]
        values: list[bytes | None] = [client.get(key) for key in keys]  # type: ignore[misc]
        return sum(len(value or b"") for value in values)
    finally:
        client.close()


def _click(name: str) -> Callable[[Page], None]:
    return lambda page: page.get_by_role("button", name=name).click()


def portal_recording(browser: Browser, url: str, seeded: Seeded) -> Recording:
    """A signed-in broker's tab on the organizations list turning to the next page and back."""
    context = signed_in(browser, url, seeded)
    steps = [
        Step(_click("Next"), ORGANIZATIONS_NEXT),
        Step(_click("Previous"), ORGANIZATIONS_SHOWN),
    ]
    try:
        return record(context, routes.ORGANIZATIONS, ORGANIZATIONS_SHOWN, steps)
    finally:
        context.close()


def floor_recording(browser: Browser, url: str) -> Recording:
    """The floor's tab adding one."""
    context = bench_context(browser, url, LOAD_PATTERNS)
    try:
        return record(
            context, "/", floor.LOADED, [Step(_click(floor.BUTTON), floor.COUNT.format(n=1))]
        )
    finally:
        context.close()


def measure_concurrency(
    browser: Browser, url: str, seeded: Seeded, floor_url: str, levels: list[int], seconds: float
) -> tuple[list[tuple[Load, Load]], str]:
    """At each number of sessions, the floor's clicks then the portal's paging events, replayed
    by that many simulated tabs for `seconds` each (benchmarks/concurrency.py); and what was
    replayed."""
    portal, counter = portal_recording(browser, url, seeded), floor_recording(browser, floor_url)
    loads = []
    for sessions in levels:
        floor_load = load(counter, sessions, seconds)  # first: the portal's tabs may leave work
        loads.append((load(portal, sessions, seconds), floor_load))
    replayed = (
        f"portal: organizations list, Next and Previous in turn ({_deltas(portal)}); "
        f"floor: Add one ({_deltas(counter)})"
    )
    return loads, replayed


def _deltas(recording: Recording) -> str:
    counts = "/".join(str(replies) for replies in recording.replies)
    return f"{counts} deltas per event"
