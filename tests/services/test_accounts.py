"""Creating a portal account: its rules, and that the account can sign in with its password.

(The builders in tests/builders.py write account rows with one shared hash; this is where
`create_account` itself is checked.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.accounts import PortalAccount
from o365portal.services.accounts import _sign_in as auth
from o365portal.services.errors import InvalidInput, SignInRefused
from o365portal.services.principal import Role
from tests.builders import unique

pytestmark = pytest.mark.usefixtures("portal_env")


def _create(
    email: str, password: str = "Long-enough-pass", organization_id: int | None = None
) -> int:
    return auth.create_account(
        email=email,
        password=password,
        first_name="Ada",
        last_name="Account",
        role=Role.BROKER,
        organization_id=organization_id,
    )


def test_an_account_is_stored_lower_case_with_a_hash_and_signs_in_with_its_password() -> None:
    email = f"{unique('Ada-')}@Broker.Example"
    account_id = _create(email)
    with session_scope() as session:
        stored = session.exec(select(PortalAccount).where(PortalAccount.id == account_id)).one()
    assert stored.email == email.lower()
    assert "Long-enough-pass" not in stored.password_hash
    signed_in = auth.sign_in(email=email, password="Long-enough-pass")
    assert signed_in.principal.account_id == account_id


def test_a_short_password_and_a_taken_e_mail_are_refused_at_their_field() -> None:
    with pytest.raises(InvalidInput) as short:
        _create(f"{unique('short-')}@broker.example", password="too-short")
    assert short.value.field_errors == {"password": "Use at least 12 characters."}
    email = f"{unique('twice-')}@broker.example"
    _create(email)
    with pytest.raises(InvalidInput) as taken:
        _create(email)
    assert taken.value.field_errors == {"email": "An account with this e-mail already exists."}


def test_only_a_customer_account_belongs_to_an_organization() -> None:
    broker_id = _create(f"{unique('staff-')}@broker.example", organization_id=1)
    with session_scope() as session:
        stored = session.get(PortalAccount, broker_id)
    assert stored is not None and stored.organization_id is None


def test_an_address_with_too_many_refusals_is_paused_for_every_account() -> None:
    email, password = f"{unique('ann')}@example.com", "correct horse battery"
    auth.create_account(
        email=email, password=password, first_name="Ann", last_name="Lee", role=Role.BROKER
    )
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    office = unique("203.0.113.7/")  # an address of this test's alone
    for attempt in range(auth.ADDRESS_FAILURES):  # someone trying many accounts
        with pytest.raises(SignInRefused) as refused:
            auth.sign_in(email=f"guess{attempt}@example.com", password="x", address=office, now=now)
        assert str(refused.value) == auth.REFUSED

    with pytest.raises(SignInRefused) as paused:
        auth.sign_in(email=email, password=password, address=office, now=now)
    assert str(paused.value) == auth.ADDRESS_PAUSED
    assert auth.sign_in(email=email, password=password, address="198.51.100.1", now=now).token
    later = now + timedelta(minutes=auth.ADDRESS_WINDOW_MINUTES, seconds=1)
    assert auth.sign_in(email=email, password=password, address=office, now=later).token
