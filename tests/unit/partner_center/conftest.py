"""Fixtures of the client's unit tests."""

from __future__ import annotations

import pytest

from tests.unit.partner_center.fakes import ScriptedPartnerCenter


@pytest.fixture
def server() -> ScriptedPartnerCenter:
    """An empty scripted Partner Center; tests add the routes they need."""
    return ScriptedPartnerCenter()
