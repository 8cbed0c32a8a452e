"""Signing in and out as a broker and as a customer; the refusal a wrong password gets."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.builders import new_broker, new_customer, new_organization
from tests.e2e.journeys import close_navigation, open_navigation, sign_in, sign_out

pytestmark = pytest.mark.production_path


def test_a_broker_signs_in_to_the_organizations_and_signs_out(page: Page, viewport: str) -> None:
    broker = new_broker()
    sign_in(page, broker)
    expect(page).to_have_url(re.compile(r"/organizations$"))
    expect(page.get_by_role("heading", name="Organizations")).to_be_visible()
    open_navigation(page, viewport)
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    close_navigation(page, viewport)
    sign_out(page, viewport)
    page.goto("/organizations")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/organizations"))


def test_a_customer_lands_on_their_own_organization_and_signs_out(
    page: Page, viewport: str
) -> None:
    organization = new_organization(new_broker().principal)
    customer = new_customer(organization.id)
    sign_in(page, customer)
    expect(page).to_have_url(re.compile(rf"/organizations/{organization.id}$"))
    expect(page.get_by_role("heading", name=organization.company_name)).to_be_visible()
    open_navigation(page, viewport)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    close_navigation(page, viewport)
    sign_out(page, viewport)


def test_a_wrong_password_gets_one_generic_message(page: Page) -> None:
    broker = new_broker()
    page.goto("/login")
    page.get_by_label("E-mail").fill(broker.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("the e-mail or password is incorrect")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("E-mail").fill("nobody-" + broker.email)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("the e-mail or password is incorrect")


def test_a_customer_who_opens_broker_pages_is_sent_to_their_organization(page: Page) -> None:
    organization = new_organization(new_broker().principal)
    customer = new_customer(organization.id)
    sign_in(page, customer)
    for path in ("/organizations", "/settings"):
        # the page shown loaded first: a reload while its on_load runs can race on two workers
        expect(page.get_by_role("heading", name=organization.company_name)).to_be_visible()
        page.goto(path)
        expect(page).to_have_url(re.compile(rf"/organizations/{organization.id}$"))
