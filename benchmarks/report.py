"""Percentiles and the one table `make bench` prints.

Goals (issue 15): every action within FLOOR_FACTOR x the floor (judged on p50 and p95 each
against the floor's), the first page under FIRST_PAGE_MS at p95, and on the production path an
event's p95 under CONCURRENT_P95_MS with CONCURRENT_SESSIONS sessions at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.concurrency import Load

FLOOR_FACTOR = 2.0
FIRST_PAGE_MS = 1000.0
CONCURRENT_P95_MS = 250.0
CONCURRENT_SESSIONS = 100


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` in 0..1) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Row:
    """One measured action next to its floor."""

    name: str
    timings: Sequence[float]
    floor_name: str
    floor: Sequence[float]
    limit_ms: float | None = None  # an absolute goal at p95, besides the floor's

    def verdict(self) -> str:
        """ "met", or what was missed."""
        missed = []
        if self.ratio(0.5) > FLOOR_FACTOR or self.ratio(0.95) > FLOOR_FACTOR:
            missed.append(f"> {FLOOR_FACTOR:g}x floor")
        if self.limit_ms is not None and percentile(self.timings, 0.95) >= self.limit_ms:
            missed.append(f">= {self.limit_ms:,.0f} ms")
        return "MISSED " + ", ".join(missed) if missed else "met"

    def ratio(self, share: float) -> float:
        """The action's percentile over the floor's."""
        return percentile(self.timings, share) / max(percentile(self.floor, share), 0.001)


def latency_table(rows: Sequence[Row]) -> str:
    """The UI latency table: p50/p95 of each action, its floor's, the ratios and the goal."""
    head = f"{'action':34} {'p50':>7} {'p95':>7}  {'floor':14} {'p50':>6} {'p95':>6}"
    lines = [head + f" {'x p50':>6} {'x p95':>6}  goal", "-" * (len(head) + 22)]
    for row in rows:
        lines.append(
            f"{row.name:34} {percentile(row.timings, 0.5):7.0f} "
            f"{percentile(row.timings, 0.95):7.0f}  {row.floor_name:14} "
            f"{percentile(row.floor, 0.5):6.0f} {percentile(row.floor, 0.95):6.0f} "
            f"{row.ratio(0.5):6.1f} {row.ratio(0.95):6.1f}  {row.verdict()}"
        )
    return "\n".join(lines)


def size_table(sizes: Sequence[tuple[str, int, int, int | None]]) -> str:
    """Bytes received over the websocket (and state bytes in Redis) per page opened."""
    lines = [f"{'page':34} {'ws bytes':>10} {'frames':>7} {'Redis state':>12}", "-" * 66]
    for name, received, frames, state in sizes:
        redis = f"{state:12,}" if state is not None else f"{'n/a':>12}"
        lines.append(f"{name:34} {received:10,} {frames:7} {redis}")
    return "\n".join(lines)


def _load_cells(load: Load) -> str:
    if not load.latencies_ms:
        return f"{'-':>6} {'-':>6} {0:6.1f}"
    latencies = load.latencies_ms
    return (
        f"{percentile(latencies, 0.5):6.0f} {percentile(latencies, 0.95):6.0f} "
        f"{load.events_per_second:6.1f}"
    )


def _load_ratio(portal: Load, floor: Load, share: float) -> str:
    if not portal.latencies_ms or not floor.latencies_ms:
        return f"{'-':>6}"
    ratio = percentile(portal.latencies_ms, share) / max(
        percentile(floor.latencies_ms, share), 0.001
    )
    return f"{ratio:6.1f}"


def _concurrency_goal(portal: Load, floor: Load) -> str:
    failed = []
    for name, load in (("portal", portal), ("floor", floor)):
        failed += [f"{load.unopened} {name} tabs unopened"] if load.unopened else []
        failed += [f"{load.unanswered} {name} tabs unanswered"] if load.unanswered else []
        failed += [f"{load.wrong} {name} answers not the page's"] if load.wrong else []
    if failed:
        return "MISSED: " + ", ".join(failed)
    if portal.sessions != CONCURRENT_SESSIONS:
        return ""
    missed = not portal.latencies_ms or percentile(portal.latencies_ms, 0.95) >= CONCURRENT_P95_MS
    return f"MISSED >= {CONCURRENT_P95_MS:,.0f} ms" if missed else "met"


def concurrency_table(levels: Sequence[tuple[Load, Load]]) -> str:
    """Per number of sessions: the portal's p50/p95 per event and events per second, the
    floor's under the same load, the ratios, and the goal (p95 at CONCURRENT_SESSIONS)."""
    head = f"{'sessions':>8}  {'p50':>6} {'p95':>6} {'ev/s':>6}  floor {'p50':>6} {'p95':>6} "
    lines = [head + f"{'ev/s':>6} {'x p50':>6} {'x p95':>6}  goal", "-" * (len(head) + 34)]
    for portal, floor in levels:
        ratios = "".join(f" {_load_ratio(portal, floor, share)}" for share in (0.5, 0.95))
        lines.append(
            f"{portal.sessions:8}  {_load_cells(portal)}  {'':5} {_load_cells(floor)}"
            f"{ratios}  {_concurrency_goal(portal, floor)}"
        )
    return "\n".join(lines)
