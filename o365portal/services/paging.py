"""Paging a list in SQL: the page and size a URL or a form asks for, kept to what a list can show.

A page number or size comes from the browser; one past what the database can bind as an offset
or a limit (a negative size, page 2**63) would fail the query instead of showing an empty page.
"""

from __future__ import annotations

LARGEST_PAGE = 500  # rows: the largest page any list or export asks for
LAST_PAGE = 1_000_000  # beyond any list the portal holds; its offset fits every database


def bounded(page: int, page_size: int) -> tuple[int, int]:
    """`page` from 1 to LAST_PAGE and `page_size` from 1 to LARGEST_PAGE."""
    return min(max(page, 1), LAST_PAGE), min(max(page_size, 1), LARGEST_PAGE)


def window(page: int, page_size: int) -> tuple[int, int]:
    """The SQL offset and limit of the page, bounded."""
    page, page_size = bounded(page, page_size)
    return (page - 1) * page_size, page_size
