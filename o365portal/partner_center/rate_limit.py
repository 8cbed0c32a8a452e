"""Pacing of the requests to one Partner Center app: a rate limit and the pauses 429s ask for.

A `RateLimiter` applies two rules to every request (each attempt, retries included):

- with a bound (`per_minute`), at most that many requests start in any 60-second window, the
  way Partner Center counts ("500 requests per minute per tenant"): a burst of up to the bound
  goes at once, later requests wait for the window to make room;
- after a 429, no request starts before the moment its `Retry-After` names (`pause_until`):
  every waiting and every new request waits, not only the one that was throttled.

Requests are served in the order they asked (each reserves its start time), so a long task
cannot be overtaken forever. Waiting goes through the caller's `sleep`, so tests can replace
time with a fake clock (`RateLimiter(clock=...)`) and a sleep that moves it.

Partner Center counts per app, not per client object, and the portal opens a client per use case
(`async with partner_center() as pc`), so clients of the same `(base_url, client_id)` in one
process share one limiter (`shared_rate_limiter`). Other processes or tools using the same app
are not seen: keep the bound a little under Partner Center's.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from o365portal.partner_center.config import PartnerCenterConfig

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Waited:
    """Seconds one request waited for its turn: for the rate limit, and for a 429's pause."""

    rate_limit: float = 0.0
    retry_after: float = 0.0


NO_WAIT = Waited()


@dataclass
class _Reservation:
    start: float
    sent: bool = False


class RateLimiter:
    """Gives each request its turn under the bound and the pauses asked by 429s (thread-safe;
    usable from several event loops)."""

    def __init__(self, per_minute: int | None = None, *, clock: Clock = time.monotonic) -> None:
        if per_minute is not None and per_minute < 1:
            raise ValueError(f"per_minute must be at least 1, not {per_minute}")
        self.per_minute = per_minute
        self.clock = clock
        self._reservations: deque[_Reservation] = deque()
        self._resume_at = -math.inf
        self._lock = threading.Lock()

    async def wait_turn(self, sleep: Sleep) -> Waited:
        """Wait (with `sleep`) until one request may start; return how long and why."""
        now = self.clock()
        if self.per_minute is None and self._resume_at <= now:
            return NO_WAIT  # off and not throttled: nothing to reserve
        reservation = self._reserve(now)
        rate_limit = retry_after = 0.0
        try:
            target, paused = self._target(reservation)
            wait = target - now
            while wait > 0:
                await sleep(wait)
                if paused:
                    retry_after += wait
                else:
                    rate_limit += wait
                # Only a pause or a moved reservation adds a wait: the sleep is trusted to
                # have lasted, so a fake sleep that leaves the real clock alone cannot spin.
                new_target, paused = self._target(reservation)
                wait, target = new_target - target, max(target, new_target)
        finally:
            with self._lock:
                reservation.sent = True
        return Waited(rate_limit=rate_limit, retry_after=retry_after)

    def pause_until(self, instant: float) -> None:
        """No request starts before `instant` (a clock reading): a 429's `Retry-After`.
        Requests already waiting move back too, keeping the bound among themselves."""
        with self._lock:
            if instant <= self._resume_at:
                return
            self._resume_at = instant
            bound = self.per_minute
            for index, reservation in enumerate(self._reservations):
                if reservation.sent:
                    continue
                start = max(reservation.start, instant)
                if bound is not None and index >= bound:
                    start = max(start, self._reservations[index - bound].start + WINDOW_SECONDS)
                reservation.start = start

    def _reserve(self, now: float) -> _Reservation:
        with self._lock:
            start = max(now, self._resume_at)
            bound = self.per_minute
            if bound is None:
                return _Reservation(start)
            reservations = self._reservations
            while reservations and reservations[0].start <= now - WINDOW_SECONDS:
                reservations.popleft()
            if len(reservations) >= bound:
                start = max(start, reservations[-bound].start + WINDOW_SECONDS)
            reservation = _Reservation(start)
            reservations.append(reservation)
            return reservation

    def _target(self, reservation: _Reservation) -> tuple[float, bool]:
        """When the request may start, and whether a 429's pause is what holds it."""
        with self._lock:
            resume_at = self._resume_at
            return max(reservation.start, resume_at), resume_at >= reservation.start


_shared: dict[tuple[str, str], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_rate_limiter(config: PartnerCenterConfig) -> RateLimiter:
    """The process-wide limiter of `config`'s `(base_url, client_id)` (real time), bounded by
    its `requests_per_minute`; the client opened last sets the bound."""
    key = (config.base_url, config.client_id)
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None:
            limiter = _shared[key] = RateLimiter(config.requests_per_minute)
        else:
            limiter.per_minute = config.requests_per_minute
        return limiter
