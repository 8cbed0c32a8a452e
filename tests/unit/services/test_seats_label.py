"""Quantities as people say them ("1 seats" was shown after ordering one seat)."""

from __future__ import annotations

from o365portal.services.ordering import seats_label


def test_one_seat_is_singular_and_more_are_plural() -> None:
    assert seats_label(1) == "1 seat"
    assert seats_label("1") == "1 seat"
    assert seats_label(3) == "3 seats"
    assert seats_label(0) == "0 seats"
