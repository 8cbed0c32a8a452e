"""The page shell on phones: the navigation drawer."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from o365portal.ui import routes
from tests.builders import new_broker, new_organization
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in, sign_out


def test_the_phone_drawer_is_one_clean_panel(page: Page, viewport: str) -> None:
    """Issue 9 item 9: the drawer's column stopped two thirds across, leaving a strip beside
    the navigation and a short sign-out box."""
    sign_in(page, new_broker())
    if viewport != "phone":
        expect(page.get_by_role("button", name="Open menu")).to_be_hidden()
        return
    page.get_by_role("button", name="Open menu").click()
    drawer = page.get_by_role("dialog", name="Menu")
    expect(drawer).to_be_visible()
    panel = drawer.bounding_box()
    sign_out = drawer.get_by_role("button", name="Sign out").bounding_box()
    close = drawer.get_by_role("button", name="Close menu").bounding_box()
    assert panel and sign_out and close
    panel_right = panel["x"] + panel["width"]
    assert panel_right - (sign_out["x"] + sign_out["width"]) <= 16  # spans the panel
    assert panel_right - (close["x"] + close["width"]) <= 20  # close sits in the corner


def test_emoji_and_accented_names_render_as_glyphs(page: Page) -> None:
    """Issue 9 item 9: without an emoji font Chromium drew empty boxes, so screenshots did not
    show what users see. A glyph-less code point draws the same box; an emoji must not."""
    sign_in(page, new_broker())
    widths = page.evaluate(
        """() => {
          const ctx = document.createElement('canvas').getContext('2d');
          ctx.font = '32px sans-serif';
          const w = (t) => ctx.measureText(t).width;
          return {emoji: w('\\u{1F600}'), none: w('\\u{10FFFD}'), accent: w('Ü'), plain: w('U')};
        }"""
    )
    assert widths["emoji"] != widths["none"]
    assert widths["accent"] == widths["plain"]  # the same face has the accented letter


def test_the_portal_has_its_own_icon_and_logo(page: Page, portal: Portal) -> None:
    """Issue 10: the assets/ folder (favicon, logo) of the design."""
    for path, kind in (("/favicon.ico", "image/"), ("/logo.svg", "image/svg")):
        answer = httpx.get(f"{portal.url}{path}", timeout=10)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith(kind), path
    page.goto("/login")
    logo = page.locator("img[src='/logo.svg']")
    expect(logo).to_be_visible()
    assert page.evaluate("document.querySelector('img[src=\"/logo.svg\"]').naturalWidth") > 0


def test_pages_carry_security_headers_and_other_sites_cannot_open_the_event_socket(
    page: Page, portal: Portal
) -> None:
    """Issue 16 (ui/hardening.py) on the built portal: the headers on pages and assets, the
    websocket refused to another site's page and open to the portal's own (this page works)."""
    for path in ("/login", "/logo.svg"):
        headers = httpx.get(f"{portal.url}{path}", timeout=10).headers
        assert headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff", path
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    socket = f"{portal.url}/_event/?EIO=4&transport=websocket"
    refused = httpx.get(socket, headers=upgrade | {"Origin": "https://evil.example"}, timeout=10)
    assert refused.status_code == 403
    sign_in(page, new_broker())  # the portal's own page still talks over its websocket


def test_only_the_pages_own_scripts_run(page: Page, viewport: str) -> None:
    """Issue 16: the Content-Security-Policy allows the built pages' inline scripts by their
    hashes and the portal's own files: the pages (a dynamic route, and sign-out's reload by
    `rx.call_script`) raise no violation, and a script injected into a page does not run."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    broker = new_broker()
    organization = new_organization(broker.principal)
    sign_in(page, broker)
    page.goto(routes.organization_url(organization.id))
    expect(page.get_by_role("heading", name=organization.company_name)).to_be_visible()
    assert violations == []
    injected = """() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.appendChild(script);
      return window.injected === true;
    }"""
    assert page.evaluate(injected) is False
    assert any("inline script" in text for text in violations)  # refused, and said so
    violations.clear()
    sign_out(page, viewport)
    assert violations == []
