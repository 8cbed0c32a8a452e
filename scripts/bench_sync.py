"""Benchmark of the full import from Partner Center (issue 11): a script that prints figures.

    python scripts/bench_sync.py [--scale 0.1] [--https] [--postgres] [--paced]

1. Seeds a Partner Center sandbox with 1,000 customers, 10 NCE subscriptions and 50 users each
   (a share licensed, a few deleted) at `--scale 1.0`, proportionally fewer customers below.
   Each customer is made through the sandbox's own routes, in a scratch state holding only that
   batch of customers (so its rows are exactly what the routes store, without the routes'
   whole-table scans growing with the account), then moved into the sandbox's state.
2. Prepares the portal as production would be before its first full reconcile: a fresh migrated
   database (a SQLite file, or with `--postgres` a new database on 127.0.0.1:5432), the catalog
   refreshed from Partner Center with global prices, and one organization per customer linked
   with `tenants.link_customer`.
3. Runs `sync.run_sync("full")` with the services' own Partner Center client configured from
   the settings: the sandbox app in process behind an httpx transport (`use_partner_center`),
   or with `--https` the sandbox served over HTTPS and reached with MSAL and TLS. That sandbox
   runs without its time processors, which scan the whole account before every request (the
   script prints what they would cost): the figures are the portal's, not the sandbox's.
4. Prints what was imported (counted in the database and checked against the seed), the wall
   time, the requests and 429s (`SyncReport.calls`), the requests per customer by kind, and the
   time Partner Center's published bound (500 requests per minute, reference §11.1) would need.

`--paced` adds a small second run against a sandbox that throttles at PACED_SANDBOX_BOUND
requests per minute, with the client paced just under it (PARTNER_CENTER_REQUESTS_PER_MINUTE):
it prints the busiest minute as a fraction of the bound and the 429s (expected: none).
Seeding and preparing are timed separately; only the pass is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import re
import ssl
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr
from sqlalchemy import create_engine, func
from sqlalchemy.engine import make_url
from sqlmodel import select
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from o365portal.config import get_settings
from o365portal.db.engine import dispose_engine, normalize_database_url, session_scope
from o365portal.db.migrate import upgrade
from o365portal.db.tables.m365_users import LicenceAssignment, M365User
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.sync import PartnerCustomer
from o365portal.db.tables.tenants import Tenant
from o365portal.demo import seed_demo_prices
from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.config import PARTNER_CENTER_SCOPE
from o365portal.partner_center.models import (
    Address,
    AgreementContact,
    BillingProfile,
    CartLineItem,
    CompanyProfile,
    Customer,
    CustomerUser,
    PasswordProfile,
)
from o365portal.partner_center.pipeline import CallStats
from o365portal.partner_center.rate_limit import RateLimiter
from o365portal.sandbox.commerce.catalog_data import load_catalog
from o365portal.sandbox.core.app import all_processors, create_app
from o365portal.sandbox.core.identity import bootstrap_refresh_token
from o365portal.sandbox.core.pipeline import run_processors
from o365portal.sandbox.core.rows import CUSTOMERS, RECON_LINES, SUBSCRIPTIONS, USERS
from o365portal.sandbox.core.server import sandbox_info, write_info_file
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.tls import ensure_certificates
from o365portal.services import organizations, sync, tenants
from o365portal.services.accounts import _sign_in as accounts
from o365portal.services.partner_center import (
    BACKGROUND_THROTTLED_RETRIES,
    close_http_client,
    forget_shared_clients,
    use_partner_center,
)
from o365portal.services.pricing import refresh_catalog_at_startup
from o365portal.services.principal import Principal, Role

CUSTOMERS_AT_FULL_SCALE = 1000
SUBSCRIPTIONS_PER_CUSTOMER = 10
USERS_PER_CUSTOMER = 50  # the admin user creating a customer makes, and 49 more
DELETED_PER_CUSTOMER = 2  # soft-deleted users (the pass reads them too)
LICENSED_SHARE = 0.6
BATCH = 2  # customers seeded per scratch state (and per move of the sandbox clock)
PUBLISHED_BOUND = 500  # requests per minute per partner tenant (reference §11.1)
PACED_SANDBOX_BOUND = 300  # the --paced run: the sandbox's 429 bound ...
PACED_CLIENT_BOUND = 280  # ... and the client's pace, just under it
PACED_CUSTOMERS = 10  # 521 requests: a burst of 280, the rest a minute later
IN_PROCESS_URL = "https://partner-center.bench"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = SecretStr("Bench-9!kQ2#vL7p")
REQUEST_KINDS = (
    ("customers pages", re.compile(r"^/v1/customers$")),
    ("subscriptions", re.compile(r"^/v1/customers/[^/]+/subscriptions$")),
    ("users pages", re.compile(r"^/v1/customers/[^/]+/users$")),
    ("licences", re.compile(r"^/v1/customers/[^/]+/users/[^/]+/licenses$")),
    ("SKUs", re.compile(r"^/v1/customers/[^/]+/subscribedskus$")),
)


@dataclass(frozen=True)
class Seeded:
    """What the sandbox holds after seeding (the figures the import must reproduce)."""

    customers: int
    subscriptions: int
    users: int
    licences: int
    seconds: float


@dataclass(frozen=True)
class Imported:
    """What the portal's database holds after the pass."""

    customers: int
    tenants: int
    subscriptions: int
    users: int
    licences: int


