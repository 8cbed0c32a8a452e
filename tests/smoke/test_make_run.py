"""What a newcomer meets first, in the order they meet it: `make run` prints the README's sign-ins,
each signs in on a desktop and a phone, the broker finds the demo organizations and prices, the
demo customer whose tenant exists changes a demo subscription after seeing its cost, each demo
customer without one adds a tenant from its e-store, and each orders a subscription without
editing anything, the admin's credentials e-mail waits in the outbox, and Ctrl+C leaves nothing
behind.

The tests run in this order on one stack (tests/smoke/conftest.py); the last one stops it.
"""

from __future__ import annotations

import re
import signal

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from o365portal.demo import DEMO_TENANT_ORGANIZATION
from tests.e2e.conftest import VIEWPORTS
from tests.e2e.journeys import open_navigation, sign_in, sign_out
from tests.e2e.tenant_steps import open_service_screen
from tests.smoke.conftest import (
    BANNER_END,
    BROKER,
    CUSTOMERS,
    SIGN_INS,
    ReadmeSignIn,
    Stack,
    stop,
    walk,
)

BUSINESS_BASIC = re.compile(r"^Microsoft 365 Business Basic 1 year term")
PARTNER_CENTER_SECONDS = 30  # creating a customer and accepting its agreement
PROVISIONING_SECONDS = 60  # the sandbox provisions an order about 10 s after checkout


def land(page: Page, demo: ReadmeSignIn) -> None:
    """Sign in and wait for the landing page: the broker's organizations, a customer's own."""
    sign_in(page, demo)
    if demo.role == "broker":
        expect(page).to_have_url(re.compile(r"/organizations$"))
        expect(page.get_by_role("heading", name="Organizations")).to_be_visible()
    else:
        expect(page).to_have_url(re.compile(r"/organizations/\d+$"))
        expect(page.get_by_role("heading", name=demo.organization)).to_be_visible()


def test_the_run_command_prints_the_url_and_the_readme_sign_ins(stack: Stack) -> None:
    printed = stack.log.read_text()
    assert BANNER_END in printed, printed[-4000:]
    assert f"o365portal is running at http://localhost:{stack.ports[0]}" in printed
    for demo in SIGN_INS:
        assert re.search(
            rf"{demo.role}\s+{re.escape(demo.email)}\s+{re.escape(demo.password)}", printed
        )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("demo", SIGN_INS, ids=lambda demo: demo.email)
def test_each_readme_sign_in_works(
    browser: Browser, stack: Stack, demo: ReadmeSignIn, viewport: str
) -> None:
    with walk(browser, stack, viewport, f"sign-in-{demo.role}") as page:
        land(page, demo)
        sign_out(page, viewport)


def test_the_broker_sees_the_demo_organizations_and_prices(browser: Browser, stack: Stack) -> None:
    with walk(browser, stack, "desktop", "broker-demo-data") as page:
        land(page, BROKER)
        for customer in CUSTOMERS:
            expect(page.get_by_text(customer.organization).first).to_be_visible()
        page.goto("/price-lists/global")
        page.get_by_role("textbox", name="Search the catalog").fill("Business Basic")
        price = page.get_by_role(
            "textbox", name=re.compile(r"^Price of Microsoft 365 Business Basic ")
        )
        expect(price.filter(visible=True).first).to_have_value(re.compile(r"^\d+\.\d\d$"))


def _add_tenant_without_editing(page: Page, customer: ReadmeSignIn, viewport: str) -> None:
    """E-store -> Microsoft 365 CSP Direct: the form as the organization fills it, Add service."""
    open_navigation(page, viewport)
    page.get_by_role("link", name="E-store").click()
    open_service_screen(page)
    expect(page.get_by_text(customer.organization).first).to_be_visible()  # prefilled
    expect(page.get_by_text(customer.email).first).to_be_visible()
    expect(page.get_by_label("Domain prefix")).not_to_have_value("")  # suggested

    page.get_by_role("button", name="Add service").click()

    created = page.get_by_text(re.compile(r"Tenant \S+\.onmicrosoft\.com created\."))
    expect(created).to_be_visible(timeout=PARTNER_CENTER_SECONDS * 1000)
    expect(page.get_by_role("heading", name="Microsoft 365 tenant")).to_be_visible()


