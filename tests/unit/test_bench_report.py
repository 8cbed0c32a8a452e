"""make bench's concurrency section: percentiles, ratios to the floor and the goal at 100 tabs."""

from __future__ import annotations

from benchmarks.concurrency import Load, delta_states
from benchmarks.report import concurrency_table, percentile


def _load(sessions: int, latencies: list[float], unopened: int = 0) -> Load:
    return Load(sessions, latencies, seconds=10.0, unopened=unopened)


def _row(table: str, sessions: int) -> str:
    return next(line for line in table.splitlines() if line.split()[0] == str(sessions))


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95)) == (50.0, 95.0)


def test_a_level_shows_both_apps_their_rates_and_the_ratio() -> None:
    portal = _load(10, [100.0] * 19 + [400.0])
    floor = _load(10, [10.0] * 19 + [20.0])
    cells = _row(concurrency_table([(portal, floor)]), 10).split()
    assert cells == ["10", "100", "100", "2.0", "10", "10", "2.0", "10.0", "10.0"]


def test_the_goal_is_judged_on_the_p95_at_100_sessions() -> None:
    floor = _load(100, [5.0] * 100)
    fast, slow = _load(100, [100.0] * 100), _load(100, [100.0] * 90 + [300.0] * 10)
    assert _row(concurrency_table([(fast, floor)]), 100).endswith("met")
    assert _row(concurrency_table([(slow, floor)]), 100).endswith("MISSED >= 250 ms")


def test_failed_sessions_miss_the_goal_at_any_level() -> None:
    unanswered = Load(10, [1.0], seconds=10.0, unanswered=1)
    table = concurrency_table([(_load(10, [1.0], unopened=2), unanswered)])
    assert _row(table, 10).endswith("MISSED: 2 portal tabs unopened, 1 floor tabs unanswered")


def test_answers_that_are_not_the_pages_miss_the_goal() -> None:
    fast_but_wrong = Load(100, [5.0] * 100, seconds=10.0, wrong=3, first_wrong="42/_event,[…]")
    table = concurrency_table([(fast_but_wrong, _load(100, [5.0] * 100))])
    assert _row(table, 100).endswith("MISSED: 3 portal answers not the page's")


def test_an_answer_is_known_by_the_states_its_delta_updates() -> None:
    frame = '42/_event,["event",{"delta":{"state.org_list":{"rows":[]}},"events":[]}]'
    assert delta_states(frame) == {"state.org_list"}
    assert delta_states('42/_event,["event",{"events":[{"name":"_redirect"}]}]') == set()
