"""The one way services get a Partner Center client, configured from the settings.

MSAL token sources are shared process-wide (one per app registration and token kind), so a
token is fetched once and reused until it nears expiry; the httpx client is shared per event
loop (an httpx client must not cross loops). The returned `PartnerCenterClient` is cheap: use
it as `async with partner_center() as pc:`; closing it leaves the shared HTTP client open.

`use_partner_center(factory)` is the one seam for pointing the services at another Partner
Center: inside the block `partner_center()` returns `factory()` (the fast service tests pass an
in-process sandbox, tests/fakes/partner_center.py; an operator's script could pass a client
with its own configuration).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from o365portal.config import get_settings
from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig
from o365portal.partner_center.auth import MsalTokenSource, TokenKind

_lock = threading.Lock()
_token_sources: dict[tuple[str, ...], dict[TokenKind, MsalTokenSource]] = {}
_http_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)
_factories: list[Callable[[], PartnerCenterClient]] = []


# Background work (a sync pass) has nobody waiting: it rides out long throttling storms.
BACKGROUND_THROTTLED_RETRIES = 60


def partner_center(*, background: bool = False) -> PartnerCenterClient:
    """A client for the configured Partner Center (or sandbox), sharing tokens and HTTP; inside
    `use_partner_center(factory)`, `factory()`. A `background` client waits out up to
    BACKGROUND_THROTTLED_RETRIES 429s per call instead of giving up after a few."""
    if _factories:
        return _factories[-1]()
    config = get_settings().partner_center_config()
    if background:
        patient = config.retry.model_copy(
            update={"max_throttled_retries": BACKGROUND_THROTTLED_RETRIES}
        )
        config = config.model_copy(update={"retry": patient})
    return PartnerCenterClient(config, http=_http_client(config), token_sources=_tokens(config))


@contextmanager
def use_partner_center(factory: Callable[[], PartnerCenterClient]) -> Iterator[None]:
    """Inside the block (in every thread), `partner_center()` returns `factory()`; blocks nest."""
    with _lock:
        _factories.append(factory)
    try:
        yield
    finally:
        with _lock:
            del _factories[len(_factories) - 1 - _factories[::-1].index(factory)]


def _key(config: PartnerCenterConfig) -> tuple[str, ...]:
    return (config.base_url, config.authority_url, config.client_id, str(config.ca_file))


def _tokens(config: PartnerCenterConfig) -> dict[TokenKind, MsalTokenSource]:
    with _lock:
        sources = _token_sources.get(_key(config))
        if sources is None:
            sources = {kind: MsalTokenSource(config, kind) for kind in TokenKind}
            _token_sources[_key(config)] = sources
        return sources


def _http_client(config: PartnerCenterConfig) -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    client = _http_clients.get(loop)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(verify=_tls(config))
        _http_clients[loop] = client
    return client


def _tls(config: PartnerCenterConfig) -> ssl.SSLContext:
    if config.ca_file is None:
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=str(config.ca_file))


async def close_http_client() -> None:
    """Close this event loop's shared HTTP client (at shutdown, or at the end of a test)."""
    client = _http_clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


def forget_shared_clients() -> None:
    """Drop the shared token sources and HTTP clients (after the settings changed, in tests)."""
    with _lock:
        _token_sources.clear()
    _http_clients.clear()
