"""Organisation -> Microsoft 365 -> Users in the browser: the tenant's users (the admin
first), a new user with a chosen password checked as it is typed, one with a generated
password e-mailed, delete and restore, and importing a portal account (desktop and phone)."""

from __future__ import annotations

import re
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect
from pydantic import SecretStr

from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.services import sync
from o365portal.services.organizations._organizations import OrganizationView
from o365portal.services.tenants import _tenants as tenants
from tests.builders import Account, new_broker, new_customer, unique
from tests.e2e.conftest import Portal, browser_page
from tests.e2e.journeys import sign_in
from tests.e2e.tenant_steps import ready_organization, run
from tests.sandboxes import HttpsSandbox
from tests.smtp_server import SmtpServerInfo

SHOTS = Path("var/screenshots")


def _tenant_with_users() -> tuple[Account, Account, OrganizationView, str]:
    broker = new_broker()
    org = ready_organization(broker.principal)
    tenant = run(
        tenants.create_tenant(actor=broker.principal, organization_id=org.id, prefix=unique("us"))
    )
    report = run(sync.sync_tenant_now(actor=broker.principal, organization_id=org.id))
    assert report.error is None
    return broker, new_customer(org.id), org, tenant.domain


def _user(page: Page, viewport: str, name: str) -> Locator:
    """A user's row (desktop) or card (phone)."""
    return page.get_by_role("row" if viewport == "desktop" else "group", name=name)


def _act(page: Page, name: str, action: str) -> None:
    page.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name=action).click()


