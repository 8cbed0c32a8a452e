"""What a valid organization record is: the add/edit form's rules, with their messages."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, field_validator

from o365portal.services.reference_data import COUNTRIES, LANGUAGES

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,23}$")
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()./-]+")
_PHONE_DIGITS, _PHONE_LENGTH = 5, 24
_POSTAL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$")
_REGISTRATION_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,49}$")

_LIMITS = {
    "company_name": 200,
    "street_address": 200,
    "city": 100,
    "state": 50,
    "contact_first_name": 50,
    "contact_last_name": 50,
}


class OrganizationInput(BaseModel):
    """An organization as the broker types it; blank optional fields become ''."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    company_name: str
    registration_number: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    state: str = ""
    country: str
    contact_first_name: str = ""
    contact_last_name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"

    @classmethod
    def blank_form(cls) -> dict[str, str]:
        """Form values for a new organization."""
        values = dict.fromkeys(cls.model_fields, "")
        return values | {"country": "US", "language": "en"}

    @field_validator(*_LIMITS)
    @classmethod
    def _length(cls, value: str, info) -> str:  # type: ignore[no-untyped-def]
        limit = _LIMITS[info.field_name]
        if len(value) > limit:
            raise ValueError(f"This is too long (at most {limit} characters).")
        if info.field_name == "company_name" and not value:
            raise ValueError("Enter the company name.")
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if value.upper() not in COUNTRIES:
            raise ValueError("Choose a country from the list.")
        return value.upper()

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if (value or "en") not in LANGUAGES:
            raise ValueError("Choose a language from the list.")
        return value or "en"

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and (len(value) > 254 or not _EMAIL.match(value)):
            raise ValueError("Enter an e-mail address like name@example.com.")
        return value.lower()

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not value:
            return value
        if _PHONE_CHARACTERS.fullmatch(value):
            if sum(character.isdigit() for character in value) < _PHONE_DIGITS:
                raise ValueError(
                    f"This phone number is too short: enter at least {_PHONE_DIGITS} digits, "
                    "with the area code."
                )
            if len(value) > _PHONE_LENGTH:
                raise ValueError(
                    f"This phone number is too long (at most {_PHONE_LENGTH} characters)."
                )
        if not _PHONE.match(value):
            raise ValueError("Enter a phone number with digits, spaces and an optional leading +.")
        return value

    @field_validator("postal_code")
    @classmethod
    def _postal_code(cls, value: str) -> str:
        if value and not _POSTAL_CODE.match(value):
            raise ValueError("Enter a postal code of letters, digits, spaces or hyphens.")
        return value.upper()

    @field_validator("registration_number")
    @classmethod
    def _registration_number(cls, value: str) -> str:
        if value and not _REGISTRATION_NUMBER.match(value):
            raise ValueError("Use letters, digits, spaces, dots, slashes or hyphens (at most 50).")
        return value