# --- The sandbox's tokens, without MSAL --------------------------------------------------------


class SandboxTokens:
    """Tokens of one kind from the sandbox's token endpoint, fetched through `http`: the grants
    MSAL makes over the wire (client credentials for App; the refresh token for App+User)."""

    def __init__(self, http: httpx.AsyncClient, config: PartnerCenterConfig, kind: TokenKind):
        self._http, self._config, self._kind = http, config, kind
        self._refresh = config.refresh_token
        self._token: str | None = None

    async def token(self, *, force_refresh: bool = False) -> str:
        """A token of the sandbox (fetched once, again after a 401)."""
        if force_refresh or self._token is None:
            self._token = await self._fetch()
        return self._token

    async def _fetch(self) -> str:
        config = self._config
        form = {
            "client_id": config.client_id,
            "client_secret": config.client_secret.get_secret_value(),
            "scope": PARTNER_CENTER_SCOPE,
            "grant_type": "client_credentials",
        }
        if self._kind is TokenKind.APP_USER and self._refresh is not None:
            form |= {
                "grant_type": "refresh_token",
                "refresh_token": self._refresh.get_secret_value(),
            }
        response = await self._http.post(f"{config.authority_url}/oauth2/v2.0/token", data=form)
        response.raise_for_status()
        body = response.json()
        if body.get("refresh_token"):
            self._refresh = SecretStr(body["refresh_token"])
        return str(body["access_token"])


def in_process_client(
    http: httpx.AsyncClient, config: PartnerCenterConfig, limiter: RateLimiter | None = None
) -> PartnerCenterClient:
    """A Partner Center client of `config` whose requests go to the app behind `http`."""
    sources = {kind: SandboxTokens(http, config, kind) for kind in TokenKind}
    return PartnerCenterClient(config, http=http, token_sources=sources, rate_limiter=limiter)


class TimedApp:
    """An ASGI app that adds up the seconds `app` spends answering. In process the sandbox
    answers without yielding to the event loop, so that is its share of a pass's wall time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.seconds = app, 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one request with `app`, timed."""
        began = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.seconds += time.perf_counter() - began


def sandbox_app(state: SandboxState, *, time_processors: bool) -> Starlette:
    """The sandbox's app serving `state`; without `time_processors` it leaves out the work it
    does before every request (provisioning, renewals, invoices, purges: see
    sandbox/core/pipeline.py), which scans every subscription, user and line of the account on
    every request, the sandbox's cost rather than Partner Center's or the portal's."""
    app = create_app(state)
    if not time_processors:
        app.state.processors.clear()  # the list its pipeline runs
    return app


def asgi_http(app: ASGIApp) -> httpx.AsyncClient:
    """An HTTP client whose requests `app` answers in process."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=IN_PROCESS_URL)


# --- Seeding the sandbox -----------------------------------------------------------------------


def scratch_of(state: SandboxState) -> SandboxState:
    """An empty sandbox state sharing `state`'s partner, apps, tokens and clock."""
    scratch = SandboxState()
    scratch.partner_tenant_id = state.partner_tenant_id
    scratch.partner_domain = state.partner_domain
    scratch.apps, scratch.identity, scratch.clock = state.apps, state.identity, state.clock
    scratch.base_url = state.base_url
    return scratch


