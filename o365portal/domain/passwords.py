"""Password policy for new Microsoft 365 users, as the product owner states it.

A password must have at least 8 characters, upper- and lower-case letters, digits and non-word
characters (anything but letters, digits and `_`), and must contain no part of the user's name.
"Part of the name", compared case-insensitively, means: the user principal name's local part
(before `@`) as a whole, and every token of 3 or more characters in that local part or in the
full name, where tokens are split at anything that is not a letter or digit (any script).
"""

from __future__ import annotations

import random
import re
import secrets
import string
from dataclasses import dataclass

from o365portal.domain.errors import PasswordPolicyViolation

MIN_LENGTH = 8
MIN_NAME_PART = 3
_SYMBOLS = "!#$%&*+-.=?@^~"


@dataclass(frozen=True)
class Violation:
    """One broken rule: a stable `rule` code and a message for the user."""

    rule: str
    message: str


def name_parts(user_name: str, full_name: str) -> set[str]:
    """The lower-case parts of a user's names that a password must not contain."""
    local_part = user_name.split("@", 1)[0].lower()
    tokens = re.split(r"[\W_]+", f"{local_part} {full_name.lower()}")
    return {part for part in [local_part, *tokens] if len(part) >= MIN_NAME_PART}


_CHARACTER_RULES = (
    ("uppercase", r"[A-Z]", "an upper-case letter"),
    ("lowercase", r"[a-z]", "a lower-case letter"),
    ("digit", r"[0-9]", "a digit"),
    ("symbol", r"[^\w]", "a symbol such as ! # $ %"),
)


def check_password(password: str, *, user_name: str, full_name: str) -> list[Violation]:
    """Every rule the password breaks (empty when it is acceptable)."""
    violations = []
    if len(password) < MIN_LENGTH:
        violations.append(
            Violation("length", f"Use at least {MIN_LENGTH} characters (this has {len(password)}).")
        )
    for rule, pattern, wanted in _CHARACTER_RULES:
        if not re.search(pattern, password, flags=re.ASCII):
            violations.append(Violation(rule, f"Include {wanted}."))
    lowered = password.lower()
    for part in sorted(name_parts(user_name, full_name)):
        if part in lowered:
            violations.append(
                Violation("name", f"Do not use {part!r}: it is part of the user's name.")
            )
    return violations


def require_valid_password(password: str, *, user_name: str, full_name: str) -> None:
    """Raise `PasswordPolicyViolation` listing every broken rule, if any."""
    violations = check_password(password, user_name=user_name, full_name=full_name)
    if violations:
        raise PasswordPolicyViolation([violation.message for violation in violations])


def generate_password(
    user_name: str, full_name: str, length: int = 16, rng: random.Random | None = None
) -> str:
    """A random password of `length` that satisfies the policy for this user.

    `rng` defaults to `secrets.SystemRandom()`; tests pass a seeded `random.Random`.
    """
    if length < MIN_LENGTH:
        raise ValueError(f"A password needs at least {MIN_LENGTH} characters")
    rng = rng or secrets.SystemRandom()
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, _SYMBOLS)
    while True:
        characters = [rng.choice(chars) for chars in classes]
        characters += [rng.choice("".join(classes)) for _ in range(length - len(classes))]
        rng.shuffle(characters)
        password = "".join(characters)
        if not check_password(password, user_name=user_name, full_name=full_name):
            return password
