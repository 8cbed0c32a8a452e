"""The message for an unexpected failure (ui/failures.py): plain words and a reference, never the
exception; the database or Redis out of reach is named as such."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import IntegrityError, OperationalError

from o365portal.ui.failures import failure_message, on_backend_error

SECRET_DETAIL = "password=hunter2 at db.internal"


@pytest.mark.parametrize(
    "exception",
    [OperationalError("SELECT 1", {}, Exception(SECRET_DETAIL)), RedisConnectionError("refused")],
)
def test_an_unreachable_database_or_redis_is_named(exception: Exception) -> None:
    title, description = failure_message(exception, "ab12cd34")
    assert title == "The portal's database is not answering just now."
    assert description.endswith("Reference for your administrator: ab12cd34.")
    assert "may not have finished" in description


@pytest.mark.parametrize(
    "exception",
    [KeyError("unit_cost"), IntegrityError("INSERT", {}, Exception(SECRET_DETAIL))],
)
def test_anything_else_is_the_portals_fault_without_the_exception(exception: Exception) -> None:
    title, description = failure_message(exception, "ab12cd34")
    assert title == "Something went wrong on the portal's side."
    assert "unit_cost" not in description and "hunter2" not in description


def test_the_log_has_the_traceback_under_the_reference_the_person_sees(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="o365portal.ui"):
        shown = str(on_backend_error(KeyError("unit_cost")))
    record = next(r for r in caplog.records if r.message.startswith("event failed"))
    reference = record.message.removeprefix("event failed [reference ").removesuffix("]")
    assert record.exc_info is not None and f"administrator: {reference}." in shown
    assert "unit_cost" not in shown