def move_rows(scratch: SandboxState, state: SandboxState) -> None:
    """Move every row of `scratch` into `state` and empty `scratch`. Reconciliation lines are
    numbered in the order recorded, so they continue `state`'s numbering."""
    with state.lock, scratch.lock:
        for name in scratch.table_names():
            rows, target = scratch.table(name), state.table(name)
            clashes = rows.keys() & target.keys()
            if clashes:
                raise RuntimeError(f"seeding: table {name} already has {sorted(clashes)[:3]}")
            if name == RECON_LINES.name:
                for line in sorted(rows.values(), key=lambda row: row["_sequence"]):
                    line["_sequence"] = len(target)
                    target[line["_id"]] = line
            else:
                target.update(rows)
        scratch.reset()


def base_plans() -> list[tuple[str, str, str]]:
    """(catalog item id, term, billing cycle) of every plan of the sandbox's catalog that needs
    no other product (not an add-on) and is billed monthly or annually."""
    return [
        (f"{product['id']}:{sku['id']}:{availability['id']}", availability["termDuration"], cycle)
        for product in load_catalog().products.values()
        for sku in product["skus"]
        if not sku["isAddon"]
        for availability in sku["availabilities"]
        for cycle in (term["billingCycle"].lower() for term in availability["terms"])
        if cycle in ("monthly", "annual")
    ]


def new_customer(index: int) -> Customer:
    """A create-customer body with a unique domain and a valid US address."""
    return Customer(
        company_profile=CompanyProfile(domain=f"bench{index:06d}.onmicrosoft.com"),
        billing_profile=BillingProfile(
            email=f"billing{index}@bench.example",
            culture="en-US",
            language="en",
            company_name=f"Bench Customer {index:06d}",
            default_address=Address(
                first_name="Jane",
                last_name="Doe",
                address_line1="1 Microsoft Way",
                city="Redmond",
                state="WA",
                postal_code="98052",
                country="US",
                phone_number="4255550100",
            ),
        ),
    )


async def buy_and_accept(
    pc: PartnerCenterClient,
    index: int,
    plans: list[tuple[str, str, str]],
    rng: random.Random,
    subscriptions: int = SUBSCRIPTIONS_PER_CUSTOMER,
) -> Customer:
    """Create customer `index`, accept the MCA and order `subscriptions` subscriptions (of
    different plans while there are enough, then again of the same plans)."""
    customer = await pc.customers.create(new_customer(index))
    assert customer.id is not None
    contact = AgreementContact(
        first_name="Jane", last_name="Doe", email="jane@bench.example", phone_number="4255550100"
    )
    await pc.agreements.accept_mca(customer.id, contact)
    lines = [
        CartLineItem(
            catalog_item_id=item,
            quantity=rng.randint(3, 25),
            term_duration=term,
            billing_cycle=cycle,
            friendly_name=f"Bench {n}",
        )
        for n, (item, term, cycle) in enumerate(chosen_plans(plans, subscriptions, rng))
    ]
    result = await pc.orders.purchase(customer.id, lines)
    if result.order_errors or sum(len(order.line_items) for order in result.orders) != len(lines):
        raise RuntimeError(f"seeding: customer {index}'s order was refused: {result}")
    return customer


def chosen_plans(
    plans: list[tuple[str, str, str]], count: int, rng: random.Random
) -> list[tuple[str, str, str]]:
    """`count` plans drawn without repeats, the catalog again (reshuffled) after each round."""
    chosen: list[tuple[str, str, str]] = []
    while len(chosen) < count:
        chosen += rng.sample(plans, min(len(plans), count - len(chosen)))
    return chosen


