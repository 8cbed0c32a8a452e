"""The error table: every documented code maps to a specific class, and errors carry
Partner Center's details."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from o365portal.partner_center import errors
from o365portal.partner_center.errors import (
    ERROR_TABLE,
    AppUserRequired,
    AuthenticationError,
    CancellationWindowClosed,
    InvalidRequest,
    McaRequired,
    NotFoundError,
    OperationInProgress,
    OutOfLicenses,
    PartnerCenterError,
    RejectedError,
    SeatReductionNotAllowed,
    ThrottledError,
    TransientError,
    error_class_for,
    error_from_response,
)

REFERENCE = Path(__file__).resolve().parents[3].parent / "shared/reference/partner-center-api.md"


def documented_codes() -> list[tuple[int, int | None]]:
    """(code, status) for every row of the reference's §11.3 table ("900242–900246 (400)")."""
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split("### 11.3", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    found: list[tuple[int, int | None]] = []
    for row in re.findall(r"^\| ([0-9][^|]*?) \|", section, flags=re.MULTILINE):
        status_match = re.search(r"\((\d{3})(?:/\d{3})?\)", row)
        status = int(status_match.group(1)) if status_match else None
        codes_part = re.sub(r"\(.*?\)", "", row)
        for start, end in re.findall(r"(\d+)\s*[–-]\s*(\d+)", codes_part):
            found += [(code, status) for code in range(int(start), int(end) + 1)]
        codes_part = re.sub(r"\d+\s*[–-]\s*\d+", "", codes_part)
        found += [(int(code), status) for code in re.findall(r"\d+", codes_part)]
    return found


def test_the_reference_table_is_found_and_read() -> None:
    codes = dict(documented_codes())
    assert len(codes) > 80
    assert codes[800090] == 400
    assert codes[900244] == 400
    assert codes[13605] == 403


@pytest.mark.parametrize(("code", "status"), documented_codes())
def test_every_documented_error_code_has_its_own_entry_in_the_table(
    code: int, status: int | None
) -> None:
    explicit = (None, code) in ERROR_TABLE or (status, code) in ERROR_TABLE
    assert explicit, f"code {code} is not in ERROR_TABLE"
    cls = error_class_for(status or 400, code)
    assert cls not in (PartnerCenterError, RejectedError)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 800090, SeatReductionNotAllowed),
        (400, 900214, SeatReductionNotAllowed),
        (400, 900213, CancellationWindowClosed),
        (400, 900117, CancellationWindowClosed),
        (400, 60012, OutOfLicenses),
        (403, 13605, McaRequired),
        (404, 20003, NotFoundError),
        (409, 800064, OperationInProgress),
        (409, None, OperationInProgress),
        (403, 900329, AppUserRequired),
        (401, 800001, AuthenticationError),
        (401, 400, AuthenticationError),
        (500, 800003, TransientError),
        (503, None, TransientError),
        (429, None, ThrottledError),
        (400, 123456789, InvalidRequest),
        (418, None, RejectedError),
    ],
)
def test_status_and_code_map_to_the_class_the_portal_acts_on(
    status: int, code: int | None, expected: type[PartnerCenterError]
) -> None:
    assert error_class_for(status, code) is expected


def test_the_rule_errors_are_rejections_the_portal_can_catch_by_family() -> None:
    assert issubclass(SeatReductionNotAllowed, errors.SubscriptionChangeNotAllowed)
    assert issubclass(McaRequired, errors.PurchaseNotAllowed)
    assert issubclass(OperationInProgress, errors.ConflictError)
    assert issubclass(AppUserRequired, AuthenticationError)
    assert not issubclass(TransientError, RejectedError)


def test_an_error_carries_code_description_data_status_and_ids() -> None:
    body = (
        b'\xef\xbb\xbf{"code":"800090","description":"Subscription quantity cannot be decreased.",'
        b'"data":["lot"],"source":"PartnerFD"}'
    )
    error = error_from_response(
        httpx.Response(400, content=body), request_id="r-1", correlation_id="c-1"
    )
    assert isinstance(error, SeatReductionNotAllowed)
    assert (error.code, error.status_code, error.data) == (800090, 400, ["lot"])
    assert (error.request_id, error.correlation_id, error.source) == ("r-1", "c-1", "PartnerFD")
    assert "Subscription quantity cannot be decreased." in str(error)


def test_the_agreement_variant_and_a_non_json_body_are_understood() -> None:
    variant = httpx.Response(
        409, json={"code": 600061, "message": "exists", "errorName": "AlreadyExists"}
    )
    error = error_from_response(variant, request_id=None, correlation_id=None)
    assert isinstance(error, errors.AlreadyExists)
    assert error.description == "exists"
    html = httpx.Response(502, content=b"<html>Bad gateway</html>")
    error = error_from_response(html, request_id=None, correlation_id=None)
    assert isinstance(error, TransientError)
    assert error.code is None
    assert error.description == "Bad Gateway"


SANDBOX = Path(__file__).resolve().parents[3] / "o365portal" / "sandbox"
RAISED = re.compile(r"(?:PartnerCenterError|NceRuleError)\(\s*(\d{3}),\s*(\d+|[A-Z_]+)")
CONSTANT = re.compile(r"^([A-Z_]+) = (\d+)$", re.MULTILINE)


def sandbox_codes() -> set[tuple[int, int]]:
    """(status, code) of every Partner Center error the sandbox's source raises."""
    found: set[tuple[int, int]] = set()
    for module in SANDBOX.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        constants = dict(CONSTANT.findall(text))
        for status, code in RAISED.findall(text):
            value = int(constants.get(code, code))
            if value:
                found.add((int(status), value))
    return found


def test_every_error_the_sandbox_raises_maps_to_a_specific_class() -> None:
    codes = sandbox_codes()
    if not codes:
        pytest.skip("the sandbox's source is not in this checkout")
    generic = 2000  # meaning given by the status (see the next test)
    unmapped = sorted(
        (status, code)
        for status, code in codes
        if (None, code) not in ERROR_TABLE
        and (status, code) not in ERROR_TABLE
        and not (code == generic and (status, None) in ERROR_TABLE)
    )
    assert unmapped == []


def test_generic_code_2000_takes_its_meaning_from_the_status() -> None:
    assert error_class_for(400, 2000) is InvalidRequest
    assert error_class_for(404, 2000) is NotFoundError
    assert issubclass(error_class_for(409, 2000), errors.ConflictError)
