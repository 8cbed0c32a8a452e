"""The users page names the first few subscriptions with free seats, not all of them: with 200
subscriptions the notice was 200 lines long and most of the page's websocket frames."""

from __future__ import annotations

from o365portal.services import licences
from o365portal.ui.users.users_state import UNUSED_SHOWN, _first_unused


def _seats(n: int, free: int, reducible: int = 0, until: str = "") -> licences.UnusedSeats:
    return licences.UnusedSeats(n, f"Sub {n}", "Basic", 10, 10 - free, free, reducible, until,
                                "2027-01-01", "words")  # fmt: skip


def test_a_few_are_named_all_of_them() -> None:
    found = [_seats(n, free=1) for n in range(UNUSED_SHOWN)]
    assert _first_unused(found) == (found, "")


def test_those_that_can_still_give_seats_back_come_first_and_the_rest_is_counted() -> None:
    found = [_seats(n, free=n + 1) for n in range(10)]
    found.append(_seats(98, free=2, reducible=2, until="2026-12-09 10:00 UTC"))
    found.append(_seats(99, free=1, reducible=1, until="2026-12-07 10:00 UTC"))
    shown, more = _first_unused(found)
    assert [s.subscription_id for s in shown] == [99, 98, 9, 8, 7]
    assert more == "And 7 more subscriptions with 28 free seats in all."  # 7+6+...+1
