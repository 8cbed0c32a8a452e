"""Server-side paging shared by the list pages: page number, total, the range line, previous/next.

A page state mixes `PagedList` in before its own base, sets `page_size`, and implements
`_reload(principal)` (read the current page through a service; it runs inside a data event)
and `_empty_summary()`.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services.principal import Principal
from o365portal.ui.events import data_event


class PagedList(rx.State, mixin=True):
    """Which page of a server-paged list is shown."""

    page: int = 1
    total: int = 0
    page_size: int = 20

    def _reload(self, principal: Principal) -> None:
        raise NotImplementedError

    def _empty_summary(self) -> str:
        return "Nothing to show."

    @rx.var
    def summary(self) -> str:
        """ "21–40 of 57", or the page's own line when the list is empty."""
        if self.total == 0:
            return self._empty_summary()
        first = (self.page - 1) * self.page_size + 1
        return f"{first}–{min(self.page * self.page_size, self.total)} of {self.total}"

    @rx.var
    def has_previous(self) -> bool:
        """Whether a previous page exists."""
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        """Whether a next page exists."""
        return self.page * self.page_size < self.total

    @data_event
    def previous_page(self, principal: Principal) -> None:
        """Show the previous page."""
        self.page = max(1, self.page - 1)
        self._reload(principal)

    @data_event
    def next_page(self, principal: Principal) -> None:
        """Show the next page."""
        self.page += 1
        self._reload(principal)
