"""What every area object shares: the pipeline and helpers that decode one resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.models.base import parse_json
from o365portal.partner_center.pipeline import Pipeline

T = TypeVar("T", bound=BaseModel)


class Area:
    """Base of the area objects (`client.customers`, `client.subscriptions`, ...)."""

    kind: TokenKind = TokenKind.APP
    """The token this area's calls need unless a method says otherwise."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline

    async def _get(
        self,
        path: str,
        model: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        kind: TokenKind | None = None,
    ) -> T:
        response = await self._pipeline.request("GET", path, params=params, kind=kind or self.kind)
        return model.model_validate(parse_json(response.content))

    async def _send(
        self,
        method: str,
        path: str,
        model: type[T],
        *,
        body: Any = None,
        kind: TokenKind | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        response = await self._pipeline.request(
            method, path, json=body, kind=kind or self.kind, headers=headers
        )
        return model.model_validate(parse_json(response.content))
