"""The broker's number format: Babel's CLDR signs, and every offered locale reads its own output."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365portal.domain.errors import AmbiguousAmount, UnreadableAmount
from o365portal.services.number_format import LOCALES, locale_options, number_format


def test_babel_gives_each_locale_its_cldr_signs() -> None:
    german, american = number_format("de_DE"), number_format("en_US")
    assert (german.symbols.decimal, german.symbols.group) == (",", ".")
    assert (american.symbols.decimal, american.symbols.group) == (".", ",")
    assert german.format(Decimal("1234.5")) == "1.234,50"
    assert german.format(Decimal("1234.5"), grouped=False) == "1234,50"
    assert american.format(Decimal("10.0005")) == "10.0005"
    assert german.parse("5,76") == Decimal("5.76")
    with pytest.raises(AmbiguousAmount):
        german.parse("1.234")
    with pytest.raises(UnreadableAmount, match=r"write 5\.76"):
        american.parse("5,76")


def test_every_offered_locale_has_a_labelled_option() -> None:
    options = dict(locale_options())
    assert list(options) == list(LOCALES)
    assert options["de_DE"] == "German (Germany): 1.234,56"
    assert options["en_US"] == "English (United States): 1,234.56"


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=0, max_value=Decimal("9" * 14), places=4),
    locale=st.sampled_from(LOCALES),
    grouped=st.booleans(),
)
def test_every_offered_locale_reads_back_what_it_writes(
    amount: Decimal, locale: str, grouped: bool
) -> None:
    chosen = number_format(locale)
    assert chosen.parse(chosen.format(amount, grouped=grouped)) == amount
