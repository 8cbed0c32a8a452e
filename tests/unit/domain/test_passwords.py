"""Password policy for new Microsoft 365 users and the generator that always satisfies it."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365portal.domain.errors import PasswordPolicyViolation
from o365portal.domain.passwords import (
    check_password,
    generate_password,
    name_parts,
    require_valid_password,
)

FAST = settings(max_examples=150, deadline=None)
USER: dict[str, str] = {"user_name": "john.smith@contoso.com", "full_name": "John Smith"}
UPN, FULL_NAME = USER["user_name"], USER["full_name"]


def rules(
    password: str, user_name: str = USER["user_name"], full_name: str = USER["full_name"]
) -> list[str]:
    return [v.rule for v in check_password(password, user_name=user_name, full_name=full_name)]


def test_a_strong_password_unrelated_to_the_name_passes() -> None:
    assert rules("Tr4vel#Blue") == []


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Ab1!xyz", ["length"]),
        ("ab1!wxyz", ["uppercase"]),
        ("AB1!WXYZ", ["lowercase"]),
        ("Abc!wxyz", ["digit"]),
        ("Abc1wxyz", ["symbol"]),
        ("Abc1_xyz", ["symbol"]),
        ("", ["length", "uppercase", "lowercase", "digit", "symbol"]),
    ],
)
def test_each_missing_character_class_is_named(password: str, broken: list[str]) -> None:
    assert rules(password) == broken


def test_any_part_of_the_name_is_refused_case_insensitively() -> None:
    violations = check_password("Xx1!SMITHjohn", **USER)
    assert [v.message for v in violations] == [
        "Do not use 'john': it is part of the user's name.",
        "Do not use 'smith': it is part of the user's name.",
    ]
    assert rules("Xx1!John.Smith9") == ["name", "name", "name"]


def test_name_parts_are_the_upn_local_part_and_tokens_of_three_or_more_characters() -> None:
    assert name_parts("jo.li@contoso.com", "Jo Li Ng-Müller") == {"jo.li", "müller"}
    assert name_parts("ab", "Al") == set()


def test_short_name_tokens_may_appear() -> None:
    assert rules("Jo#Li2wxyz", "jo.li@contoso.com", "Jo Li") == []


def test_require_valid_password_lists_every_broken_rule() -> None:
    with pytest.raises(PasswordPolicyViolation, match="Use at least 8 characters") as refused:
        require_valid_password("john", **USER)
    assert len(refused.value.messages) == 5
    require_valid_password("Tr4vel#Blue", **USER)


def test_a_generated_password_has_the_requested_length() -> None:
    assert len(generate_password(UPN, FULL_NAME, length=24, rng=random.Random(7))) == 24
    assert len(generate_password(UPN, FULL_NAME)) == 16


def test_a_password_shorter_than_the_policy_cannot_be_generated() -> None:
    with pytest.raises(ValueError, match="at least 8"):
        generate_password(UPN, FULL_NAME, length=7)


def test_the_generator_draws_again_when_its_draw_contains_the_name() -> None:
    first_draw = generate_password("x@contoso.com", "X", rng=random.Random(3))
    found = re.search(r"[A-Za-z0-9]{3}", first_draw)
    assert found is not None
    user_name = f"{found.group()}@contoso.com"  # a user named after the first draw
    password = generate_password(user_name, "X", rng=random.Random(3))
    assert password != first_draw
    assert rules(password, user_name, "X") == []


names = st.text(alphabet=st.characters(categories=["L", "Nd"]), min_size=1, max_size=12)


@FAST
@given(
    first=names,
    last=names,
    length=st.integers(min_value=8, max_value=40),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_generated_passwords_always_pass_the_policy(
    first: str, last: str, length: int, seed: int
) -> None:
    user_name = f"{first}.{last}@contoso.com"
    password = generate_password(user_name, f"{first} {last}", length, random.Random(seed))
    assert check_password(password, user_name=user_name, full_name=f"{first} {last}") == []
    assert len(password) == length
