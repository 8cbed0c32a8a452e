"""Three-way merge of one synced record: the portal's copy, Partner Center's, and what both last
agreed on (the base).

A field changed only in Partner Center is taken; a field changed only in the portal is a change
the portal made or has pending, so it is kept; a field changed on both sides to different values
is drift: neither side is overwritten, and a person decides. Without a base (a record never
synced) the portal's copy counts as the base, so Partner Center's values are taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Drift:
    """A field both sides changed: the portal's value and Partner Center's."""

    field: str
    portal: Any
    partner_center: Any


@dataclass(frozen=True)
class Merge:
    """What to do with one record after comparing it with Partner Center."""

    take: dict[str, Any] = field(default_factory=dict)  # set on the portal's copy
    drift: list[Drift] = field(default_factory=list)
    base: dict[str, Any] = field(default_factory=dict)  # what both sides now agree on

    @property
    def changed(self) -> bool:
        """Whether the portal's copy or the base moved."""
        return bool(self.take)


def merge(
    base: Mapping[str, Any] | None, portal: Mapping[str, Any], remote: Mapping[str, Any]
) -> Merge:
    """Merge Partner Center's values (`remote`) into the portal's, field by field of `remote`."""
    result = Merge()
    for name, theirs in remote.items():
        ours = portal.get(name)
        agreed = base.get(name, ours) if base is not None else ours
        if ours == theirs:
            result.base[name] = theirs
        elif ours == agreed:
            result.take[name] = theirs
            result.base[name] = theirs
        else:
            result.base[name] = agreed
            if theirs != agreed:
                result.drift.append(Drift(name, ours, theirs))
    return result
