"""A customer who types another organization's URL gets nothing of it — not even over the wire."""

from __future__ import annotations

import re

from playwright.sync_api import Page, WebSocket, expect

from tests.builders import new_broker, new_customer, new_organization
from tests.e2e.journeys import sign_in, sign_out


def _record_frames(page: Page) -> list[str]:
    frames: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)
    return frames


def test_a_customer_gets_nothing_of_another_organization(page: Page) -> None:
    broker = new_broker()
    own = new_organization(broker.principal)
    other = new_organization(broker.principal, phone="+1 206 555 0199")
    customer = new_customer(own.id)
    frames = _record_frames(page)
    sign_in(page, customer)
    page.goto(f"/organizations/{other.id}")
    expect(page.get_by_role("alert")).to_contain_text("does not exist or you do not have access")
    page.goto("/organizations")
    expect(page).to_have_url(re.compile(rf"/organizations/{own.id}$"))
    expect(page.get_by_role("heading", name=own.company_name)).to_be_visible()
    received = "\n".join(frames)
    assert own.company_name in received  # the recording works
    for secret in (other.company_name, other.email, "206 555 0199"):
        assert secret not in received


def test_an_anonymous_visitor_gets_nothing_of_any_organization(page: Page) -> None:
    organization = new_organization(new_broker().principal)
    frames = _record_frames(page)
    page.goto(f"/organizations/{organization.id}")
    expect(page).to_have_url(re.compile(r"/login/?\?next="))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert organization.company_name not in "\n".join(frames)


def test_signing_out_starts_the_tab_afresh_so_the_next_account_gets_nothing_left_over(
    page: Page, viewport: str
) -> None:
    broker = new_broker()
    own = new_organization(broker.principal)
    other = new_organization(broker.principal)
    customer = new_customer(own.id)
    sign_in(page, broker)
    page.get_by_label("Search organizations").fill(other.company_name)
    expect(page.get_by_role("link", name=other.company_name)).to_be_visible()
    frames = _record_frames(page)  # only sockets opened from now on: the next account's
    sign_out(page, viewport)
    sign_in(page, customer)
    expect(page.get_by_role("heading", name=own.company_name)).to_be_visible()
    received = "\n".join(frames)
    assert own.company_name in received  # the recording works
    assert other.company_name not in received


def test_sign_in_never_redirects_off_site(page: Page) -> None:
    customer = new_customer(new_organization(new_broker().principal).id)
    page.goto("/login?next=//example.org/phish")
    page.get_by_label("E-mail").fill(customer.email)
    page.get_by_label("Password").fill(customer.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/organizations/\d+$"))
