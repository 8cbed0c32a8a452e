"""Where the recorded Partner Center responses live, and how to read them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from o365portal.partner_center.models import parse_json

REPO = Path(__file__).resolve().parents[3]
RECORDED = REPO.parent / "shared" / "fixtures" / "partner-center-recorded"


@pytest.fixture(scope="session")
def recorded() -> Path:
    """The recorded-responses directory; tests skip when it is not checked out beside the repo."""
    if not RECORDED.is_dir():
        pytest.skip(f"recorded Partner Center responses not found at {RECORDED}")
    return RECORDED


def response_body(recorded: Path, name: str) -> Any:
    """The decoded body of `responses/<name>.json` (byte-order mark and all)."""
    return parse_json((recorded / "responses" / f"{name}.json").read_bytes())


def session_exchanges(recorded: Path, name: str) -> list[dict[str, Any]]:
    """The recorded exchanges of `sessions/<name>.json`."""
    exchanges: list[dict[str, Any]] = json.loads(
        (recorded / "sessions" / f"{name}.json").read_text(encoding="utf-8-sig")
    )
    return exchanges
