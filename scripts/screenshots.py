"""Screenshots of every page at desktop (1280x800) and phone (390x844) size.

Usage: make screenshots (with `make run` running), or
       .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR]
Signs in with the demo accounts (see README) and writes PNGs to OUT_DIR (default screenshots/).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from o365portal.demo import BROKER, DEMO_SIGN_INS

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _shoot(page: Page, out: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(600)
    page.screenshot(path=out / f"{name}.png", full_page=True)
    print(out / f"{name}.png")


ORGANIZATION_PAGES = (
    ("", "organization"),
    ("/estore", "estore"),
    ("/estore/microsoft-365", "microsoft-365"),
    ("/estore/microsoft-365/subscriptions", "subscriptions"),
    ("/estore/microsoft-365/subscriptions/add", "add-subscription"),
)
BROKER_PAGES = (
    ("/organizations", "organizations"),
    ("/settings", "settings"),
    ("/price-lists", "price-lists"),
    ("/price-lists/global", "global-price-list"),
    ("/unlinked-tenants", "unlinked-tenants"),
    ("/outbox", "outbox"),
    ("/approvals", "approvals"),
    ("/sync", "sync"),
)


def _shoot_pages(page: Page, out: Path, prefix: str, pages: tuple[tuple[str, str], ...]) -> None:
    base = page.url.split("/", 3)[:3]
    for path, name in pages:
        page.goto("/".join(base) + path)
        _shoot(page, out, f"{prefix}-{name}")


def main(base: str, out: Path) -> None:
    """Sign in as a customer, then as the broker, and shoot every page at both sizes."""
    out.mkdir(parents=True, exist_ok=True)
    customer = DEMO_SIGN_INS[1]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        for size, viewport in VIEWPORTS.items():
            page = browser.new_context(viewport=viewport).new_page()
            page.goto(f"{base}/login")
            _shoot(page, out, f"{size}-login")
            _sign_in(page, base, customer.email, customer.password)
            page.wait_for_url(re.compile(r"/organizations/\d+"))
            organization = page.url.removeprefix(base).rstrip("/")
            own = tuple((organization + path, name) for path, name in ORGANIZATION_PAGES)
            _shoot_pages(page, out, f"{size}-customer", own)
            page.context.close()
            page = browser.new_context(viewport=viewport).new_page()
            _sign_in(page, base, BROKER.email, BROKER.password)
            _shoot_pages(page, out, f"{size}-broker", BROKER_PAGES + own)
            page.goto(base + "/organizations")
            page.get_by_role("button", name="Add organization").click()
            _shoot(page, out, f"{size}-broker-add-organization")
            page.context.close()
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots"),
    )
