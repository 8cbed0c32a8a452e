"""Back in time for the demo tenant's history: both clocks, the built-in sandbox's and the
portal's, set to an earlier instant while the demo buys and changes subscriptions, then back to
now. So the billing report of `make run` has months to show, with Microsoft's invoices for the
months that have closed (the sandbox invoices a month once its clock passes it).
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx

from o365portal.config import get_settings
from o365portal.partner_center.config import PartnerCenterConfig
from o365portal.services import clock

MoveTo = Callable[[datetime], Awaitable[None]]


async def _sandbox_clock(config: PartnerCenterConfig, instant: datetime) -> None:
    verify = ssl.create_default_context(cafile=str(config.ca_file)) if config.ca_file else True
    async with httpx.AsyncClient(verify=verify, timeout=30) as client:
        answer = await client.post(
            f"{config.base_url.rstrip('/')}/_sandbox/clock", json={"now": instant.isoformat()}
        )
        answer.raise_for_status()


@asynccontextmanager
async def clocks_at(instant: datetime) -> AsyncIterator[MoveTo]:
    """Both clocks at `instant` (they tick on from there); the block may move them on with the
    function it is given; afterwards both are back at the real time. Where business time cannot
    move (a production portal) or Partner Center is not the built-in sandbox, nothing moves."""
    sandbox_file = get_settings().pc_sandbox_file
    if sandbox_file is None or not clock.movable():  # not the embedded default: no history

        async def stay(when: datetime) -> None:
            return None

        yield stay
        return
    config = PartnerCenterConfig.from_sandbox_file(sandbox_file)

    async def move_to(when: datetime) -> None:
        await _sandbox_clock(config, when)
        clock.set_offset(when - datetime.now(UTC))

    await move_to(instant)
    try:
        yield move_to
    finally:
        clock.set_offset(timedelta(0))
        await _sandbox_clock(config, datetime.now(UTC))