def _order_without_editing(page: Page) -> None:
    """Subscriptions -> Add subscription: pick Business Basic (1 year, billed monthly) and order
    it as the form stands (one seat, no name, now)."""
    page.get_by_role("link", name="Subscriptions").click()
    expect(page).to_have_url(re.compile(r"/subscriptions$"))
    page.get_by_role("link", name="Add subscription").click()
    expect(page).to_have_url(re.compile(r"/subscriptions/add$"))
    page.get_by_label("Category").select_option("Microsoft 365")
    page.get_by_label("Billing cycle").select_option("monthly")
    page.get_by_label("Product group").select_option("Business")
    page.get_by_role("button", name=BUSINESS_BASIC).click()
    expect(page.get_by_text(re.compile(r"^\d+\.\d\d \w{3}$")).first).to_be_visible()  # the price

    page.get_by_role("button", name="Order now").click()

    expect(page).to_have_url(re.compile(r"/subscriptions$"), timeout=PROVISIONING_SECONDS * 1000)
    actions = page.get_by_role("button", name="Actions for Microsoft 365 Business Basic")
    expect(actions.filter(visible=True)).to_have_count(1)  # the one subscription


def _change_a_demo_subscription(page: Page, viewport: str) -> None:
    """E-store -> Microsoft 365 CSP Direct -> Subscriptions: the demo subscriptions are active;
    one more seat of Office staff, after its cost preview."""
    open_navigation(page, viewport)
    page.get_by_role("link", name="E-store").click()
    open_service_screen(page)
    expect(page.get_by_role("heading", name="Microsoft 365 tenant")).to_be_visible()
    page.get_by_role("link", name="Subscriptions").click()
    for name in ("Office staff", "Management", "Teams Premium for sales"):
        expect(page.get_by_text(name, exact=True).filter(visible=True).first).to_be_visible()
    expect(page.get_by_text("Active", exact=True).filter(visible=True)).to_have_count(
        3, timeout=PROVISIONING_SECONDS * 1000
    )
    page.get_by_role("button", name="Actions for Office staff").filter(visible=True).click()
    page.get_by_role("menuitem", name="Change quantity").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(re.compile(r"charged now$"))).to_be_visible()
    dialog.get_by_role("button", name=re.compile(r"^Change to \d+$")).click()
    expect(page.get_by_text(re.compile(r"^Office staff now has \d+ seats\."))).to_be_visible()
    page.go_back()  # the tenant screen, where Subscriptions is


@pytest.mark.parametrize(
    ("customer", "viewport"),
    [(customer, list(VIEWPORTS)[i % 2]) for i, customer in enumerate(CUSTOMERS)],
    ids=lambda value: value.email if isinstance(value, ReadmeSignIn) else value,
)
def test_each_demo_customer_has_or_adds_a_tenant_and_orders_without_editing_anything(
    browser: Browser, stack: Stack, customer: ReadmeSignIn, viewport: str
) -> None:
    with walk(browser, stack, viewport, f"customer-{customer.email}") as page:
        land(page, customer)
        if customer.organization == DEMO_TENANT_ORGANIZATION:
            _change_a_demo_subscription(page, viewport)
        else:
            _add_tenant_without_editing(page, customer, viewport)
        _order_without_editing(page)


def test_the_admin_credentials_mail_waits_in_the_outbox(browser: Browser, stack: Stack) -> None:
    with walk(browser, stack, "desktop", "outbox") as page:
        land(page, BROKER)
        page.get_by_role("link", name="Outbox").click()
        for customer in CUSTOMERS:
            message = page.get_by_role("article", name=f"E-mail to {customer.email}")
            message.get_by_text("Show message").click()
            expect(message).to_contain_text(re.compile(r"admin@\S+\.onmicrosoft\.com"))


def _alive(process: psutil.Process) -> bool:
    """Still running (a zombie has ended; only its parent has not read its exit code yet)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_ctrl_c_stops_the_stack_and_leaves_no_process_or_port(stack: Stack) -> None:
    started = psutil.Process(stack.process.pid)
    tree = [started, *started.children(recursive=True)]
    assert len(tree) >= 4, f"expected make, the portal, the sandbox and Reflex: {tree}"

    exit_code = stop(stack)

    assert exit_code is not None, "the run command still runs 30 s after Ctrl+C"
    assert exit_code in (0, -signal.SIGINT), f"exit code {exit_code}"  # make dies of the signal
    assert [p for p in tree if _alive(p)] == [], "processes left behind"
    listening = [
        c
        for c in psutil.net_connections("tcp")
        if c.status == "LISTEN" and c.laddr.port in stack.ports
    ]
    assert listening == [], f"ports left open: {listening}"
    leftover = [
        p.info
        for p in psutil.process_iter(["pid", "cmdline"])
        if str(stack.data_dir) in " ".join(p.info["cmdline"] or [])
    ]
    assert leftover == [], f"processes on the stack's data folder left behind: {leftover}"
    printed = stack.log.read_text()
    assert "Traceback" not in printed, f"a traceback in the output of make run:\n{printed[-4000:]}"