async def add_users(
    pc: PartnerCenterClient,
    customer: Customer,
    rng: random.Random,
    users: int = USERS_PER_CUSTOMER,
    deleted: int = DELETED_PER_CUSTOMER,
) -> None:
    """Create the customer's users (once its orders are provisioned: the admin user creating
    the customer made is one of `users`), license a share of them where seats are free, and
    delete `deleted` of them."""
    assert customer.id is not None and customer.company_profile is not None
    domain = customer.company_profile.domain
    created = []
    for n in range(users - 1):
        user = CustomerUser(
            user_principal_name=f"user{n:04d}@{domain}",
            first_name=f"User{n:04d}",
            last_name="Bench",
            display_name=f"User {n:04d} Bench",
            usage_location="US",
            password_profile=PasswordProfile(password=PASSWORD, force_change_password=False),
        )
        created.append(await pc.users.create(customer.id, user))
    seats = {
        sku.product_sku.id: sku.available_units or 0
        for sku in await pc.licenses.subscribed_skus(customer.id)
    }
    for user in rng.sample(created, round(LICENSED_SHARE * len(created))):
        free = [sku_id for sku_id, units in seats.items() if units > 0]
        if free and user.id:
            sku_id = rng.choice(free)
            await pc.licenses.update(customer.id, user.id, assign=[sku_id])
            seats[sku_id] -= 1
    for user in rng.sample(created, deleted):
        await pc.users.delete(customer.id, user.id or "")


async def seed_sandbox(state: SandboxState, customers: int) -> Seeded:
    """Seed `state` with `customers` customers, their subscriptions and users (see above)."""
    began = time.monotonic()
    rng = random.Random(11)
    plans = base_plans()
    scratch = scratch_of(state)
    portal_app = state.portal_app  # a person in Microsoft's web portal: bought outside ours
    config = PartnerCenterConfig(
        base_url=IN_PROCESS_URL,
        authority=f"{IN_PROCESS_URL}/{state.partner_tenant_id}",
        tenant_id=state.partner_tenant_id,
        client_id=portal_app.client_id,
        client_secret=SecretStr(portal_app.client_secret),
    )
    async with asgi_http(sandbox_app(scratch, time_processors=True)) as http:
        pc = in_process_client(http, config, RateLimiter())
        for first in range(0, customers, BATCH):
            batch = [
                await buy_and_accept(pc, index, plans, rng)
                for index in range(first, min(first + BATCH, customers))
            ]
            # The sandbox provisions orders 10 s (its clock) after checkout.
            (await http.post("/_sandbox/clock", json={"advance": "PT11S"})).raise_for_status()
            for customer in batch:
                await add_users(pc, customer, rng)
            move_rows(scratch, state)
    users = state.table(USERS).values()
    return Seeded(
        customers=len(state.table(CUSTOMERS)),
        subscriptions=len(state.table(SUBSCRIPTIONS)),
        users=len(users),
        licences=sum(len(user["licenses"]) for user in users),
        seconds=time.monotonic() - began,
    )


# --- The portal --------------------------------------------------------------------------------


@contextmanager
def fresh_database(postgres: str | None) -> Iterator[str]:
    """The URL of a new database migrated to head: a SQLite file, or one on the PostgreSQL
    server `postgres` (deleted or dropped afterwards)."""
    if postgres is None:
        with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
            url = f"sqlite:///{folder}/o365portal.db"
            upgrade(url)
            yield url
            dispose_engine(url)
        return
    name = f"o365portal_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_database_url(postgres), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server = make_url(normalize_database_url(postgres))
    database_url = server.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(database_url)
        yield database_url
    finally:
        dispose_engine(database_url)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def new_broker() -> Principal:
    """A broker account, as the one acting in the portal."""
    email = "broker@bench.example"
    account_id = accounts.create_account(
        email=email,
        password=PASSWORD.get_secret_value(),
        first_name="Bea",
        last_name="Broker",
        role=Role.BROKER,
    )
    return Principal(account_id, email, "Bea Broker", Role.BROKER, None)


async def prepare_portal(state: SandboxState) -> float:
    """The catalog with global prices and one linked organization per sandbox customer, as a
    broker does through the portal before the first full reconcile; the seconds it took."""
    began = time.monotonic()
    broker = new_broker()
    await refresh_catalog_at_startup()
    await asyncio.to_thread(seed_demo_prices)
    for customer in list(state.table(CUSTOMERS).values()):
        organization = organizations.create_organization(
            actor=broker,
            form={
                "company_name": customer["companyProfile"]["companyName"],
                "street_address": "1 Microsoft Way",
                "postal_code": "98052",
                "city": "Redmond",
                "country": "US",
                "contact_first_name": "Jane",
                "contact_last_name": "Doe",
                "email": customer["billingProfile"]["email"],
                "language": "en",
            },
        )
        await tenants.link_customer(
            actor=broker, organization_id=organization.id, customer_id=customer["id"]
        )
    return time.monotonic() - began


