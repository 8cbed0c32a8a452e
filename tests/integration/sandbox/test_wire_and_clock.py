"""The sandbox's small building blocks: case-insensitive bodies, durations, passwords."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from o365portal.sandbox.core.clock import SandboxClock, add_duration
from o365portal.sandbox.core.wire import CIDict, PartnerCenterError, parse_json_bytes
from o365portal.sandbox.directory.passwords import generate_password, password_problem


def test_cidict_reads_nested_objects_and_lists_in_any_case() -> None:
    body = CIDict({"LineItems": [{"Quantity": 3}], "BillingProfile": {"Email": "a@b.c"}})

    assert body["lineitems"][0]["QUANTITY"] == 3
    assert body.child("billingProfile").text("email") == "a@b.c"
    assert body.child("missing").text("anything", "x") == "x"


def test_a_bom_is_tolerated_and_bad_json_is_a_partner_center_400() -> None:
    assert parse_json_bytes(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
    with pytest.raises(PartnerCenterError) as caught:
        parse_json_bytes(b"{nope")
    assert (caught.value.status, caught.value.code) == (400, 800002)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        ("2027-01-31T00:00:00", "P1M", "2027-02-28T00:00:00"),
        ("2028-02-29T00:00:00", "P1Y", "2029-02-28T00:00:00"),
        ("2027-01-01T00:00:00", "P1W2DT3H4M5S", "2027-01-10T03:04:05"),
    ],
)
def test_iso_durations_use_calendar_months(start: str, duration: str, expected: str) -> None:
    moved = add_duration(datetime.fromisoformat(start).replace(tzinfo=UTC), duration)

    assert moved == datetime.fromisoformat(expected).replace(tzinfo=UTC)


@pytest.mark.parametrize("duration", ["", "P", "PT", "8 days", "P1.5D"])
def test_malformed_durations_are_refused(duration: str) -> None:
    with pytest.raises(ValueError, match="ISO-8601"):
        add_duration(datetime(2027, 1, 1, tzinfo=UTC), duration)


def test_a_frozen_clock_survives_a_round_trip_through_json() -> None:
    clock = SandboxClock()
    clock.set(datetime(2027, 5, 1, tzinfo=UTC), frozen=True)
    clock.advance("P1D")

    restored = SandboxClock.from_json(clock.to_json())

    assert restored.now() == datetime(2027, 5, 2, tzinfo=UTC)
    assert restored.frozen


def test_generated_passwords_always_pass_entras_rules() -> None:
    for _ in range(200):
        assert password_problem(generate_password("admin@x.onmicrosoft.com"), "admin@x") is None
