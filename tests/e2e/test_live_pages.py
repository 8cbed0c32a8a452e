"""Pages that update themselves: what one browser changes shows on the pages other browsers have
open, within seconds and without a reload, on the embedded default and on the production path
(Redis, two workers), where the change is committed by one worker and shown by the other."""

from __future__ import annotations

import pickle
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime

import pytest
import redis
from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.partner_center.models import CartLineItem
from o365portal.services import sync
from o365portal.ui import routes
from tests.builders import unique
from tests.e2e.conftest import STACK, Portal, browser_page
from tests.e2e.journeys import sign_in
from tests.e2e.stack import REDIS_URL
from tests.e2e.tenant_steps import run
from tests.e2e.test_ordering import fill_order, new_shop, provisioning_then_active
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import BASIC_MONTHLY, broker_settings

pytestmark = pytest.mark.production_path

LIVE_MS = 5_000  # the target is 2 s after the commit; each step may take at most 5 s
WEBHOOK_MS = 10_000  # Partner Center posts the event, the portal reads it back, then the feed
MARK = "window.__live_page"  # set on an open page; a reload or navigation would drop it


@pytest.fixture
def approvals_on() -> Iterator[None]:
    """The broker requires approvals for this test only."""
    broker_settings(approvals=True)
    yield
    broker_settings()


class Workers:
    """Which backend worker serves a tab: Reflex's socket record in Redis (production path)."""

    def __init__(self) -> None:
        self.redis = redis.Redis.from_url(REDIS_URL) if STACK == "production" else None

    def of(self, page: Page) -> str:
        """The instance id of the worker whose websocket the tab holds."""
        assert self.redis is not None
        token = page.evaluate("window.sessionStorage.getItem('token')")
        key = f"token_manager_socket_record_{token}"
        for _ in range(50):
            if (raw := self.redis.get(key)) is not None:
                return str(pickle.loads(raw).instance_id)  # Reflex's SocketRecord
            time.sleep(0.1)
        pytest.fail(f"no worker holds the websocket of {page.url}")

    def apart(self, page: Page, other: Page, ready: Locator) -> None:
        """Reload `page` until another worker than `other`'s serves it (one worker: no-op)."""
        if self.redis is None:
            return
        for _ in range(30):
            if self.of(page) != self.of(other):
                return
            page.reload()
            expect(ready).to_be_visible()
        pytest.fail("every reload landed on the same worker")


def _badge(page: Page) -> Locator:
    return page.get_by_role("link", name=re.compile(r"^Approvals(\s*\d+)?$")).filter(visible=True)


def _count(badge: Locator) -> int:
    digits = re.sub(r"\D", "", badge.inner_text())
    return int(digits or 0)


def _counted(count: int) -> re.Pattern[str]:
    return re.compile(rf"^\s*Approvals\s*{count or ''}\s*$")


def _clock(page: Page, text: str) -> None:
    """Note, by the page's own clock, when `text` first shows on it and when it goes again
    (Playwright's own waits poll up to every 500 ms: too coarse to time the feed)."""
    page.evaluate(
        """text => {
            const seen = (window.__shown ??= {});
            const look = () => {
                const now = document.body.innerText.includes(text);
                if (now && !(text in seen)) seen[text] = [Date.now(), null];
                if (!now && text in seen && seen[text][1] === null) seen[text][1] = Date.now();
            };
            new MutationObserver(look).observe(document.body, {
                subtree: true, childList: true, characterData: true,
            });
        }""",
        text,
    )


def _clocked(page: Page, text: str) -> tuple[datetime, datetime]:
    """When `text` showed on the page and when it went (see `_clock`)."""
    shown, gone = page.evaluate("text => window.__shown[text]", text)
    return datetime.fromtimestamp(shown / 1000, UTC), datetime.fromtimestamp(gone / 1000, UTC)


def _shown_at(page: Page, text: str) -> datetime:
    """When `text` first showed on the page (see `_clock`)."""
    shown = page.evaluate("text => window.__shown[text][0]", text)
    return datetime.fromtimestamp(shown / 1000, UTC)


def _request_times(organization_id: int) -> tuple[datetime, datetime]:
    """When the request and the decision were written (in the committing transactions)."""
    with session_scope() as session:
        query = select(ApprovalRequest).where(ApprovalRequest.organization_id == organization_id)
        row = session.exec(query).one()
        assert row.decided_at is not None
        return row.requested_at, row.decided_at


def _ms(since: datetime, until: datetime) -> str:
    return f"{(until - since).total_seconds() * 1000:.0f} ms"


