"""`PartnerCenterClient`: the portal's only way to Partner Center (or the sandbox).

    config = PartnerCenterConfig.from_sandbox_file("var/sandbox/sandbox.json")
    async with PartnerCenterClient(config) as pc:
        if await pc.customers.is_domain_available("contoso.onmicrosoft.com"):
            customer = await pc.customers.create(Customer(...))
        result = await pc.orders.purchase(customer.id, [CartLineItem(...)])

Seams: pass `http=` (an `httpx.AsyncClient`) or `transport=` (e.g. `httpx.MockTransport`) to
change how requests travel, and `token_sources=` to replace MSAL; `sleep=` replaces the waits
between retries and for the rate limit; `rate_limiter=` replaces the limiter the client shares
with the other clients of its app in this process (tests pass one with a fake clock).
`client.stats` counts what the calls cost so far. Each area object picks the token kind its
routes need (App+User for users, licences, agreements, relationship link, invoice by id).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType

import httpx

from o365portal.partner_center.areas.agreements import AgreementsArea
from o365portal.partner_center.areas.audit import AuditArea
from o365portal.partner_center.areas.billing import BillingArea
from o365portal.partner_center.areas.catalog import CatalogArea
from o365portal.partner_center.areas.customers import CustomersArea
from o365portal.partner_center.areas.orders import OrdersArea
from o365portal.partner_center.areas.subscriptions import SubscriptionsArea
from o365portal.partner_center.areas.users import LicensesArea, UsersArea
from o365portal.partner_center.areas.webhooks import WebhooksArea
from o365portal.partner_center.auth import BearerAuth, MsalTokenSource, TokenKind, TokenSource
from o365portal.partner_center.config import PartnerCenterConfig
from o365portal.partner_center.pipeline import CallStats, Pipeline, operation
from o365portal.partner_center.rate_limit import RateLimiter, Sleep, shared_rate_limiter


class PartnerCenterClient:
    """Typed async client of the Partner Center REST API."""

    def __init__(
        self,
        config: PartnerCenterConfig,
        *,
        http: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        token_sources: Mapping[TokenKind, TokenSource] | None = None,
        sleep: Sleep = asyncio.sleep,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.config = config
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(transport=transport, verify=_tls(config))
        sources = token_sources or {kind: MsalTokenSource(config, kind) for kind in TokenKind}
        auths = {kind: BearerAuth(source) for kind, source in sources.items()}
        limiter = rate_limiter or shared_rate_limiter(config)
        pipeline = self._pipeline = Pipeline(self._http, config, auths, sleep, limiter)
        self.customers = CustomersArea(pipeline)
        self.agreements = AgreementsArea(pipeline)
        self.catalog = CatalogArea(pipeline)
        self.orders = OrdersArea(pipeline, sleep)
        self.subscriptions = SubscriptionsArea(pipeline)
        self.users = UsersArea(pipeline)
        self.licenses = LicensesArea(pipeline)
        self.audit = AuditArea(pipeline)
        self.webhooks = WebhooksArea(pipeline)
        self.billing = BillingArea(pipeline)

    @property
    def stats(self) -> CallStats:
        """What this client's calls have cost so far: requests, 429s, seconds waited, the
        busiest minute against `config.requests_per_minute` (`CallStats`)."""
        return self._pipeline.stats()

    @contextmanager
    def operation(self, correlation_id: str | None = None) -> Iterator[str]:
        """Share one `MS-CorrelationId` (yielded) among the calls made inside the block."""
        with operation(correlation_id) as value:
            yield value

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> PartnerCenterClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _tls(config: PartnerCenterConfig) -> ssl.SSLContext:
    if config.ca_file is None:
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=str(config.ca_file))
