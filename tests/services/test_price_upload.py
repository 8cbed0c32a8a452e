"""The price editor's file upload: only a signed-in broker's file is kept, and only up to
MAX_UPLOAD_MB; anything else is refused with a message and nothing is kept.

The upload goes through Reflex's event processor as the upload endpoint sends it (the authz tab),
so the guard is the handler's own, not the page's.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory

from o365portal.o365portal import app  # noqa: F401  (registers the states' handlers)
from o365portal.ui import routes
from o365portal.ui.pricing import price_lists_import
from o365portal.ui.pricing.price_lists_import import PriceImportState
from tests.builders import new_broker, new_customer, new_organization
from tests.services.authz_tab import Frames, Tab, router_data
from tests.services.authz_world import session_of

pytestmark = pytest.mark.usefixtures("portal_env")

CSV = b"\xef\xbb\xbfProductId,SkuId,AvailabilityId,Term,BillingCycle,SalesPrice\n"


async def upload(session: str, content: bytes) -> tuple[Frames, dict[str, Any]]:
    """Upload `content` as prices.csv in a fresh tab of `session` ("" for anonymous)."""
    token = uuid.uuid4().hex
    tab = Tab(StateManagerMemory(), token, router_data(token, routes.PRICE_LISTS, {}))
    await tab.open(session)
    handler = PriceImportState.event_handlers["read_upload"]
    file = rx.UploadFile(file=io.BytesIO(content), path=Path("prices.csv"))
    frames = await tab.send(PriceImportState, handler, {"files": [file]})
    return frames, await tab.state_of(PriceImportState)


async def test_a_brokers_file_is_kept_with_its_name() -> None:
    frames, state = await upload(session_of(new_broker()), CSV)
    assert not frames.error
    assert state["uploaded_name"] == "prices.csv" and state["problems"] == []


async def test_an_anonymous_upload_is_sent_to_sign_in_and_not_kept() -> None:
    frames, state = await upload("", CSV)
    assert frames.signed_out and state["uploaded_name"] == ""


async def test_a_customers_upload_is_refused_with_a_message() -> None:
    broker = new_broker()
    customer = new_customer(new_organization(broker.principal).id)
    _, state = await upload(session_of(customer), CSV)
    assert state["uploaded_name"] == ""
    assert state["problems"] == ["You are not allowed to do that."]


async def test_a_file_over_the_limit_is_refused_and_the_last_one_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(price_lists_import, "MAX_UPLOAD_MB", 1)
    frames, state = await upload(session_of(new_broker()), CSV + b"x" * (1024 * 1024))
    assert not frames.error and state["uploaded_name"] == ""
    assert state["problems"] == ["The file is larger than 1 MB: nothing was read."]
