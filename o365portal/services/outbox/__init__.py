"""The e-mail outbox: queueing mail and what the broker reads of it."""

from __future__ import annotations

from o365portal.services.outbox._outbox import OutboxItem, failed_count, list_outbox

__all__ = [
    "OutboxItem",
    "failed_count",
    "list_outbox",
]
