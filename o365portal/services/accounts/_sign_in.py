"""Sign-in against the portal's own user directory: argon2 hashes, throttling, expiring sessions.

Every refusal carries the same message, so a caller cannot tell a wrong password from an unknown
e-mail. After `MAX_FAILED_SIGN_INS` consecutive failures an account is paused for
`LOCK_MINUTES`; a session token is shown to the browser once and only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from o365portal.db.base import EMAIL_LENGTH, NAME_LENGTH
from o365portal.db.engine import session_scope
from o365portal.db.tables.accounts import PortalAccount, PortalSession, SignInFailure
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NotFound, SignInRefused
from o365portal.services.principal import Principal, Role

SESSION_LIFETIME_SECONDS = 8 * 3600
MAX_FAILED_SIGN_INS = 5
LOCK_MINUTES = 15
ADDRESS_FAILURES = 30  # refusals from one address (an office may share one) that pause it
ADDRESS_WINDOW_MINUTES = 15
ADDRESS_PAUSED = (
    "Too many failed sign-ins from your network: sign-in from it is paused for "
    f"{ADDRESS_WINDOW_MINUTES} minutes."
)
MIN_PASSWORD_LENGTH = 12
REFUSED = (
    "Sign-in failed: the e-mail or password is incorrect. "
    f"After {MAX_FAILED_SIGN_INS} failed attempts sign-in is paused for {LOCK_MINUTES} minutes."
)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token for the browser and the account it belongs to."""

    token: str
    principal: Principal


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _principal(account: PortalAccount) -> Principal:
    return Principal(
        account_id=account.id or 0,
        email=account.email,
        name=f"{account.first_name} {account.last_name}".strip(),
        role=Role(account.role),
        organization_id=account.organization_id,
    )


def _account_by_email(session: Session, email: str) -> PortalAccount | None:
    query = select(PortalAccount).where(func.lower(PortalAccount.email) == email.strip().lower())
    return session.exec(query).first()


def _verify(account: PortalAccount | None, password: str) -> bool:
    try:
        return _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def _register_failure(account: PortalAccount, now: datetime) -> None:
    account.failed_sign_in_count += 1
    if account.failed_sign_in_count >= MAX_FAILED_SIGN_INS:
        account.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        account.failed_sign_in_count = 0


def sign_in(
    *, email: str, password: str, address: str = "", now: datetime | None = None
) -> SignedIn:
    """Open a session for valid credentials; raise SignInRefused (one generic message) otherwise.

    `address` is the network address the attempt comes from: after `ADDRESS_FAILURES` refusals
    from it within `ADDRESS_WINDOW_MINUTES`, it is paused (ADDRESS_PAUSED) whatever the account.
    """
    now = _now(now)
    with session_scope() as session:
        if address and _address_failures(session, address, now) >= ADDRESS_FAILURES:
            raise SignInRefused(ADDRESS_PAUSED)
        account = _account_by_email(session, email)
        password_ok = _verify(account, password)
        locked = account is not None and bool(account.locked_until and account.locked_until > now)
        if account is None or not account.is_active or locked or not password_ok:
            if account is not None and account.is_active and not locked:
                _register_failure(account, now)  # a wrong password for a usable account
            _remember_address(session, address, now)
            session.commit()
            raise SignInRefused(REFUSED)
        account.failed_sign_in_count, account.locked_until, account.last_sign_in_at = 0, None, now
        token = secrets.token_urlsafe(32)
        session.add(
            PortalSession(
                token_hash=_token_hash(token),
                account_id=account.id or 0,
                created_at=now,
                expires_at=now + timedelta(seconds=SESSION_LIFETIME_SECONDS),
            )
        )
        return SignedIn(token=token, principal=_principal(account))


def _address_failures(session: Session, address: str, now: datetime) -> int:
    since = now - timedelta(minutes=ADDRESS_WINDOW_MINUTES)
    query = select(func.count()).where(SignInFailure.address == address, SignInFailure.at > since)
    return int(session.exec(query).one())


def _remember_address(session: Session, address: str, now: datetime) -> None:
    """Count a refusal against `address`, forgetting those too old to matter."""
    if not address:
        return
    since = now - timedelta(minutes=ADDRESS_WINDOW_MINUTES)
    session.execute(delete(SignInFailure).where(col(SignInFailure.at) <= since))
    session.add(SignInFailure(address=address[:64], at=now))


def principal_for(token: str, now: datetime | None = None) -> Principal | None:
    """The account of a live session (not expired, not revoked, account active), else None."""
    now = _now(now)
    with session_scope() as session:
        query = select(PortalSession).where(PortalSession.token_hash == _token_hash(token))
        found = session.exec(query).first()
        if found is None or found.revoked_at is not None or found.expires_at <= now:
            return None
        return _principal(found.account) if found.account.is_active else None


def sign_out(token: str, now: datetime | None = None) -> None:
    """Revoke the session behind `token` (no error if it is unknown or already revoked)."""
    with session_scope() as session:
        query = select(PortalSession).where(PortalSession.token_hash == _token_hash(token))
        found = session.exec(query).first()
        if found is not None and found.revoked_at is None:
            found.revoked_at = _now(now)


def _account_errors(**values: str) -> dict[str, str]:
    """What is wrong with an account's e-mail address and names: too long for the record, or
    holding control characters (which PostgreSQL cannot even compare when one is NUL)."""
    limits = {"email": EMAIL_LENGTH, "first_name": NAME_LENGTH, "last_name": NAME_LENGTH}
    errors = {}
    for field, value in values.items():
        if len(value) > limits[field]:
            errors[field] = f"This is too long (at most {limits[field]} characters)."
        elif any(unicodedata.category(c) == "Cc" for c in value):
            errors[field] = "Remove the control characters (such as tabs or line breaks)."
    return errors


def create_account(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: Role,
    organization_id: int | None = None,
) -> int:
    """Add a portal account (demo data, tests, later the portal-users page); returns its id."""
    errors = _account_errors(email=email, first_name=first_name, last_name=last_name)
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if errors:
        raise InvalidInput(errors)
    with session_scope() as session:
        if _account_by_email(session, email) is not None:
            raise InvalidInput({"email": "An account with this e-mail already exists."})
        account = PortalAccount(
            email=email.strip().lower(),
            first_name=first_name,
            last_name=last_name,
            role=role,
            organization_id=organization_id if role is Role.CUSTOMER else None,
            password_hash=_hasher.hash(password),
        )
        session.add(account)
        session.flush()
        return account.id or 0


def issue_account_password(account_id: int) -> str:
    """Give an active portal account a new random password and return it, for a credentials
    e-mail being sent now (the portal keeps only its hash); NotFound when the account is gone
    or disabled."""
    password = secrets.token_urlsafe(12)  # 16 characters
    with session_scope() as session:
        account = session.get(PortalAccount, account_id)
        if account is None or not account.is_active:
            raise NotFound("portal account")
        account.password_hash = _hasher.hash(password)
        account.failed_sign_in_count, account.locked_until = 0, None
        session.add(account)
    return password
