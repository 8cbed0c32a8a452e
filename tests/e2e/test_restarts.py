"""Restarting Redis and PostgreSQL under a running portal (issue 16), on the production path.

Redis holds every tab's state: after a restart it is gone, and a signed-in person's next page
reads who they are from the session cookie (kept in PostgreSQL), so they stay signed in and see
their own data. PostgreSQL's restart drops every pooled connection: the next request's
pre-ping opens a new one, and the portal answers without being restarted itself.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.builders import new_broker, new_customer, new_organization
from tests.e2e.conftest import STACK
from tests.e2e.journeys import search_organizations, sign_in

pytestmark = [
    pytest.mark.production_path,
    pytest.mark.skipif(STACK != "production", reason="only on E2E_STACK=production"),
]
ROOT = Path(__file__).resolve().parents[2]


def _stop_redis() -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)


def _start_redis() -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure_redis.sh")], check=True)


def _restart_redis() -> None:
    _stop_redis()
    _start_redis()


def _postgres(action: str) -> None:
    version = sorted(Path("/etc/postgresql").iterdir(), key=lambda p: int(p.name))[-1].name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, "-m", "fast"],
        check=True,
    )
    if action == "stop":
        return
    for _ in range(40):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError("PostgreSQL did not come back")


def test_a_customer_stays_signed_in_to_their_own_organization_when_redis_restarts(
    page: Page,
) -> None:
    broker = new_broker().principal
    ours, theirs = new_organization(broker), new_organization(broker)
    customer = new_customer(ours.id)
    sign_in(page, customer)
    expect(page.get_by_role("heading", name=ours.company_name)).to_be_visible()

    _restart_redis()
    page.reload()

    expect(page).to_have_url(re.compile(rf"/organizations/{ours.id}$"))
    expect(page.get_by_role("heading", name=ours.company_name)).to_be_visible()
    expect(page.get_by_text(theirs.company_name)).to_have_count(0)


def test_the_portal_answers_again_by_itself_when_postgresql_restarts(page: Page) -> None:
    broker = new_broker()
    organization = new_organization(broker.principal)
    sign_in(page, broker)

    _postgres("restart")
    page.goto(f"/organizations/{organization.id}")

    expect(page.get_by_role("heading", name=organization.company_name)).to_be_visible()


def test_an_action_while_postgresql_is_down_says_so_and_works_once_it_is_back(page: Page) -> None:
    broker = new_broker()
    organization = new_organization(broker.principal)
    sign_in(page, broker)

    _postgres("stop")
    try:
        search_organizations(page, organization.company_name)
        expect(page.get_by_text("The portal's database is not answering just now.")).to_be_visible()
        expect(page.get_by_text("Reference for your administrator:", exact=False)).to_be_visible()
    finally:
        _postgres("start")

    search_organizations(page, "")
    search_organizations(page, organization.company_name)
    expect(page.get_by_role("link", name=organization.company_name)).to_be_visible()


def test_an_action_while_redis_is_down_says_so_and_a_reload_afterwards_works(page: Page) -> None:
    broker = new_broker()
    organization = new_organization(broker.principal)
    sign_in(page, broker)

    _stop_redis()
    try:
        search_organizations(page, organization.company_name)
        expect(page.get_by_text("The portal's database is not answering just now.")).to_be_visible()
    finally:
        _start_redis()

    page.reload()  # what the message asks for; the session is PostgreSQL's, so still signed in
    expect(page).to_have_url(re.compile(r"/organizations/?$"))
    search_organizations(page, organization.company_name)
    expect(page.get_by_role("link", name=organization.company_name)).to_be_visible()
