"""The production path really is one: Redis state manager and two backend workers."""

from __future__ import annotations

import httpx
import psutil
import pytest

from tests.e2e.conftest import STACK, Portal

pytestmark = [
    pytest.mark.production_path,
    pytest.mark.skipif(STACK != "production", reason="only on E2E_STACK=production"),
]


def test_the_portal_runs_two_workers_on_redis(portal: Portal) -> None:
    health = httpx.get(f"{portal.url}/_health", timeout=5).json()
    assert health["redis"] is True
    workers = psutil.Process(portal.process.pid).children(recursive=True)
    assert len(workers) == 2
