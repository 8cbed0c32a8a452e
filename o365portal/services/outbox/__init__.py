"""The e-mail outbox: queueing mail and what the broker reads of it."""

from __future__ import annotations

from o365portal.services.outbox._outbox import failed_count, list_outbox

__all__ = [
    "failed_count",
    "list_outbox",
]
