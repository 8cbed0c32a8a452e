"""Manage Organizations: search, add and edit, with field-level messages for bad input."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.builders import link_tenant, new_broker, new_organization, unique
from tests.e2e.journeys import search_organizations, sign_in


def _dialog(page: Page) -> Locator:
    return page.get_by_role("dialog")


def test_a_broker_adds_an_organization_after_correcting_bad_input(page: Page) -> None:
    sign_in(page, new_broker())
    name = unique("Tailspin ") + " Toys"
    page.get_by_role("button", name="Add organization").click()
    dialog = _dialog(page)
    dialog.get_by_label("Company name").fill("   ")
    dialog.get_by_label("Contact e-mail").fill("not-an-address")
    dialog.get_by_label("Phone").fill("call me")
    dialog.get_by_label("City").fill("Seattle")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("Enter the company name.")).to_be_visible()
    expect(dialog.get_by_text("Enter an e-mail address like name@example.com.")).to_be_visible()
    expect(dialog.get_by_text("Enter a phone number", exact=False)).to_be_visible()
    expect(dialog.get_by_label("City")).to_have_value("Seattle")  # nothing typed is lost
    dialog.get_by_label("Company name").fill(name)
    dialog.get_by_label("Contact e-mail").fill("ops@tailspin.example")
    dialog.get_by_label("Phone").fill("+1 425 555 0100")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Saved {name}.")).to_be_visible()
    expect(_dialog(page)).to_have_count(0)
    search_organizations(page, name)
    expect(page.get_by_role("link", name=name)).to_be_visible()


def test_a_broker_finds_organizations_by_name_registration_number_and_domain(page: Page) -> None:
    broker = new_broker()
    registration = unique("REG")
    organization = new_organization(broker.principal, registration_number=registration)
    domain = f"{unique('contoso')}.onmicrosoft.com"
    link_tenant(organization.id, domain)
    sign_in(page, broker)
    for text in (organization.company_name.upper(), registration, domain):
        search_organizations(page, text)
        expect(page.get_by_role("link", name=organization.company_name)).to_be_visible()
        expect(page.get_by_text("1–1 of 1")).to_be_visible()
    search_organizations(page, unique("no-such-org-"))
    expect(page.get_by_text("No organizations match.")).to_be_visible()


def test_a_broker_edits_an_organization_from_its_actions_menu(page: Page) -> None:
    broker = new_broker()
    organization = new_organization(broker.principal)
    sign_in(page, broker)
    search_organizations(page, organization.company_name)
    expect(page.get_by_text("1–1 of 1")).to_be_visible()
    page.get_by_role("button", name=f"Actions for {organization.company_name}").click()
    page.get_by_role("menuitem", name="Edit").click()
    dialog = _dialog(page)
    expect(dialog.get_by_label("Company name")).to_have_value(organization.company_name)
    dialog.get_by_label("Postal code").fill("$$$")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("Enter a postal code", exact=False)).to_be_visible()
    dialog.get_by_label("Postal code").fill("98052")
    dialog.get_by_label("City").fill("Redmond")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Saved {organization.company_name}.")).to_be_visible()
    page.get_by_role("link", name=organization.company_name).click()
    expect(page).to_have_url(re.compile(rf"/organizations/{organization.id}$"))
    expect(page.get_by_role("heading", name=organization.company_name)).to_be_visible()
    expect(page.get_by_text("Redmond", exact=True)).to_be_visible()
    expect(page.get_by_text("98052", exact=True)).to_be_visible()
