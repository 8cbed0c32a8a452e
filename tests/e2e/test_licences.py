"""Licences on the Users page in the browser (desktop and phone, broker and customer): one
user's subscriptions ticked and saved from its Actions menu, a service plan of a licence switched
off and shown off when the dialog opens again, and a bulk assignment to the users chosen, with
each user's result; the licence counts follow on the page.

Arrangements go through the services and Partner Center (same database, same sandbox): a
provisioned Business Basic subscription of 3 seats and two users made in Microsoft's directory,
read into the portal by a sync.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pydantic import SecretStr

from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services import sync
from o365portal.ui import routes
from tests.builders import unique
from tests.e2e.conftest import Portal
from tests.e2e.journeys import sign_in
from tests.e2e.test_subscription_changes import bought, settings_restored  # noqa: F401
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import Shop, broker_settings, fast_client


def with_users(sandbox: SandboxInfo, name: str, seats: int = 3) -> tuple[Shop, list[str]]:
    """A shop with subscription `name` (`seats` seats) and two users, synced; their display
    names."""
    shop = bought(sandbox, name, quantity=seats)

    async def make() -> list[str]:
        control = HttpsSandbox(sandbox)
        domain = control.state.table("customers")[shop.customer_id]["companyProfile"]["domain"]
        names = []
        async with fast_client(control) as pc:
            for _ in range(2):
                user = unique("user")
                made = await pc.users.create(
                    shop.customer_id,
                    CustomerUser(
                        user_principal_name=f"{user}@{domain}",
                        display_name=f"User {user}",
                        usage_location="DE",
                        password_profile=PasswordProfile(password=SecretStr("Kx9!vTq2#pLm7")),
                    ),
                )
                names.append(made.display_name or "")
            # the portal's own sync job may hold the lease a moment
            report = await sync.run_sync("tenant", customer_id=shop.customer_id, pc=pc, wait=60)
            assert report.error is None
        return names

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        return shop, thread.submit(asyncio.run, make()).result()


SHOTS = Path("var/screenshots")


def user(page: Page, viewport: str, name: str) -> Locator:
    """A user's row (desktop) or card (phone)."""
    return page.get_by_role("row" if viewport == "desktop" else "group", name=name)


def assign_in_bulk(page: Page, users: list[str], subscription: str) -> Locator:
    """Tick `users`, Assign subscriptions, tick `subscription`, Assign; the dialog."""
    for display_name in users:
        page.get_by_role("checkbox", name=f"Choose {display_name}").filter(visible=True).click()
    page.get_by_role("button", name="Assign subscriptions").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("checkbox", name=subscription).click()
    dialog.get_by_role("button", name="Assign", exact=True).click()
    return dialog


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_one_users_subscriptions_are_ticked_and_saved_and_the_count_follows(
    page: Page,
    portal: Portal,
    viewport: str,
    who: str,
    settings_restored: None,  # noqa: F811
) -> None:
    name = f"Seats {who} {viewport}"
    shop, (first, _second) = with_users(portal.sandbox, name)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.users_url(shop.organization_id))
    expect(user(page, viewport, first)).to_contain_text("0 licences")
    unused = page.get_by_role("region", name="Unused seats")
    expect(unused).to_contain_text(f"{name} · 3 seats free: remove up to 2 until")

    page.get_by_role("button", name=f"Actions for {first}").filter(visible=True).click()
    page.get_by_role("menuitem", name="Subscriptions").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(re.compile(r"3 bought · 0 in use · 3 free"))).to_be_visible()
    dialog.get_by_role("checkbox", name=name).click()
    dialog.get_by_role("button", name="Save").click()

    expect(user(page, viewport, first)).to_contain_text("1 licence")
    user(page, viewport, first).get_by_role("link", name=f"Subscriptions of {first}").click()
    expect(page.get_by_role("dialog").get_by_text(re.compile(r"1 in use · 2 free"))).to_be_visible()


