"""Screenshots of every page at desktop (1280x800) and phone (390x844) size.

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR]
Signs in with the demo accounts (see README) and writes PNGs to OUT_DIR (default screenshots/).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
BROKER = (
    os.environ.get("DEMO_BROKER_EMAIL", "broker@demo.o365portal.test"),
    os.environ.get("DEMO_BROKER_PASSWORD", "Broker-demo-2026!"),
)
CUSTOMER = (
    os.environ.get("DEMO_CUSTOMER_EMAIL", "admin@fabrikam.demo.o365portal.test"),
    os.environ.get("DEMO_CUSTOMER_PASSWORD", "Customer-demo-2026!"),
)


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


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        for size, viewport in VIEWPORTS.items():
            page = browser.new_context(viewport=viewport).new_page()
            page.goto(f"{base}/login")
            _shoot(page, out, f"{size}-login")
            _sign_in(page, base, *BROKER)
            for path, name in (("/organizations", "organizations"), ("/settings", "settings")):
                page.goto(base + path)
                _shoot(page, out, f"{size}-broker-{name}")
            page.goto(base + "/organizations")
            page.get_by_role("button", name="Add organization").click()
            _shoot(page, out, f"{size}-broker-add-organization")
            page.context.close()
            page = browser.new_context(viewport=viewport).new_page()
            _sign_in(page, base, *CUSTOMER)
            _shoot(page, out, f"{size}-customer-organization")
            page.context.close()
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots"),
    )
