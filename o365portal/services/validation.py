"""Turning pydantic validation failures into field-level messages a person can act on."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from o365portal.services.errors import InvalidInput

ModelT = TypeVar("ModelT", bound=BaseModel)

_GENERIC = {
    "missing": "This field is required.",
    "string_too_long": "This is too long (at most {max_length} characters).",
    "int_parsing": "Enter a whole number.",
    "bool_parsing": "Choose yes or no.",
    "literal_error": "Choose one of the offered values.",
    "enum": "Choose one of the offered values.",
}


def _message(error: dict) -> str:  # type: ignore[type-arg]
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    template = _GENERIC.get(error["type"])
    return template.format(**error.get("ctx", {})) if template else str(error["msg"])


def parse_input(model: type[ModelT], data: dict[str, object]) -> ModelT:
    """Validate `data` into `model`, or raise InvalidInput with one message per field."""
    try:
        return model.model_validate(data)
    except ValidationError as failure:
        errors: dict[str, str] = {}
        for error in failure.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            errors.setdefault(field, _message(error))  # type: ignore[arg-type]
        raise InvalidInput(errors) from None