def count_imported() -> Imported:
    """Count what the portal's database holds."""

    def rows(table: Any) -> int:
        return int(session.exec(select(func.count()).select_from(table)).one())

    with session_scope() as session:
        return Imported(
            customers=rows(PartnerCustomer),
            tenants=rows(Tenant),
            subscriptions=rows(Subscription),
            users=rows(M365User),
            licences=rows(LicenceAssignment),
        )


# --- Running a pass ----------------------------------------------------------------------------


class RequestTally(logging.Handler):
    """Counts the Partner Center requests by kind from the client's log line of each attempt
    (`Partner Center <method> <path> -> <status> ...`, pipeline.py)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        """Count one attempt under the kind its path names."""
        args = record.args if isinstance(record.args, tuple) else ()
        path = str(args[1]) if len(args) > 1 else ""
        kind = next((name for name, pattern in REQUEST_KINDS if pattern.match(path)), "other")
        self.counts[kind] += 1


@contextmanager
def tallied() -> Iterator[RequestTally]:
    """Count the Partner Center requests made inside the block."""
    client_log = logging.getLogger("o365portal.partner_center")
    tally, level = RequestTally(), client_log.level
    client_log.addHandler(tally)
    client_log.setLevel(logging.INFO)
    try:
        yield tally
    finally:
        client_log.removeHandler(tally)
        client_log.setLevel(level)


@contextmanager
def environment(**variables: str) -> Iterator[None]:
    """Set environment variables (and rebuild the settings) for the block."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()


@dataclass(frozen=True)
class Sandbox:
    """A sandbox the portal is pointed at: its live state, an HTTP client of the app serving
    it (for the control API under /_sandbox) and, in process, that app, timed."""

    state: SandboxState
    control: httpx.AsyncClient
    timed: TimedApp | None


@asynccontextmanager
async def in_process_sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox in process; inside, the services' `partner_center()` is a client configured
    from the settings (PARTNER_CENTER_*) whose requests go to it through an httpx transport."""
    state = SandboxState()
    timed = TimedApp(sandbox_app(state, time_processors=False))
    variables = {
        "PARTNER_CENTER_BASE_URL": IN_PROCESS_URL,
        "PARTNER_CENTER_AUTHORITY": f"{IN_PROCESS_URL}/{state.partner_tenant_id}",
        "PARTNER_CENTER_TENANT_ID": state.partner_tenant_id,
        "PARTNER_CENTER_CLIENT_ID": state.integration_app.client_id,
        "PARTNER_CENTER_CLIENT_SECRET": state.integration_app.client_secret,
        "PARTNER_CENTER_REFRESH_TOKEN": bootstrap_refresh_token(state),
    }
    async with asgi_http(timed) as http:

        def background_client() -> PartnerCenterClient:
            # What partner_center(background=True) configures, over the in-process transport.
            config = get_settings().partner_center_config()
            patient = config.retry.model_copy(
                update={"max_throttled_retries": BACKGROUND_THROTTLED_RETRIES}
            )
            return in_process_client(http, config.model_copy(update={"retry": patient}))

        with environment(**variables), use_partner_center(background_client):
            yield Sandbox(state, http, timed)


@asynccontextmanager
async def https_sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox served over HTTPS on a free port (as `running_sandbox` serves it, but without
    its time processors); inside, PARTNER_CENTER_SANDBOX_FILE names its sandbox.json, so the
    services reach it with MSAL and TLS as a deployment does."""
    state = SandboxState()
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as folder:
        certs = ensure_certificates(Path(folder))
        server = uvicorn.Server(
            uvicorn.Config(
                sandbox_app(state, time_processors=False),
                host="127.0.0.1",
                port=0,
                ssl_certfile=str(certs.cert_file),
                ssl_keyfile=str(certs.key_file),
                log_level="warning",
                lifespan="off",
                ws="none",
                http="h11",
            )
        )
        thread = threading.Thread(target=server.run, name="bench-sandbox", daemon=True)
        thread.start()
        try:
            while not server.started:
                if not thread.is_alive():
                    raise RuntimeError("the sandbox server did not start")
                await asyncio.sleep(0.05)
            port = server.servers[0].sockets[0].getsockname()[1]
            info = sandbox_info(state, "127.0.0.1", port, certs.ca_file)
            info_file = write_info_file(info, Path(folder))
            trust = ssl.create_default_context(cafile=info.ca_file)
            async with httpx.AsyncClient(base_url=info.base_url, verify=trust) as http:
                with environment(PARTNER_CENTER_SANDBOX_FILE=str(info_file)):
                    forget_shared_clients()
                    try:
                        yield Sandbox(state, http, None)
                    finally:
                        await close_http_client()
                        forget_shared_clients()
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def processors_cost(state: SandboxState) -> float:
    """Seconds the sandbox's time processors take (before every request when on): the best of
    three runs, the first of which may also do work that fell due."""

    def once() -> float:
        began = time.perf_counter()
        run_processors(state, all_processors())
        return time.perf_counter() - began

    return min(once() for _ in range(3))


