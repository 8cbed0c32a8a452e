"""Partner Center wire conventions (reference §1), shared by every sandbox route.

- Responses: camelCase dicts carrying `attributes.objectType`, sent with `pc_json(...)`.
- Requests: `await read_body(request)` returns a `CIDict`, a case-insensitive view of the
  JSON body (`body["Quantity"] == body["quantity"]`, nested dicts and lists too). A UTF-8
  byte-order mark is tolerated.
- Errors: raise `PartnerCenterError(status, code, description, data)`; one exception handler
  renders `{"code","description","data","source":"PartnerFD"}`. `not_found(...)` covers the
  common 404s.
- Links: `link(uri)` builds `{"uri","method","headers"}`; URIs are relative and WITHOUT `/v1`,
  except the customers list `next` link (`/v1/customers?...`), as the real service does.
- Collections: `collection(items, self_uri)` (no paging), `seek_page(...)` (continuation
  token; `links.next.uri` ends `&seekOperation=Next` with header `MS-ContinuationToken`,
  seeking past the end -> 400 code 2000), `offset_page(...)` (`?size=&offset=`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

CONTINUATION_HEADER = "MS-ContinuationToken"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class PartnerCenterError(Exception):
    """An error answered in Partner Center's error shape (reference §1.6)."""

    def __init__(
        self,
        status: int,
        code: int,
        description: str,
        data: list[Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {description}")
        self.status = status
        self.code = code
        self.description = description
        self.data = data if data is not None else []
        self.headers = dict(headers or {})

    def to_body(self) -> dict[str, Any]:
        """The wire body."""
        return {
            "code": self.code,
            "description": self.description,
            "data": self.data,
            "source": "PartnerFD",
        }


def error_response(error: PartnerCenterError) -> JSONResponse:
    """Render a `PartnerCenterError` as the HTTP response Partner Center sends."""
    return JSONResponse(error.to_body(), status_code=error.status, headers=error.headers)


def not_found(what: str, identifier: str, code: int = 1000) -> PartnerCenterError:
    """A Partner Center 404 for a missing resource (default code 1000 "Not found")."""
    return PartnerCenterError(404, code, f"{what} with id {identifier} was not found.")


def pc_json(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response with Partner Center's content type."""
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


class CIDict(Mapping[str, Any]):
    """A read-only, case-insensitive view of a JSON object; nested values are wrapped too."""

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})
        self._keys = {key.lower(): key for key in self._data}

    def __getitem__(self, key: str) -> Any:
        return _wrap(self._data[self._keys[key.lower()]])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def child(self, key: str) -> CIDict:
        """The nested object at `key`, or an empty CIDict when absent or not an object."""
        value = self.get(key)
        return value if isinstance(value, CIDict) else CIDict()

    def text(self, key: str, default: str = "") -> str:
        """The value at `key` as a stripped string (`default` when absent or null)."""
        value = self.get(key)
        return default if value is None else str(value).strip()

    def raw(self) -> dict[str, Any]:
        """The underlying plain dict (original key case)."""
        return self._data


def _wrap(value: Any) -> Any:
    if isinstance(value, Mapping):
        return CIDict(value)
    if isinstance(value, list):
        return [_wrap(item) for item in value]
    return value


def parse_json_bytes(raw: bytes) -> Any:
    """Decode a JSON request body, tolerating a UTF-8 BOM; bad JSON is a 400 (code 800002)."""
    try:
        text = raw.decode("utf-8-sig")
        return json.loads(text) if text.strip() else {}
    except (UnicodeDecodeError, ValueError) as exc:
        raise PartnerCenterError(400, 800002, "The request body is not valid JSON.") from exc


async def read_body(request: Request) -> CIDict:
    """The request's JSON object body as a case-insensitive `CIDict`."""
    parsed = parse_json_bytes(await request.body())
    if not isinstance(parsed, Mapping):
        raise PartnerCenterError(400, 800002, "The request body must be a JSON object.")
    return CIDict(parsed)


def parse_filter(text: str | None) -> CIDict | None:
    """Parse a `filter` query parameter: JSON `{"Field","Value","Operator"}` (any key case)."""
    if not text:
        return None
    parsed = parse_json_bytes(text.encode("utf-8"))
    if not isinstance(parsed, Mapping):
        raise PartnerCenterError(400, 2000, "The filter is not valid.")
    return CIDict(parsed)


def link(
    uri: str, method: str = "GET", headers: Sequence[Mapping[str, str]] = ()
) -> dict[str, Any]:
    """A Partner Center `Link` object."""
    return {"uri": uri, "method": method, "headers": [dict(header) for header in headers]}


def collection(
    items: Sequence[Mapping[str, Any]], self_uri: str, links: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A whole (unpaged) collection: `totalCount`, `items`, `links.self`, objectType."""
    return {
        "totalCount": len(items),
        "items": items,
        "links": {"self": link(self_uri), **(links or {})},
        "attributes": {"objectType": "Collection"},
    }


@dataclass(frozen=True)
class SeekRequest:
    """Where a seek-paged listing continues: offset, page size, and the carried parameters."""

    offset: int
    size: int
    params: dict[str, str] = field(default_factory=dict)


def page_size(request: Request, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The `size` query parameter, validated (1..MAX_PAGE_SIZE)."""
    text = request.query_params.get("size")
    if text is None:
        return default
    try:
        size = int(text)
    except ValueError as exc:
        raise PartnerCenterError(400, 2000, "The size parameter must be a number.") from exc
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise PartnerCenterError(400, 2000, f"The size must be between 1 and {MAX_PAGE_SIZE}.")
    return size


def seek_request(
    request: Request, carried: Sequence[str] = (), default_size: int = DEFAULT_PAGE_SIZE
) -> SeekRequest:
    """Read a seek-paged request: a first page, or `seekOperation=Next` + continuation token.

    `carried` names the query parameters (e.g. `filter`) that the continuation token keeps,
    so the next-page URI does not repeat them, as with the real customers listing.
    """
    size = page_size(request, default_size)
    if request.query_params.get("seekOperation", "").lower() != "next":
        params = {
            name: request.query_params[name] for name in carried if name in request.query_params
        }
        return SeekRequest(0, size, params)
    token = request.headers.get(CONTINUATION_HEADER) or request.query_params.get(
        "continuationToken"
    )
    if not token:
        raise PartnerCenterError(400, 2000, "A continuation token is required to seek.")
    offset, params = _decode_token(token)
    return SeekRequest(offset, size, params)


def seek_page(
    items: Sequence[Mapping[str, Any]], seek: SeekRequest, base_uri: str
) -> dict[str, Any]:
    """One page of a seek-paged collection; `base_uri` is the listing URI without `size`."""
    if seek.offset and seek.offset >= len(items):
        raise PartnerCenterError(400, 2000, "There are no more records to seek.")
    page = items[seek.offset : seek.offset + seek.size]
    sized = f"{base_uri}{'&' if '?' in base_uri else '?'}size={seek.size}"
    body = collection(page, sized)
    body["totalCount"] = len(page)
    end = seek.offset + len(page)
    if end < len(items):
        token = _encode_token(end, seek.params)
        body["continuationToken"] = token
        body["links"]["next"] = link(
            f"{sized}&seekOperation=Next", headers=[{"key": CONTINUATION_HEADER, "value": token}]
        )
    return body


def offset_page(
    request: Request, items: Sequence[Mapping[str, Any]], base_uri: str, default_size: int = 200
) -> dict[str, Any]:
    """One page of an offset-paged collection (`?size=&offset=`, reference §1.5 style 2)."""
    size = page_size(request, default_size)
    try:
        offset = int(request.query_params.get("offset", "0"))
    except ValueError as exc:
        raise PartnerCenterError(400, 2000, "The offset parameter must be a number.") from exc
    page = items[max(offset, 0) : max(offset, 0) + size]
    body = collection(page, f"{base_uri}?size={size}&offset={offset}")
    body["totalCount"] = len(items)
    if offset + size < len(items):
        body["links"]["next"] = link(f"{base_uri}?size={size}&offset={offset + size}")
    return body


def _encode_token(offset: int, params: Mapping[str, str]) -> str:
    raw = json.dumps({"o": offset, "p": dict(params)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str) -> tuple[int, dict[str, str]]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return int(data["o"]), {str(k): str(v) for k, v in data["p"].items()}
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PartnerCenterError(400, 2000, "The continuation token is not valid.") from exc