def test_an_approval_on_one_browser_shows_on_the_others_open_pages(
    browser: Browser, portal: Portal, approvals_on: None
) -> None:
    shop = new_shop(portal.sandbox)
    name = unique("Desk ")
    with ExitStack() as stack:
        watching, deciding, listing, ordering = (
            stack.enter_context(browser_page(browser, portal.url, "desktop")) for _ in range(4)
        )
        for broker_page in (watching, deciding):
            sign_in(broker_page, shop.broker)
            broker_page.goto(routes.APPROVALS)
            expect(broker_page.get_by_role("heading", name="Approvals")).to_be_visible()
        sign_in(listing, shop.customer)
        listing.goto(routes.subscriptions_url(shop.organization_id))
        expect(listing.get_by_text("No subscriptions yet.")).to_be_visible()
        sign_in(ordering, shop.customer)
        ordering.goto(routes.add_subscription_url(shop.organization_id))
        expect(ordering.get_by_text("Your broker approves orders")).to_be_visible()

        workers = Workers()  # the committing worker is never the one showing the change
        workers.apart(watching, ordering, watching.get_by_role("heading", name="Approvals"))
        workers.apart(listing, deciding, listing.get_by_text("No subscriptions yet."))
        for page in (watching, listing):
            page.evaluate(f"{MARK} = true")
        badge, before = _badge(watching), _count(_badge(watching))
        card = watching.get_by_role("group", name=re.compile(rf"^Request for .*\({name}\)"))
        waiting = listing.get_by_text("Waiting for approval")
        _clock(watching, name)
        _clock(listing, "Waiting for approval")

        fill_order(ordering, quantity="2", name=name)
        ordering.get_by_role("button", name="Order now").click()
        expect(card).to_be_visible(timeout=LIVE_MS)
        expect(waiting).to_be_visible(timeout=LIVE_MS)
        expect(badge).to_have_text(_counted(before + 1), timeout=LIVE_MS)

        deciding.get_by_role("button", name=re.compile(rf"^Decide on .*\({name}\)")).click()
        deciding.get_by_label("Comment").fill("Welcome to the new desk")
        deciding.get_by_role("button", name="Approve").click()
        expect(card).to_have_count(0, timeout=LIVE_MS)
        expect(waiting).to_have_count(0, timeout=LIVE_MS)
        expect(badge).to_have_text(_counted(before), timeout=LIVE_MS)
        expect(listing.get_by_text(name).filter(visible=True).first).to_be_visible(timeout=LIVE_MS)
        timings = {"broker's list": _clocked(watching, name)}
        timings["customer's list"] = _clocked(listing, "Waiting for approval")
        provisioning_then_active(listing, portal.sandbox, name)  # the job's change, no reload

        for page in (watching, listing):
            assert page.evaluate(f"{MARK} === true"), f"{page.url} was reloaded"
        if workers.redis is not None:
            assert len({workers.of(p) for p in (watching, deciding, listing, ordering)}) == 2
    requested_at, decided_at = _request_times(shop.organization_id)
    shown = {f"request on the {k}": _ms(requested_at, t[0]) for k, t in timings.items()}
    shown |= {f"decision on the {k}": _ms(decided_at, t[1]) for k, t in timings.items()}
    print(f"\n[{STACK}] from the commit to the other browser's page: {shown}")


def _bought_in_partner_center(portal: Portal, customer_id: str, name: str) -> str:
    """Two Basic seats bought in Microsoft's web portal; the Partner Center subscription id."""
    control = HttpsSandbox(portal.sandbox)

    async def buy() -> str:
        line = CartLineItem(
            catalog_item_id=BASIC_MONTHLY.catalog_item_id, quantity=2, billing_cycle="monthly",
            term_duration="P1Y", friendly_name=name,
        )  # fmt: skip
        async with control.client(portal_app=True) as pc:
            await pc.orders.purchase(customer_id, [line])
        control.post("clock", {"advance": "PT11S"})
        async with control.client(portal_app=True) as pc:
            [subscription] = await pc.subscriptions.list(customer_id)
        await sync.run_sync("incremental", wait=60)  # imported into the portal
        return subscription.id

    return run(buy())


def test_a_seat_change_in_partner_center_shows_on_an_open_subscriptions_page(
    browser: Browser, portal: Portal
) -> None:
    shop = new_shop(portal.sandbox)
    name = unique("Bought at Microsoft ")
    pc_id = _bought_in_partner_center(portal, shop.customer_id, name)
    with ExitStack() as stack:
        pages = [stack.enter_context(browser_page(browser, portal.url, "phone")) for _ in "ab"]
        for page in pages:
            sign_in(page, shop.customer)
            page.goto(routes.subscriptions_url(shop.organization_id))
            expect(page.get_by_text(name).filter(visible=True)).to_be_visible()
        Workers().apart(pages[1], pages[0], pages[1].get_by_text(name).filter(visible=True))
        for page in pages:
            page.evaluate(f"{MARK} = true")
            _clock(page, "4 seats")
        card = [p.locator(".rt-Card").filter(has_text=name) for p in pages]
        for shown in card:
            expect(shown).to_contain_text("2 seats")

        changed_at = datetime.now(UTC)
        run(_set_seats(portal, shop.customer_id, pc_id, 4))  # Partner Center calls the webhook

        for page, shown in zip(pages, card, strict=True):
            expect(shown).to_contain_text("4 seats", timeout=WEBHOOK_MS)
            assert page.evaluate(f"{MARK} === true"), f"{page.url} was reloaded"
        shown_after = [_ms(changed_at, _shown_at(p, "4 seats")) for p in pages]
    print(f"\n[{STACK}] from the change in Partner Center to open pages (webhook): {shown_after}")


async def _set_seats(portal: Portal, customer_id: str, pc_id: str, seats: int) -> None:
    async with HttpsSandbox(portal.sandbox).client(portal_app=True) as pc:
        await pc.subscriptions.set_quantity(customer_id, pc_id, seats)