@dataclass(frozen=True)
class Pass:
    """One measured full reconcile."""

    imported: Imported
    report: sync.SyncReport
    requests_by_kind: Counter[str]
    sandbox_seconds: float | None  # in process: the sandbox's share of the wall time


async def measure(
    sandbox: Sandbox, postgres: str | None, client_bound: int | None, sandbox_bound: int | None
) -> tuple[float, Pass]:
    """Prepare a fresh portal for the seeded sandbox and run the full reconcile on it (with
    the sandbox throttling at `sandbox_bound`); the seconds preparing took, and the pass."""
    paced = {"PARTNER_CENTER_REQUESTS_PER_MINUTE": str(client_bound or "")}
    with fresh_database(postgres) as url, environment(DATABASE_URL=url):
        prepared = await prepare_portal(sandbox.state)
        if sandbox_bound:
            chaos = {"rateLimitPerMinute": sandbox_bound}
            (await sandbox.control.post("/_sandbox/chaos", json=chaos)).raise_for_status()
        answering = sandbox.timed.seconds if sandbox.timed else 0.0
        # Paced from the pass on, so the bound's first minute is the pass's own.
        with environment(**paced), tallied() as tally:
            report = await sync.run_sync("full")
        if report.error:
            raise RuntimeError(f"the full reconcile failed: {report.error}")
        answered = sandbox.timed.seconds - answering if sandbox.timed else None
        return prepared, Pass(count_imported(), report, tally.counts, answered)


def print_pass(seeded: Seeded, result: Pass, bound: int) -> bool:
    """Print a pass's figures; False when the import does not match the seed."""
    imported, report = result.imported, result.report
    calls = report.calls or CallStats()
    expected = (seeded.customers, seeded.customers, seeded.subscriptions, seeded.users)
    found = (imported.customers, imported.tenants, imported.subscriptions, imported.users)
    complete = expected == found and imported.licences == seeded.licences
    print(
        f"  imported        {imported.customers:,} customers ({imported.tenants:,} linked "
        f"tenants), {imported.subscriptions:,} subscriptions, {imported.users:,} users, "
        f"{imported.licences:,} licences"
    )
    if not complete:
        print(
            f"  FAIL: the sandbox holds {seeded.customers:,} customers, "
            f"{seeded.subscriptions:,} subscriptions, {seeded.users:,} users and "
            f"{seeded.licences:,} licences"
        )
    print(f"  changes         {report.changes:,}")
    print(f"  wall time       {report.seconds:,.1f} s")
    if result.sandbox_seconds is not None:
        print(
            f"  of which        {result.sandbox_seconds:,.1f} s the sandbox answering, "
            f"{report.seconds - result.sandbox_seconds:,.1f} s the portal (client, sync, database)"
        )
    rate = calls.requests / report.seconds if report.seconds else 0.0
    print(
        f"  requests        {calls.requests:,} ({calls.throttled:,} throttled), "
        f"{rate:,.1f} per second"
    )
    customers = max(1, imported.customers)
    kinds = [name for name, _ in REQUEST_KINDS] + ["other"]
    counts = result.requests_by_kind
    shares = ", ".join(
        f"{name} {counts[name]:,} ({counts[name] / customers:.3g})"
        for name in kinds
        if counts[name]
    )
    print(f"  per customer    {calls.requests / customers:.1f}: {shares}")
    if not calls.bound:
        at_bound, measured = calls.requests / bound, report.seconds / 60
        print(
            f"  bound           at {bound} requests/minute these requests need at least "
            f"{at_bound:,.1f} min; the pass took {measured:,.1f} min "
            f"({measured / at_bound:.0%} of that): {rate * 60:,.0f} requests/minute = "
            f"{rate * 60 / bound:.2f} x the bound"
        )
    else:
        print(
            f"  busiest minute  {calls.busiest_minute:,} requests = "
            f"{calls.busiest_minute / bound:.0%} of the sandbox's bound ({bound}/min), "
            f"{calls.fraction_of_bound or 0:.0%} of the client's ({calls.bound}/min); requests "
            f"waited {calls.rate_limit_wait:,.1f} s in all for the pace, "
            f"{calls.retry_after_wait:,.1f} s for 429s"
        )
    return complete


