"""Entra ID's password rules for cloud accounts, and generated passwords that satisfy them.

Rules (reference §8.1, Entra cloud-account policy, [UNVERIFIED] against Microsoft's primary
text): 8–256 characters, at least three of the four categories lower-case, upper-case,
digit, symbol, and not containing the user name (the UPN's local part, case-insensitive).
"""

from __future__ import annotations

import secrets
import string

SYMBOLS = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> "
MIN_LENGTH = 8
MAX_LENGTH = 256


def password_problem(password: str, user_principal_name: str) -> str | None:
    """Why `password` is not acceptable for this user, or None when it is."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"The password must be {MIN_LENGTH} to {MAX_LENGTH} characters long."
    categories = (
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(c in SYMBOLS for c in password),
    )
    if sum(categories) < 3:
        return "The password must contain three of: lower-case, upper-case, digits, symbols."
    user_name = user_principal_name.partition("@")[0].lower()
    if len(user_name) >= 3 and user_name in password.lower():
        return "The password must not contain the user name."
    return None


def generate_password(user_principal_name: str = "") -> str:
    """A random 16-character password with all four categories, acceptable for the user."""
    pools = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "!#$%*+-=?@")
    while True:
        chars = [secrets.choice(pool) for pool in pools for _ in range(4)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if password_problem(password, user_principal_name) is None:
            return password
