"""What a valid Microsoft 365 user form is: the new-user and edit forms' rules, with their
messages. The password policy itself is domain/passwords.py."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from o365portal.services.reference_data import COUNTRIES

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_USER_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$")
_NAME_LIMIT = 64
_DISPLAY_LIMIT = 256


def usage_location_problem(value: str) -> str | None:
    """Why an ISO-2 usage location is not acceptable, or None."""
    if not value:
        return "Choose the country where the user works (Microsoft needs it for licences)."
    if value not in COUNTRIES:
        return "Choose a country from the list (a two-letter code such as DE or US)."
    return None


def user_name_problem(value: str) -> str | None:
    """Why the part before @ is not acceptable, or None."""
    if not value:
        return "Enter the user name (the part before @)."
    if ".." in value or not _USER_NAME.match(value):
        return (
            "Use letters, digits, dots, hyphens or underscores (at most 64), starting and "
            "ending with a letter or digit."
        )
    return None


class UserDetailsInput(BaseModel):
    """The names and usage location, shared by the new-user and edit forms."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    first_name: str = ""
    last_name: str = ""
    display_name: str = ""
    usage_location: str = ""

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: object) -> object:
        """A field the page did not post a value for (None) is blank."""
        if isinstance(data, dict):
            return {key: "" if value is None else value for key, value in data.items()}
        return data

    @field_validator("first_name", "last_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value) > _NAME_LIMIT:
            raise ValueError(f"This is too long (at most {_NAME_LIMIT} characters).")
        return value

    @field_validator("display_name")
    @classmethod
    def _display(cls, value: str) -> str:
        if len(value) > _DISPLAY_LIMIT:
            raise ValueError(f"This is too long (at most {_DISPLAY_LIMIT} characters).")
        return value

    @field_validator("usage_location")
    @classmethod
    def _location(cls, value: str) -> str:
        value = value.upper()
        if problem := usage_location_problem(value):
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _display_name(self) -> UserDetailsInput:
        if not self.display_name:  # the use case asks for one if both names are blank too
            self.display_name = f"{self.first_name} {self.last_name}".strip()
        return self

    @property
    def full_name(self) -> str:
        """Every name of the user, for the password policy's name rule."""
        return f"{self.first_name} {self.last_name} {self.display_name}".strip()


class NewUserInput(UserDetailsInput):
    """The new-user form: names, user name @ domain, usage location, and how the password is
    set: generated and e-mailed to `send_to`, or chosen here."""

    user_name: str = ""
    domain: str = ""
    password_mode: Literal["generate", "choose"] = "generate"
    password: str = ""
    send_to: str = ""

    @field_validator("user_name")
    @classmethod
    def _user_name(cls, value: str) -> str:
        value = value.lower()
        if problem := user_name_problem(value):
            raise ValueError(problem)
        return value

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        if not value:
            raise ValueError("Choose one of the tenant's domains.")
        return value.lower()

    @field_validator("send_to")
    @classmethod
    def _send_to(cls, value: str) -> str:
        if value and not EMAIL.match(value):
            raise ValueError("Enter an e-mail address such as ann@example.com.")
        return value

    @property
    def user_principal_name(self) -> str:
        """user name @ domain."""
        return f"{self.user_name}@{self.domain}"