async def benchmark(
    customers: int,
    *,
    https: bool,
    postgres: str | None,
    sandbox_bound: int | None = None,
    client_bound: int | None = None,
) -> bool:
    """Seed, prepare, import and print; False when the import does not match the seed."""
    serving = https_sandbox() if https else in_process_sandbox()
    async with serving as sandbox:
        seeded = await seed_sandbox(sandbox.state, customers)
        print(
            f"  seeded          {seeded.customers:,} customers, {seeded.subscriptions:,} "
            f"subscriptions, {seeded.users:,} users ({seeded.licences:,} licences) "
            f"in {seeded.seconds:,.1f} s"
        )
        print(
            f"  sandbox         time processors off: at this size they would add "
            f"{processors_cost(sandbox.state) * 1000:,.0f} ms to every request"
        )
        prepared, result = await measure(sandbox, postgres, client_bound, sandbox_bound)
        print(f"  portal prepared in {prepared:,.1f} s (catalog, prices, organizations, links)")
        return print_pass(seeded, result, sandbox_bound or PUBLISHED_BOUND)


def parse_arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="share of the full size (1,000 customers, 10,000 subscriptions, 50,000 users)",
    )
    parser.add_argument("--https", action="store_true", help="serve the sandbox over HTTPS")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=POSTGRES_SERVER,
        metavar="SERVER_URL",
        help=f"use a new database on a PostgreSQL server (default {POSTGRES_SERVER})",
    )
    parser.add_argument(
        "--paced",
        action="store_true",
        help=f"add a run of {PACED_CUSTOMERS} customers against a sandbox bound of "
        f"{PACED_SANDBOX_BOUND}/min with the client paced at {PACED_CLIENT_BOUND}/min",
    )
    arguments = parser.parse_args()
    if not 0 < arguments.scale <= 10:
        parser.error("--scale must be above 0 and at most 10")
    return arguments


async def main() -> int:
    """Run the benchmark; exit code 1 when an import does not match its seed."""
    arguments = parse_arguments()
    customers = max(1, round(CUSTOMERS_AT_FULL_SCALE * arguments.scale))
    where = "over HTTPS" if arguments.https else "in process"
    database = "PostgreSQL" if arguments.postgres else "SQLite"
    print(f"Full import at scale {arguments.scale:g}: Partner Center {where}, {database}")
    complete = await benchmark(customers, https=arguments.https, postgres=arguments.postgres)
    if arguments.paced:
        print(
            f"Paced run: {PACED_CUSTOMERS} customers, sandbox bound {PACED_SANDBOX_BOUND}/min, "
            f"PARTNER_CENTER_REQUESTS_PER_MINUTE={PACED_CLIENT_BOUND}"
        )
        complete &= await benchmark(
            PACED_CUSTOMERS,
            https=arguments.https,
            postgres=arguments.postgres,
            sandbox_bound=PACED_SANDBOX_BOUND,
            client_bound=PACED_CLIENT_BOUND,
        )
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
