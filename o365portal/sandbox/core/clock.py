"""The sandbox clock: the only source of "now" for every time-based rule in the sandbox.

It is real UTC time plus an offset (the default, offset 0), or frozen at one instant. The
control API (`/_sandbox/clock`) moves it; area modules never call `datetime.now()` but read
`state.now()`, so renewals, provisioning delays, token expiry and invoicing follow it.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta
from typing import Any

_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant; a value without an offset is taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def add_months(instant: datetime, months: int) -> datetime:
    """Add calendar months, clamping the day to the target month's length (Jan 31 + 1 = Feb 28)."""
    index = instant.month - 1 + months
    year, month = instant.year + index // 12, index % 12 + 1
    day = min(instant.day, calendar.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)


def add_duration(instant: datetime, duration: str) -> datetime:
    """Add an ISO-8601 duration such as `P8D`, `P1M`, `PT2H` or `P1Y2M3DT4H` to an instant.

    Years and months are calendar arithmetic (see `add_months`); the rest is exact.
    """
    match = _DURATION.match(duration.strip().upper())
    if not match or duration.strip().upper() in ("P", "PT"):
        raise ValueError(f"not an ISO-8601 duration: {duration!r}")
    parts = {name: value for name, value in match.groupdict().items() if value}
    moved = add_months(instant, 12 * int(parts.get("years", 0)) + int(parts.get("months", 0)))
    return moved + timedelta(
        weeks=int(parts.get("weeks", 0)),
        days=int(parts.get("days", 0)),
        hours=int(parts.get("hours", 0)),
        minutes=int(parts.get("minutes", 0)),
        seconds=float(parts.get("seconds", 0)),
    )


class SandboxClock:
    """Real UTC time shifted by an offset, or frozen at a set instant."""

    def __init__(self, offset: timedelta = timedelta(0), frozen_at: datetime | None = None):
        self._offset = offset
        self._frozen_at = frozen_at

    @property
    def frozen(self) -> bool:
        """True while the clock stands still at a set instant."""
        return self._frozen_at is not None

    def now(self) -> datetime:
        """The sandbox's current instant (timezone-aware UTC)."""
        if self._frozen_at is not None:
            return self._frozen_at
        return datetime.now(UTC) + self._offset

    def set(self, instant: datetime, *, frozen: bool | None = None) -> None:
        """Move the clock to `instant`; `frozen` switches mode (None keeps the current one)."""
        keep_frozen = self.frozen if frozen is None else frozen
        if keep_frozen:
            self._frozen_at = instant.astimezone(UTC)
        else:
            self._frozen_at = None
            self._offset = instant.astimezone(UTC) - datetime.now(UTC)

    def advance(self, duration: str) -> None:
        """Move the clock forward by an ISO-8601 duration, keeping its mode."""
        self.set(add_duration(self.now(), duration))

    def to_json(self) -> dict[str, Any]:
        """A JSON-able snapshot for persistence."""
        if self._frozen_at is not None:
            return {"frozenAt": self._frozen_at.isoformat()}
        return {"offsetSeconds": self._offset.total_seconds()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxClock:
        """Rebuild a clock saved by `to_json`."""
        if data.get("frozenAt"):
            return cls(frozen_at=parse_instant(data["frozenAt"]))
        return cls(offset=timedelta(seconds=float(data.get("offsetSeconds", 0))))
