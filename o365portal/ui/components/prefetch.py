"""Fetch the scripts of the pages a user is likely to open next, before the click.

A click on a link to a page whose scripts this document has not loaded yet waits for them: the
route's module, then the modules it imports (icons, Radix parts), one round after the other,
about 0.1 s here before the new page can render and send its on_load. React Router's
`PrefetchPageLinks` renders `<link rel="modulepreload">` for a page's modules; the page shell
uses it for the navigation's pages and the Microsoft 365 page for its Subscriptions, Users and
Billing report buttons. Only scripts are fetched (the pages have no loaders): no data, nothing
a user's session could see.
"""

from __future__ import annotations

import reflex as rx


class PrefetchPageLinks(rx.Component):
    """React Router's prefetch of one page's modules."""

    library = "react-router"
    tag = "PrefetchPageLinks"

    page: rx.Var[str]


def prefetch_pages(*pages: str | rx.Var[str]) -> rx.Component:
    """Have the browser fetch and compile the scripts of `pages` (paths) ahead of a click."""
    return rx.fragment(*[PrefetchPageLinks.create(page=page) for page in pages])
