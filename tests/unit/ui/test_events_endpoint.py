"""The webhook endpoint's size cap: a body over MAX_BODY is refused with 413 after reading just
past the cap, not after reading it whole (an unsigned request must cost the portal little)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from o365portal.services import sync
from o365portal.ui.sync.events_endpoint import MAX_BODY, events_api

CHUNK = 1024


async def test_a_huge_body_is_refused_once_it_passes_the_cap() -> None:
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(100 * MAX_BODY // CHUNK):  # 100 times the cap
            sent += 1
            yield b"x" * CHUNK

    transport = httpx.ASGITransport(app=events_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        response = await client.post(sync.EVENTS_PATH, content=body())
    assert response.status_code == 413
    assert response.json() == {"error": "The event is too large."}
    assert sent * CHUNK <= 2 * MAX_BODY, f"read {sent * CHUNK} bytes"
