"""Async iteration over Partner Center's three collection styles (reference §1.5).

- seek: `GET ...?size=N`, then follow `links.next` (its uri and its `MS-ContinuationToken` header)
  while the page has a `continuationToken`; a 400 with code 2000 on a next page means "no more".
- offset: `?size=N&offset=K` (invoices): follow `links.next`, or step the offset until a short page.
- none: one response holds the whole collection.
Link uris come with or without `/v1`; `link_path()` makes them callable.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel

from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.errors import InvalidRequest
from o365portal.partner_center.models.base import Collection, Link, parse_json
from o365portal.partner_center.pipeline import Pipeline

T = TypeVar("T", bound=BaseModel)

_UNVERSIONED_ROOTS = ("/v1/", "/webhooks/", "/auditactivity/")
_END_OF_SEEK_CODE = 2000


def link_path(uri: str) -> str:
    """The callable path of a link uri: relative, `&amp;` decoded, `/v1` added when missing."""
    parts = urlsplit(uri.replace("&amp;", "&"))
    path = parts.path if parts.path.startswith("/") else f"/{parts.path}"
    if not path.startswith(_UNVERSIONED_ROOTS):
        path = f"/v1{path}"
    return f"{path}?{parts.query}" if parts.query else path


def parse_collection(content: bytes, item: type[T]) -> Collection[T]:
    """Decode one collection page of `item`s."""
    return Collection[item].model_validate(parse_json(content))  # type: ignore[valid-type]


async def get_collection(
    pipeline: Pipeline,
    path: str,
    item: type[T],
    *,
    params: Mapping[str, Any] | None = None,
    kind: TokenKind = TokenKind.APP,
) -> Collection[T]:
    """GET one collection page."""
    response = await pipeline.request("GET", path, params=params, kind=kind)
    return parse_collection(response.content, item)


async def iterate_unpaged(
    pipeline: Pipeline,
    path: str,
    item: type[T],
    *,
    params: Mapping[str, Any] | None = None,
    kind: TokenKind = TokenKind.APP,
) -> AsyncIterator[T]:
    """Items of a collection returned whole in one response."""
    page = await get_collection(pipeline, path, item, params=params, kind=kind)
    for element in page.items:
        yield element


async def iterate_seek(
    pipeline: Pipeline,
    path: str,
    item: type[T],
    *,
    params: Mapping[str, Any] | None = None,
    kind: TokenKind = TokenKind.APP,
) -> AsyncIterator[T]:
    """Items of a seek-paged collection, page after page."""
    page = await get_collection(pipeline, path, item, params=params, kind=kind)
    while True:
        for element in page.items:
            yield element
        link = page.next_link
        if not page.continuation_token or link is None:
            return
        next_page = await _next_seek_page(pipeline, link, item, kind)
        if next_page is None:
            return
        page = next_page


async def _next_seek_page(
    pipeline: Pipeline, link: Link, item: type[T], kind: TokenKind
) -> Collection[T] | None:
    assert link.uri is not None
    try:
        response = await pipeline.request(
            "GET", link_path(link.uri), headers=link.header_dict(), kind=kind
        )
    except InvalidRequest as exc:
        if exc.code == _END_OF_SEEK_CODE:
            return None
        raise
    return parse_collection(response.content, item)


async def iterate_offset(
    pipeline: Pipeline,
    path: str,
    item: type[T],
    *,
    size: int,
    params: Mapping[str, Any] | None = None,
    kind: TokenKind = TokenKind.APP,
) -> AsyncIterator[T]:
    """Items of an offset-paged collection (`size` + `offset`)."""
    offset = 0
    page = await get_collection(
        pipeline, path, item, params={**(params or {}), "size": size, "offset": 0}, kind=kind
    )
    while True:
        for element in page.items:
            yield element
        if not page.items:
            return
        offset += len(page.items)
        if page.next_link is not None and page.next_link.uri:
            next_path = link_path(page.next_link.uri)
            page = await get_collection(pipeline, next_path, item, kind=kind)
        elif len(page.items) < size:
            return
        else:
            query = {**(params or {}), "size": size, "offset": offset}
            page = await get_collection(pipeline, path, item, params=query, kind=kind)