def test_subscriptions_are_assigned_to_the_users_chosen_in_one_go(
    page: Page,
    portal: Portal,
    viewport: str,
    settings_restored: None,  # noqa: F811
) -> None:
    name = f"Bulk {viewport}"
    shop, users = with_users(portal.sandbox, name)
    sign_in(page, shop.broker)
    page.goto(routes.users_url(shop.organization_id))
    dialog = assign_in_bulk(page, users, name)
    expect(dialog.get_by_text("Subscriptions of 2 users")).to_be_visible()

    expect(dialog).to_contain_text("2 of 2 users done.")  # only users not done are listed
    dialog.get_by_role("button", name="Close").click()
    for display_name in users:
        expect(user(page, viewport, display_name)).to_contain_text("1 licence")


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_with_no_free_seat_the_seat_is_offered_with_its_cost_and_bought(
    page: Page,
    portal: Portal,
    viewport: str,
    who: str,
    settings_restored: None,  # noqa: F811
) -> None:
    """The broker buys and assigns at once; a customer under approvals waits for the broker."""
    name = f"Full {who} {viewport}"
    shop, (first, second) = with_users(portal.sandbox, name, seats=1)
    broker_settings(approvals=who == "customer")
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.users_url(shop.organization_id))
    for holder in (first, second):
        expect(user(page, viewport, holder)).to_contain_text("0 licences")
        page.get_by_role("button", name=f"Actions for {holder}").filter(visible=True).click()
        page.get_by_role("menuitem", name="Subscriptions").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("checkbox", name=name).click()
        dialog.get_by_role("button", name="Save").click()
        if holder == first:
            expect(user(page, viewport, first)).to_contain_text("1 licence")

    expect(dialog.get_by_role("status")).to_contain_text("No seat is free")
    expect(
        dialog.get_by_text(f"{name} has no free seat: buy 1 seat (1 → 2 seats).")
    ).to_be_visible()
    expect(dialog.get_by_text("15.00 USD per month for 2 seats")).to_be_visible()
    page.screenshot(path=SHOTS / f"licences-no-free-seat-{who}-{viewport}.png", full_page=True)
    dialog.get_by_role("button", name="Buy and assign").click()

    expect(dialog).to_be_hidden()
    if who == "broker":
        expect(user(page, viewport, second)).to_contain_text("1 licence")
        unused = page.get_by_role("region", name="Unused seats").filter(has_text=name)
        expect(unused).to_have_count(0)  # 2 bought, 2 in use
    else:
        expect(page.get_by_text("The seats wait for your broker's approval")).to_be_visible()
        expect(user(page, viewport, second)).to_contain_text("0 licences")


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_a_user_microsoft_refuses_is_reported_and_the_others_get_their_seat(
    page: Page,
    portal: Portal,
    viewport: str,
    who: str,
    settings_restored: None,  # noqa: F811
) -> None:
    name = f"Bulk refusal {who} {viewport}"
    shop, (first, second) = with_users(portal.sandbox, name)
    control = HttpsSandbox(portal.sandbox)
    users = control.state.table("users")
    [refused] = [key for key, row in users.items() if row["displayName"] == second]
    route = f"POST /v1/customers/{shop.customer_id}/users/{refused}/licenseupdates"
    control.chaos(nextFailures=[{"route": route, "fault": "reject", "code": 60002}])
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.users_url(shop.organization_id))
    dialog = assign_in_bulk(page, [first, second], name)

    try:
        expect(dialog.get_by_role("status")).to_have_text("1 of 2 users done; 1 not.")
    finally:
        control.chaos()
    expect(dialog.get_by_text(second)).to_be_visible()
    expect(dialog).to_contain_text("refused the licence change")
    dialog.get_by_role("button", name="Close").click()
    expect(user(page, viewport, first)).to_contain_text("1 licence")


@pytest.mark.parametrize("who", ["broker", "customer"])
def test_a_service_plan_is_switched_off_for_a_user_and_shows_off_when_reopened(
    page: Page,
    portal: Portal,
    viewport: str,
    who: str,
    settings_restored: None,  # noqa: F811
) -> None:
    name = f"Plans {who} {viewport}"
    shop, (first, _second) = with_users(portal.sandbox, name)
    sign_in(page, shop.broker if who == "broker" else shop.customer)
    page.goto(routes.users_url(shop.organization_id))
    page.get_by_role("button", name=f"Actions for {first}").filter(visible=True).click()
    page.get_by_role("menuitem", name="Subscriptions").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Service plans")).to_have_count(0)  # none held yet
    dialog.get_by_role("checkbox", name=name).click()
    dialog.get_by_role("button", name="Save").click()
    expect(user(page, viewport, first)).to_contain_text("1 licence")

    user(page, viewport, first).get_by_role("link", name=f"Subscriptions of {first}").click()
    dialog.get_by_text("Service plans", exact=True).click()
    teams = dialog.get_by_role("switch", name="Microsoft Teams")
    expect(teams).to_be_checked()
    save = dialog.get_by_role("button", name="Save service plans")
    expect(save).to_be_disabled()
    teams.click()
    expect(teams).not_to_be_checked()
    save.click()
    expect(page.get_by_text(f"Off for {first} on {name}: Microsoft Teams.")).to_be_visible()
    expect(save).to_be_disabled()
    dialog.get_by_role("button", name="Close").click()

    user(page, viewport, first).get_by_role("link", name=f"Subscriptions of {first}").click()
    dialog.get_by_text("Service plans", exact=True).click()
    expect(dialog.get_by_role("switch", name="Microsoft Teams")).not_to_be_checked()
    expect(dialog.get_by_role("switch", name="Sway")).to_be_checked()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"licences-service-plans-{who}-{viewport}.png"))