def test_a_customer_adds_a_user_with_a_chosen_password_then_deletes_and_restores_it(
    page: Page, viewport: str
) -> None:
    _broker, customer, org, domain = _tenant_with_users()
    sign_in(page, customer)
    page.goto(f"/organizations/{org.id}/estore/microsoft-365/users")
    expect(_user(page, viewport, org.company_name)).to_contain_text(f"admin@{domain}")

    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("First name").fill("Ann")
    dialog.get_by_label("Last name").fill("Lee")
    dialog.get_by_label("User name").fill("ann.lee")
    dialog.get_by_label("Usage location").select_option("DE")
    dialog.get_by_role("radio", name="Choose the password now").click()
    dialog.get_by_role("textbox", name="Password").fill("annlee1")
    policy = dialog.get_by_role("list", name="Password policy")
    expect(policy).to_contain_text("Use at least 8 characters")
    expect(policy).to_contain_text("'lee'")
    dialog.get_by_role("textbox", name="Password").fill("Kx9!vTq2#pLm7")
    expect(dialog).to_contain_text("The password meets the policy.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"users-new-{viewport}.png"))
    dialog.get_by_role("button", name="Create user").click()

    ann = _user(page, viewport, "Ann Lee")
    expect(ann).to_contain_text(f"ann.lee@{domain}")
    expect(ann).to_contain_text("Active")
    expect(ann).to_contain_text("0 licences")

    _act(page, "Ann Lee", "Delete")
    page.get_by_role("dialog").get_by_role("button", name="Delete user").click()
    expect(ann).to_contain_text("Deleted")
    expect(ann).to_contain_text(re.compile(r"Restorable until \d{4}-\d\d-\d\d"))
    page.screenshot(path=str(SHOTS / f"users-list-{viewport}.png"), full_page=True)

    _act(page, "Ann Lee", "Restore")
    page.get_by_role("dialog").get_by_role("button", name="Restore user").click()
    expect(ann).to_contain_text("Active")


def test_a_broker_adds_a_user_whose_password_is_e_mailed_and_imports_a_portal_account(
    page: Page, viewport: str, smtp_server: SmtpServerInfo
) -> None:
    broker, customer, org, domain = _tenant_with_users()
    to = f"{unique('it-')}@mail.example"
    sign_in(page, broker)
    page.goto(f"/organizations/{org.id}/estore/microsoft-365/users")
    expect(_user(page, viewport, org.company_name)).to_be_visible()

    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Display name").fill("Bo Berg")
    dialog.get_by_label("User name").fill("bo")
    dialog.get_by_role("button", name="Create user").click()
    expect(dialog.get_by_text("Choose the country where the user works")).to_be_visible()
    dialog.get_by_label("Usage location").select_option("SE")
    dialog.get_by_label("Send the sign-in details to").fill(to)
    dialog.get_by_role("button", name="Create user").click()

    expect(_user(page, viewport, "Bo Berg")).to_contain_text(f"bo@{domain}")
    body = smtp_server.received.wait_for(to).get_content()
    assert f"User name: bo@{domain}" in body
    assert re.search(r"One-time password: \S{16}\s", body)

    page.get_by_role("button", name="Import from portal").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text(customer.email).click()
    dialog.get_by_role("button", name="Import").click()
    expect(dialog.get_by_role("listitem", name="Cory Customer")).to_contain_text("done")
    page.screenshot(path=str(SHOTS / f"users-import-{viewport}.png"))
    page.keyboard.press("Escape")
    expect(_user(page, viewport, "Cory Customer")).to_contain_text(f"cory.customer@{domain}")


def test_a_broker_edits_resets_and_exports_a_user(
    page: Page, viewport: str, smtp_server: SmtpServerInfo
) -> None:
    broker, _customer, org, domain = _tenant_with_users()
    sign_in(page, broker)
    page.goto(f"/organizations/{org.id}/estore/microsoft-365/users")
    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Display name").fill("Cy Dahl")
    dialog.get_by_label("User name").fill("cy")
    dialog.get_by_label("Usage location").select_option("NO")
    dialog.get_by_label("Send the sign-in details to").fill(f"{unique('cy-')}@mail.example")
    dialog.get_by_role("button", name="Create user").click()
    expect(_user(page, viewport, "Cy Dahl")).to_contain_text(f"cy@{domain}")

    _act(page, "Cy Dahl", "Edit")
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Display name").fill("Cy Dahlberg")
    dialog.get_by_role("button", name="Save").click()
    expect(_user(page, viewport, "Cy Dahlberg")).to_contain_text("NO")

    to = f"{unique('reset-')}@mail.example"
    _act(page, "Cy Dahlberg", "Reset password")
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Send the new password to").fill(to)
    dialog.get_by_role("button", name="E-mail a new password").click()
    body = smtp_server.received.wait_for(to).get_content()
    assert "was reset" in body and re.search(r"One-time password: \S{16}\s", body)

    page.get_by_role("button", name="Export to portal").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text(f"cy@{domain}").click()
    dialog.get_by_role("button", name="Export").click()
    expect(dialog.get_by_role("listitem", name="Cy Dahlberg")).to_contain_text("done")
    page.screenshot(path=str(SHOTS / f"users-export-{viewport}.png"))


def test_a_user_made_in_partner_center_shows_on_open_users_pages_after_sync_now(
    browser: Browser, portal: Portal
) -> None:
    broker, customer, org, domain = _tenant_with_users()
    name = unique("Made At Microsoft ")
    with ExitStack() as stack:
        desk = stack.enter_context(browser_page(browser, portal.url, "desktop"))
        phone = stack.enter_context(browser_page(browser, portal.url, "phone"))
        for page, account in ((desk, broker), (phone, customer)):
            sign_in(page, account)
            page.goto(f"/organizations/{org.id}/estore/microsoft-365/users")
            expect(page.get_by_text(f"admin@{domain}").filter(visible=True)).to_be_visible()
        phone.evaluate("window.__users_page = true")
        customer_id = _customer_id(org.id)
        run(_user_in_partner_center(portal, customer_id, domain, name))

        desk.get_by_role("button", name="Sync now").click()

        expect(_user(desk, "desktop", name)).to_contain_text(f"made@{domain}")
        expect(_user(phone, "phone", name)).to_contain_text(f"made@{domain}")
        assert phone.evaluate("window.__users_page === true"), "the phone's page was reloaded"


def _customer_id(organization_id: int) -> str:
    tenant = tenants.get_tenant(actor=new_broker().principal, organization_id=organization_id)
    assert tenant is not None
    return tenant.customer_id


async def _user_in_partner_center(portal: Portal, customer_id: str, domain: str, name: str) -> None:
    user = CustomerUser(
        user_principal_name=f"made@{domain}",
        display_name=name,
        usage_location="US",
        password_profile=PasswordProfile(password=SecretStr("Kx9!vTq2#pLm7")),
    )
    async with HttpsSandbox(portal.sandbox).client(portal_app=True) as pc:
        await pc.users.create(customer_id, user)
