"""Building blocks of the wire models, tolerant the way Microsoft's own SDK is.

- `WireModel`: camelCase aliases (PascalCase accepted), populate by Python name, unknown fields
  kept (`extra="allow"`).
- `OpenEnum`: a `str` that compares case-insensitively with its documented values and keeps
  values it has never seen (`SubscriptionStatus("Active") == SubscriptionStatus.ACTIVE`).
- `UtcDateTime`: ISO-8601 with up to 7 fractional digits, naive values taken as UTC, "" as None.
- `Money`: `Decimal` from a JSON number or a numeric string (recon lines send `"16"`).
- `Link` / `Collection`: links with or without `/v1`, collections whose `totalCount` may be "04".
- `parse_json()`: bytes with or without a UTF-8 byte-order mark.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import (
    AliasChoices,
    AliasGenerator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    SecretStr,
)
from pydantic.alias_generators import to_camel, to_pascal
from pydantic_core import core_schema


def parse_json(content: bytes | str) -> Any:
    """Decode a Partner Center body: UTF-8, optional byte-order mark, surrounding blanks."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    return json.loads(text.lstrip("\ufeff").strip() or "null")


class WireModel(BaseModel):
    """Base of every Partner Center resource: camelCase on the wire (PascalCase read too, as
    in audit records and webhook payloads), unknown fields kept."""

    model_config = ConfigDict(
        alias_generator=AliasGenerator(
            validation_alias=lambda name: AliasChoices(to_camel(name), to_pascal(name)),
            serialization_alias=to_camel,
        ),
        populate_by_name=True,
        extra="allow",
    )

    def to_wire(self) -> dict[str, Any]:
        """The request body form: camelCase, JSON types, unset optional fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class OpenEnum(str):
    """A string enumeration that tolerates case and values Microsoft adds later.

    Subclasses declare members as upper-case class attributes; instances compare and hash
    case-insensitively, and known values are spelled as declared.
    """

    _members: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = {
            name: value
            for name, value in vars(cls).items()
            if name.isupper() and isinstance(value, str)
        }
        cls._members = {value.lower(): value for value in declared.values()}
        for name, value in declared.items():
            setattr(cls, name, cls(value))

    def __new__(cls, value: str) -> OpenEnum:
        return super().__new__(cls, cls._members.get(str(value).lower(), str(value)))

    @property
    def is_known(self) -> bool:
        """True when the value is one of the documented members."""
        return self.lower() in self._members

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.lower() == other.lower()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.lower())

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.str_schema(), serialization=core_schema.to_string_ser_schema()
        )


ItemT = TypeVar("ItemT")


def _as_utc(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(_trim_fraction(value))
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _trim_fraction(text: str) -> str:
    """`fromisoformat` takes at most 6 fractional digits; Partner Center sends 7."""
    text = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if "." not in text:
        return text
    head, _, tail = text.partition(".")
    digits = len(tail) - len(tail.lstrip("0123456789"))
    return f"{head}.{tail[:digits][:6].ljust(6, '0')}{tail[digits:]}"


UtcDateTime = Annotated[datetime | None, BeforeValidator(_as_utc)]
"""A timezone-aware UTC datetime (None for "" or null)."""


def _as_number(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return None if value == "" else value
    return value


Money = Annotated[Decimal | None, BeforeValidator(_as_number)]
"""An amount as Decimal, from a JSON number or a numeric string."""

Count = Annotated[int | None, BeforeValidator(_as_number)]
"""An integer that may arrive as a string ("04", "50") or be missing."""


def _none_as_empty(value: Any) -> Any:
    return [] if value is None else value


ListOf = Annotated[list[ItemT], BeforeValidator(_none_as_empty)]
"""A list that Partner Center may send as null (read as empty)."""


WireSecret = Annotated[
    SecretStr,
    PlainSerializer(lambda secret: secret.get_secret_value(), return_type=str, when_used="json"),
]
"""A password: hidden in `repr` and logs, sent in clear only in the JSON request body."""


class Attributes(WireModel):
    """The `attributes` envelope every resource carries."""

    object_type: str | None = None
    etag: str | None = None


class LinkHeader(WireModel):
    """A header to send when following a link (e.g. `MS-ContinuationToken`)."""

    key: str
    value: str | None = None


class Link(WireModel):
    """A relative link; `uri` may or may not start with `/v1`."""

    uri: str | None = None
    method: str = "GET"
    headers: ListOf[LinkHeader] = Field(default_factory=list)

    def header_dict(self) -> dict[str, str]:
        """The link's headers as a dict, ready to send."""
        return {h.key: h.value for h in self.headers if h.value is not None}


class Resource(WireModel):
    """A Partner Center resource: links and attributes around its own fields."""

    links: dict[str, Link] | None = None
    attributes: Attributes | None = None

    @property
    def etag(self) -> str | None:
        """The resource's ETag, when Partner Center sent one."""
        return self.attributes.etag if self.attributes else None


class Collection(WireModel, Generic[ItemT]):
    """A page of a collection; seek-paged ones add `continuationToken`."""

    total_count: Count = None
    items: ListOf[ItemT] = Field(default_factory=list)
    links: dict[str, Link] | None = None
    continuation_token: str | None = None
    attributes: Attributes | None = None

    @property
    def next_link(self) -> Link | None:
        """The `next` link, if the collection has more pages."""
        link = (self.links or {}).get("next")
        return link if link is not None and link.uri else None
