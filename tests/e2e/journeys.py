"""Steps a person takes, shared by the browser tests (by role, label and text; no CSS)."""

from __future__ import annotations

import re
from typing import Protocol

from playwright.sync_api import Page, expect


class Credentials(Protocol):
    """Who signs in: a test's Account, or a demo sign-in from the README."""

    @property
    def email(self) -> str: ...

    @property
    def password(self) -> str: ...


def sign_in(page: Page, account: Credentials) -> None:
    """Sign in through the form and wait for the account's landing page."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    # the landing page itself, not the passing "/": a click before the redirect would be lost
    expect(page).to_have_url(re.compile(r"/organizations(/\d+)?$"))


def search_organizations(page: Page, text: str) -> None:
    """Type into the organizations list's search."""
    page.get_by_label("Search organizations").fill(text)


def open_navigation(page: Page, viewport: str) -> None:
    """On a phone the navigation sits in a drawer behind the menu button."""
    if viewport == "phone":
        page.get_by_role("button", name="Open menu").click()


def close_navigation(page: Page, viewport: str) -> None:
    """Close the phone's navigation drawer again (the page behind it is hidden meanwhile)."""
    if viewport == "phone":
        page.get_by_role("button", name="Close menu").click()
        expect(page.get_by_role("button", name="Open menu")).to_be_visible()


def sign_out(page: Page, viewport: str) -> None:
    """Sign out from the navigation."""
    open_navigation(page, viewport)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
