"""Counting the SQL statements a piece of code sends (to show it does not grow with the data)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from o365portal.db.engine import get_engine


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """The statements sent to the portal's database inside the block, in order."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
