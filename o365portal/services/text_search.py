"""Search boxes in SQL: what a person types is found literally, `%` and `_` included.

LIKE treats `%` (any text) and `_` (any one character) as wildcards; a search for "50%" or
"a_b" must find those characters, not anything. `contains()` escapes them (and the escape
character itself) and matches case-insensitively anywhere in the column. Text longer than any
value the portal searches (`LONGEST`) matches nothing: SQLite would refuse it as a pattern over
50,000 bytes ("LIKE or GLOB pattern too complex").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, func

_ESCAPE = "/"
LONGEST = 1000  # characters: the searched columns hold at most 255


def _escaped(text: str) -> str:
    return (
        text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    )


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """`column` contains `text` (trimmed), ignoring case, with LIKE's wildcards taken literally."""
    wanted = text.strip().lower()
    if len(wanted) > LONGEST:
        return false()
    pattern = f"%{_escaped(wanted)}%"
    return func.lower(column).like(pattern, escape=_ESCAPE)
